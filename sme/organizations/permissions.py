"""Who stands in which relation to an organization. Scope itself is enforced in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role

from .models import MANAGING_ROLES, Membership, MembershipStatus, Organization
from .workflow import DISTRICT_OFFICER, ORG_MANAGER


def jurisdiction_district_ids(user: Any) -> set[int]:
    """The division ids an officer's scope covers: their region, what it contains, and the divisions
    it replaced (records imported with old codes stay visible to the successor district)."""
    from sme.regions.models import Region

    root = user.jurisdiction
    if root is None:
        return set()
    ids = {root.pk}
    frontier = [root.pk]
    while frontier:
        children = set(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        predecessors = set(Region.objects.filter(successor_id__in=frontier).values_list("pk", flat=True))
        frontier = list((children | predecessors) - ids)
        ids.update(frontier)
    return ids


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
