"""Which navigation audiences (``sme.core.navigation``) a signed-in user belongs to, by role."""

from __future__ import annotations

from typing import Any

from sme.core import navigation

from .models import OFFICER_ROLES, Role

_BY_ROLE = {
    Role.ENTERPRISE: navigation.ENTERPRISE,
    Role.PROVIDER: navigation.PROVIDER,
    Role.EXPERT: navigation.EXPERT,
}


def audience_of(user: Any) -> frozenset[str]:
    seen: set[str] = set()
    if user.role in _BY_ROLE:
        seen.add(_BY_ROLE[user.role])
    if user.role in OFFICER_ROLES or user.is_platform_admin:
        seen.add(navigation.OFFICER)
    if user.is_platform_admin:
        seen.add(navigation.ADMIN)
    # every signed-in user sees the dashboard and the public pages, whatever the role
    seen.add(navigation.SIGNED_IN)
    return frozenset(seen)
