"""Who stands in which relation to an order: the workflow roles (``BUYER``, ``PROVIDER``) and the
read-only relations. Scope for lists is enforced in ``selectors``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.organizations.models import (
    MANAGING_ROLES,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
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


def oversees_orders(user: Any) -> bool:
    """District and city officers and administrators: they watch orders (list in scope, flags,
    exports) rather than take part in them."""
    return _active(user) and user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.ADMIN)


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


_UNKNOWN: Any = object()


def order_refusal(user: Any, enterprise: Organization, *, role: Any = _UNKNOWN) -> str | None:
    """Why ``user`` may not order a catalogue service in the name of ``enterprise``; None when they may.

    The one rule of who orders: the order service refuses with it, and the order page and the
    catalogue's 「订购此服务」 button are offered only to those it lets through (``ordering_enterprises``).
    ``role`` is the user's membership role in ``enterprise`` when the caller already read it.
    """
    if role is _UNKNOWN:
        role = member_role(user, enterprise.pk)
    if role is None:
        return _("只有该企业的在职成员才能以企业名义下单。")
    if enterprise.kind != OrganizationKind.ENTERPRISE:
        return _("只有企业可以下单，服务机构不能以本机构名义订购服务。")
    if enterprise.verification_status != VerificationStatus.VERIFIED:
        return _("企业信息通过区县审核后才能下单。")
    return None


def ordering_enterprises(user: Any) -> list[Organization]:
    """The organizations ``user`` may order for (``order_refusal`` lets them through), by name."""
    if not _active(user):
        return []
    memberships = (
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )
    return [m.organization for m in memberships if order_refusal(user, m.organization, role=m.role) is None]


def may_order(user: Any) -> bool:
    """Whether ``user`` may order catalogue services for at least one organization."""
    return bool(ordering_enterprises(user))


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
