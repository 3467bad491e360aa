"""Who stands in which relation to a service. List scope is enforced in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role, User
from sme.organizations.models import PROVIDER_KINDS, Membership, MembershipStatus, Organization
from sme.organizations.permissions import jurisdiction_district_ids

from .workflow import PROVIDER, REVIEWER


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def acts_for(user: Any, organization_id: int) -> bool:
    """An active member of the organization."""
    if not _active(user):
        return False
    return Membership.objects.filter(
        user=user, organization_id=organization_id, status=MembershipStatus.ACTIVE
    ).exists()


def provider_organizations(user: Any) -> list[Organization]:
    """The service providers ``user`` acts for (active membership), by name."""
    if not _active(user):
        return []
    return list(
        Organization.objects.filter(
            memberships__user=user,
            memberships__status=MembershipStatus.ACTIVE,
            kind__in=PROVIDER_KINDS,
        )
        .select_related("district")
        .order_by("name")
    )


def reviews_all(user: Any) -> bool:
    """City officers and administrators review services of every district."""
    return _active(user) and (user.role in (Role.CITY_OFFICER, Role.ADMIN) or user.is_superuser)


def reviews_district(user: Any, district_id: int) -> bool:
    if not _active(user):
        return False
    if reviews_all(user):
        return True
    return user.role == Role.DISTRICT_OFFICER and district_id in jurisdiction_district_ids(user)


def is_reviewer(user: Any) -> bool:
    return _active(user) and (reviews_all(user) or user.role == Role.DISTRICT_OFFICER)


def roles_for(user: Any, service: Any) -> set[str]:
    roles: set[str] = set()
    if not _active(user):
        return roles
    if acts_for(user, service.provider_id):
        roles.add(PROVIDER)
    if reviews_district(user, service.provider_district_id):
        roles.add(REVIEWER)
    return roles


def reviewers_of(district_id: int) -> list[User]:
    """The district officers covering ``district_id`` (told of new submissions)."""
    officers = User.objects.filter(role=Role.DISTRICT_OFFICER, is_active=True, jurisdiction__isnull=False)
    return [u for u in officers if district_id in jurisdiction_district_ids(u)]


def provider_people(organization_id: int) -> list[User]:
    members = Membership.objects.filter(
        organization_id=organization_id, status=MembershipStatus.ACTIVE
    ).select_related("user")
    return [m.user for m in members]
