"""Who stands in which relation to a demand or a proposal. Scope for lists is enforced in selectors.

- An enterprise user acts for the verified enterprises where they are an active member: any member
  may post a demand; the member who posted it and the enterprise's owners and administrators manage it.
- A provider user acts for the verified providers (``PROVIDER_KINDS``) where they are an active member;
  "certified only" demands need a provider holding a certification in force.
- Officers read demands of the districts they cover; they (and city officers, administrators) may hide one.
"""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role, User
from sme.certification.selectors.titles import certified_provider_ids
from sme.organizations.models import (
    MANAGING_ROLES,
    PROVIDER_KINDS,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
from sme.organizations.permissions import jurisdiction_district_ids

from .models import Demand, DemandVisibility, Proposal
from .workflow import DEMAND_OWNER, PROPOSER


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def oversees_demands(user: Any) -> bool:
    """District and city officers and administrators: they read the demands of their scope
    (read-only, with hiding) and export that list."""
    return _active(user) and (
        user.is_platform_admin or user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    )


def _memberships(user: Any) -> list[Membership]:
    """The user's active memberships of verified organizations (one query)."""
    if not _active(user):
        return []
    return list(
        Membership.objects.filter(
            user=user,
            status=MembershipStatus.ACTIVE,
            organization__verification_status=VerificationStatus.VERIFIED,
        ).select_related("organization")
    )


def enterprises_of(user: Any) -> list[Organization]:
    """Verified enterprises the user is an active member of (for posting demands)."""
    return [m.organization for m in _memberships(user) if m.organization.kind == OrganizationKind.ENTERPRISE]


def providers_of(user: Any) -> list[Organization]:
    """Verified providers the user is an active member of (for answering demands)."""
    return [m.organization for m in _memberships(user) if m.organization.kind in PROVIDER_KINDS]


def is_certified(provider: Organization) -> bool:
    return bool(certified_provider_ids([provider.pk]))


def answerable_providers(user: Any, demand: Demand) -> list[Organization]:
    """The user's providers that may send a proposal to ``demand`` by its visibility."""
    providers = providers_of(user)
    if demand.visibility == DemandVisibility.CERTIFIED:
        certified = certified_provider_ids([p.pk for p in providers])
        providers = [p for p in providers if p.pk in certified]
    return providers


def is_enterprise_member(user: Any, enterprise_id: int) -> bool:
    return any(m.organization_id == enterprise_id for m in _memberships(user))


def manages_demand(user: Any, demand: Demand) -> bool:
    """The member who posted it, or an owner or administrator of its enterprise."""
    for m in _memberships(user):
        if m.organization_id == demand.enterprise_id:
            return m.role in MANAGING_ROLES or demand.posted_by_id == user.pk
    return False


def demand_roles(user: Any, demand: Demand) -> set[str]:
    return {DEMAND_OWNER} if manages_demand(user, demand) else set()


def proposal_roles(user: Any, proposal: Proposal) -> set[str]:
    roles = demand_roles(user, proposal.demand)
    if any(m.organization_id == proposal.provider_id for m in _memberships(user)):
        roles.add(PROPOSER)
    return roles


def covers_demand(user: Any, demand: Demand) -> bool:
    """An officer whose jurisdiction covers the demand's district (read-only oversight)."""
    if not _active(user) or user.role not in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):
        return False
    return demand.district_id in jurisdiction_district_ids(user)


def may_hide(user: Any, demand: Demand) -> bool:
    """The officer covering the demand's district, a city officer, or an administrator."""
    if not _active(user):
        return False
    return user.is_platform_admin or user.role == Role.CITY_OFFICER or covers_demand(user, demand)


def enterprise_people(enterprise_id: int) -> list[User]:
    """Everyone active in the enterprise hears about its demand."""
    members = Membership.objects.filter(organization_id=enterprise_id, status=MembershipStatus.ACTIVE)
    return [m.user for m in members.select_related("user")]


def provider_people(provider_ids: list[int]) -> dict[int, list[User]]:
    """The active members of each provider, in one query."""
    people: dict[int, list[User]] = {pk: [] for pk in provider_ids}
    members = Membership.objects.filter(
        organization_id__in=provider_ids, status=MembershipStatus.ACTIVE
    ).select_related("user")
    for m in members:
        people[m.organization_id].append(m.user)
    return people
