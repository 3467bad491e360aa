"""Rules of the organizations' workflows that read the database (``sme.core.workflow`` guards)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .models import Membership, MembershipStatus


def has_members(organization_id: int) -> bool:
    """Whether anyone acts for the organization (an active membership)."""
    return Membership.objects.filter(organization_id=organization_id, status=MembershipStatus.ACTIVE).exists()


def organization_has_no_members(membership: Membership, actor: Any, note: str) -> str | None:
    """A claim is decided by the district officer only while nobody acts for the organization: once
    it has an owner, join requests are the owner's to decide."""
    if has_members(membership.organization_id):
        return _("「%(org)s」已有负责人，加入申请由其负责人或管理员决定。") % {
            "org": membership.organization.name
        }
    return None
