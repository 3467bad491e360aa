"""Who decides about a report: officers covering the target's district, city officers, administrators."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role
from sme.organizations.permissions import jurisdiction_district_ids

from .models import Report
from .workflow import OFFICER, REPORTER


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_moderator(user: Any) -> bool:
    """Whether the role has a report queue at all (everyone else gets 403 there)."""
    return _active(user) and (
        user.is_platform_admin or user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    )


def decides_in(user: Any, district_id: int) -> bool:
    if not is_moderator(user):
        return False
    if user.is_platform_admin or user.role == Role.CITY_OFFICER:
        return True
    return district_id in jurisdiction_district_ids(user)


def reporter_roles(user: Any) -> set[str]:
    """Anyone active and logged in may report what they can see."""
    return {REPORTER} if _active(user) else set()


def roles_for(user: Any, report: Report) -> set[str]:
    return {OFFICER} if decides_in(user, report.district_id) else set()
