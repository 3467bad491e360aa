"""Who stands in which relation to an organization. Scope itself is enforced in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role
from sme.regions.selectors import covered_region_ids

from .models import MANAGING_ROLES, Membership, MembershipStatus, Organization
from .workflow import DISTRICT_OFFICER, ORG_MANAGER


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


def roles_for(user: Any, organization: Organization) -> set[str]:
    roles: set[str] = set()
    if not user.is_authenticated or not user.is_active:
        return roles
    if user.role == Role.DISTRICT_OFFICER and organization.district_id in jurisdiction_district_ids(user):
        roles.add(DISTRICT_OFFICER)
    membership = active_membership(user, organization)
    if membership is not None and membership.role in MANAGING_ROLES:
        roles.add(ORG_MANAGER)
    return roles


def organization_people(organization_id: int, *, managers_only: bool) -> list[Any]:
    """The organization's active members (only its owners and administrators with ``managers_only``)."""
    members = Membership.objects.filter(organization_id=organization_id, status=MembershipStatus.ACTIVE)
    if managers_only:
        members = members.filter(role__in=MANAGING_ROLES)
    return [m.user for m in members.select_related("user")]


def district_officers_covering(district_id: int) -> list[Any]:
    """Active district officers whose jurisdiction covers ``district_id``."""
    from sme.accounts.models import User

    officers = User.objects.filter(role=Role.DISTRICT_OFFICER, is_active=True, jurisdiction__isnull=False)
    return [u for u in officers if district_id in jurisdiction_district_ids(u)]
