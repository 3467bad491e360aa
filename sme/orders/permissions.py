"""Who stands in which relation to an order: the workflow roles (``BUYER``, ``PROVIDER``) and the
read-only relations. Scope for lists is enforced in ``selectors``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sme.accounts.models import Role
from sme.organizations.models import MANAGING_ROLES, Membership, MembershipStatus
from sme.organizations.permissions import jurisdiction_district_ids

from .models import Order

# The workflow roles (workflow.ORDER), relationships computed per (user, order) by ``standing``.
BUYER = "buyer"
PROVIDER = "provider"


@dataclass(frozen=True)
class Standing:
    """What ``user`` is towards one order: workflow roles plus the read-only relations."""

    roles: frozenset[str] = field(default_factory=frozenset)
    enterprise_member: bool = False
    provider_member: bool = False
    provider_manager: bool = False
    district_officer: bool = False  # covers the provider's district
    city: bool = False  # city officer or administrator

    @property
    def can_view(self) -> bool:
        return self.enterprise_member or self.provider_member or self.district_officer or self.city

    @property
    def is_officer(self) -> bool:
        return self.district_officer or self.city


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_city_wide(user: Any) -> bool:
    return _active(user) and (user.role == Role.ADMIN or user.role == Role.CITY_OFFICER)


def member_role(user: Any, organization_id: int) -> str | None:
    """``user``'s role in an organization they are an active member of, else None."""
    if not _active(user):
        return None
    return (
        Membership.objects.filter(user=user, organization_id=organization_id, status=MembershipStatus.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )


def standing(user: Any, order: Order) -> Standing:
    if not _active(user):
        return Standing()
    memberships = {
        m.organization_id: m.role
        for m in Membership.objects.filter(
            user=user,
            organization_id__in=[order.enterprise_id, order.provider_id],
            status=MembershipStatus.ACTIVE,
        ).only("organization_id", "role")
    }
    roles: set[str] = set()
    enterprise_role = memberships.get(order.enterprise_id)
    provider_role = memberships.get(order.provider_id)
    if enterprise_role is not None and (
        enterprise_role in MANAGING_ROLES
        or (order.ordered_by_id is not None and order.ordered_by_id == user.pk)
    ):
        roles.add(BUYER)
    if provider_role is not None and provider_role in MANAGING_ROLES:
        roles.add(PROVIDER)
    district = user.role == Role.DISTRICT_OFFICER and order.provider_district_id in jurisdiction_district_ids(
        user
    )
    return Standing(
        roles=frozenset(roles),
        enterprise_member=enterprise_role is not None,
        provider_member=provider_role is not None,
        provider_manager=provider_role in MANAGING_ROLES if provider_role else False,
        district_officer=district,
        city=is_city_wide(user),
    )


def roles_for(user: Any, order: Order) -> set[str]:
    return set(standing(user, order).roles)


def covers_provider_district(user: Any, district_id: int) -> bool:
    """An officer who may moderate and watch a provider in ``district_id``."""
    if not _active(user):
        return False
    if is_city_wide(user):
        return True
    return user.role == Role.DISTRICT_OFFICER and district_id in jurisdiction_district_ids(user)
