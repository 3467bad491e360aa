"""Reads of organizations, always within the caller's scope.

- administrators: everything; city officers: their jurisdiction (the whole city);
- district officers: their district (and the divisions it replaced);
- enterprise and provider users: the organizations they are active members of;
- experts and anyone else: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sme.accounts.models import Role

from .models import Membership, MembershipStatus, Organization, VerificationStatus
from .permissions import jurisdiction_district_ids

SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id"), "name": ("name", "id")}


def organizations_visible_to(user: Any) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("district")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.role in (Role.CITY_OFFICER, Role.DISTRICT_OFFICER):
        ids = jurisdiction_district_ids(user)
        if len(ids) == 1:
            return qs.filter(district_id=next(iter(ids)))
        return qs.filter(district_id__in=ids)
    if user.role in (Role.ENTERPRISE, Role.PROVIDER):
        return qs.filter(memberships__user=user, memberships__status=MembershipStatus.ACTIVE)
    return qs.none()


def organization_list(
    user: Any,
    *,
    status: str = "",
    kind: str = "",
    district_id: int | None = None,
    q: str = "",
    sort: str = "newest",
) -> QuerySet[Organization]:
    """The filtered, sorted list an officer or administrator browses. Unknown filter values are ignored."""
    qs = organizations_visible_to(user)
    if status in VerificationStatus.values:
        qs = qs.filter(verification_status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if district_id:
        qs = qs.filter(district_id=district_id)
    q = q.strip()
    if q:
        code = q.upper()
        qs = qs.filter(uscc=code) if len(code) == 18 and code.isalnum() else qs.filter(name__contains=q)
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def organization_for(user: Any, pk: int) -> Organization | None:
    """One organization if the user may see it, else None (the view answers 404 either way)."""
    return organizations_visible_to(user).filter(pk=pk).first()


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__district")
        .order_by("-created_at")
    )


def pending_join_requests(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.filter(status=MembershipStatus.PENDING).select_related("user")


def members_of(organization: Organization) -> QuerySet[Membership]:
    return (
        organization.memberships.exclude(status=MembershipStatus.DECLINED)
        .select_related("user")
        .order_by("status", "role", "created_at")
    )


def pending_verification_count(user: Any) -> int:
    return organizations_visible_to(user).filter(verification_status=VerificationStatus.PENDING).count()
