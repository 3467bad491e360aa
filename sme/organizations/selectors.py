"""Reads of organizations, always within the caller's scope.

- administrators: everything; city officers: their jurisdiction (the whole city);
- district officers: their district (and the divisions it replaced);
- enterprise and provider users: the organizations they are active members of;
- experts and anyone else: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from sme.regions.models import Region

from .models import Membership, MembershipStatus, Organization, VerificationStatus
from .permissions import jurisdiction_district_ids

SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id"), "name": ("name", "id")}


def organizations_visible_to(user: Any) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("district")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.is_officer:
        ids = jurisdiction_district_ids(user)
        if len(ids) == 1:
            return qs.filter(district_id=next(iter(ids)))
        return qs.filter(district_id__in=ids)
    if user.acts_for_organization:
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


def membership_in(organization: Organization, pk: int) -> Membership | None:
    """One membership (any status) of ``organization``, with its person, or None."""
    return (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, pk=pk)
        .first()
    )


def pending_join_requests(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.filter(status=MembershipStatus.PENDING).select_related("user")


def pending_claims_for(user: Any) -> QuerySet[Membership]:
    """Join requests to organizations nobody acts for yet (imported from the registry) in a district
    officer's district: theirs to decide, oldest first. Anyone else: none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_district_officer:
        return Membership.objects.none()
    active = Membership.objects.filter(organization=OuterRef("organization"), status=MembershipStatus.ACTIVE)
    return (
        Membership.objects.filter(
            status=MembershipStatus.PENDING, organization__district_id__in=jurisdiction_district_ids(user)
        )
        .exclude(Exists(active))
        .select_related("user", "organization", "organization__district")
        .order_by("updated_at", "id")
    )


def claim_for(user: Any, pk: int) -> Membership | None:
    """One pending claim the district officer may decide, or None."""
    return pending_claims_for(user).filter(pk=pk).first()


def members_of(organization: Organization) -> QuerySet[Membership]:
    return (
        organization.memberships.exclude(status=MembershipStatus.DECLINED)
        .select_related("user")
        .order_by("status", "role", "created_at")
    )


def pending_verification_count(user: Any) -> int:
    return organizations_visible_to(user).filter(verification_status=VerificationStatus.PENDING).count()


def pending_verification_by_district(user: Any, limit: int = 5) -> list[dict[str, Any]]:
    """The districts with the most organizations waiting for verification in ``user``'s scope:
    ``[{"district": id, "district__name": …, "n": …}]``, most first."""
    rows = (
        organizations_visible_to(user)
        .filter(verification_status=VerificationStatus.PENDING)
        .values("district", "district__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:limit]
    )
    return [dict(row) for row in rows]


def region_mismatch(code: str, district: Region) -> bool:
    """Whether the credit code's registration region names a different division than ``district``.

    A code registered at city or province level covers every district below it, and a code of a
    division that ``district`` replaced is its own; a functional zone has no code of its own, so
    nothing can be compared.
    """
    region_code = code[2:8]
    if not district.code or region_code == district.code:
        return False
    if district.predecessors.filter(code=region_code).exists():
        return False
    if region_code[2:] == "0000" and district.code[:2] == region_code[:2]:
        return False
    if region_code[4:] == "00":  # registered at prefecture level
        return district.code[:4] != region_code[:4]
    return True
