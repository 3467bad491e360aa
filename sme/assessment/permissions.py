"""Who stands in which relation to an assessment response. Scope itself is enforced in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import OFFICER_ROLES
from sme.organizations.models import Organization
from sme.organizations.permissions import jurisdiction_district_ids

from .models import AssessmentResponse, ResponseStatus
from .selectors import enterprises_of
from .workflow import ENTERPRISE_MEMBER


def is_officer_view(user: Any) -> bool:
    """Authorities and administrators: they read the submitted responses of their scope (the list
    and its export), never drafts."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user.role in OFFICER_ROLES or user.is_platform_admin
    )


def can_take(user: Any, organization: Organization) -> bool:
    """An enterprise user who is an active member of this enterprise."""
    return enterprises_of(user).filter(pk=organization.pk).exists()


def roles_for(user: Any, response: AssessmentResponse) -> set[str]:
    return {ENTERPRISE_MEMBER} if can_take(user, response.organization) else set()


def can_verify(user: Any, response: AssessmentResponse) -> bool:
    """District officers for organizations of their district (and the divisions it replaced), city
    officers for their city, on submitted responses only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role not in OFFICER_ROLES:
        return False
    if response.status != ResponseStatus.SUBMITTED:
        return False
    return response.organization.district_id in jurisdiction_district_ids(user)
