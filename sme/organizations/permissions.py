"""Who stands in which relation to an organization or a membership. Scope itself is enforced in
selectors.

Roles are read from the user model (``get_user_model()``: ``is_district_officer`` and the like), so
this app does not depend on the accounts app that builds on it (registration creates organizations).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from sme.regions.selectors import covered_region_ids

from .models import MANAGING_ROLES, Membership, MembershipStatus, Organization
from .workflow import APPLICANT, DISTRICT_OFFICER, ORG_MANAGER


def jurisdiction_district_ids(user: Any) -> frozenset[int]:
    """The division ids an officer's scope covers (see ``regions.selectors.covered_region_ids``)."""
    if user.jurisdiction_id is None:
        return frozenset()
    return covered_region_ids(user.jurisdiction_id)


def active_membership(user: Any, organization: Organization) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(
        user=user, organization=organization, status=MembershipStatus.ACTIVE
    ).first()


def is_manager(user: Any, organization: Organization) -> bool:
    """An active owner or administrator of the organization."""
    membership = active_membership(user, organization)
    return membership is not None and membership.role in MANAGING_ROLES


def roles_for(user: Any, organization: Organization) -> set[str]:
    roles: set[str] = set()
    if not user.is_authenticated or not user.is_active:
        return roles
    if user.is_district_officer and organization.district_id in jurisdiction_district_ids(user):
        roles.add(DISTRICT_OFFICER)
    if is_manager(user, organization):
        roles.add(ORG_MANAGER)
    return roles


def membership_roles(user: Any, membership: Membership) -> set[str]:
    """The applicant (the membership's own person), the organization's managers and the district
    officer of its district (who decides claims of organizations without members)."""
    roles: set[str] = set()
    if not user.is_authenticated or not user.is_active:
        return roles
    if membership.user_id == user.pk:
        roles.add(APPLICANT)
    if is_manager(user, membership.organization):
        roles.add(ORG_MANAGER)
    if user.is_district_officer and membership.organization.district_id in jurisdiction_district_ids(user):
        roles.add(DISTRICT_OFFICER)
    return roles


def organization_people(organization_id: int, *, managers_only: bool) -> list[Any]:
    """The organization's active members (only its owners and administrators with ``managers_only``)."""
    members = Membership.objects.filter(organization_id=organization_id, status=MembershipStatus.ACTIVE)
    if managers_only:
        members = members.filter(role__in=MANAGING_ROLES)
    return [m.user for m in members.select_related("user")]


def district_officers_covering(district_id: int) -> list[Any]:
    """Active district officers whose jurisdiction covers ``district_id``."""
    officers = get_user_model().objects.district_officers()
    return [u for u in officers if district_id in jurisdiction_district_ids(u)]
