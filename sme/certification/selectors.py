"""Reads of certification records, always within the caller's scope.

- applicants (members of the applying organization): their organization's applications;
- district officers: applications of their district (and the divisions it replaced) once submitted;
- city officers: applications recommended to the city (and everything after), in their jurisdiction;
- experts: the applications they are assigned to;
- administrators: everything.
The public register, notices and announcements are public and need no scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from sme.accounts.models import Role
from sme.organizations.models import MembershipStatus
from sme.organizations.permissions import jurisdiction_district_ids

from .models import (
    Application,
    ApplicationStatus,
    Certification,
    CertificationStatus,
    ExpertReview,
    Notice,
    Scheme,
    SchemeLevel,
)

# Statuses a district officer works on or has seen; drafts stay with the applicant.
DISTRICT_VISIBLE = [s for s in ApplicationStatus.values if s != ApplicationStatus.DRAFT]
DISTRICT_QUEUE = [ApplicationStatus.SUBMITTED]
CITY_QUEUE = [ApplicationStatus.RECOMMENDED, ApplicationStatus.CITY_REVIEW, ApplicationStatus.NOTICE]


def scheme_current(code: str) -> Scheme:
    scheme = Scheme.objects.current().select_related("region").filter(code=code).first()
    if scheme is None:
        raise Http404
    return scheme


def schemes_open_on(day: dt.date) -> list[Scheme]:
    fields: tuple[str, ...] = (
        "code",
        "version",
        "name",
        "document_number",
        "effective_from",
        "effective_until",
    )
    fields += ("level", "district_deadline_month", "district_deadline_day", "region")
    return [
        s
        for s in Scheme.objects.current().select_related("region").only(*fields, "region__name")
        if s.in_force(day)
    ]


def applications_visible_to(user: Any) -> QuerySet[Application]:
    qs = Application.objects.select_related("organization", "district", "scheme").defer(
        "scheme__criteria",
        "scheme__materials",
        "scheme__expert_form",
        "scheme__annual_form",
        "scheme__source_note",
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.role == Role.DISTRICT_OFFICER:
        ids = jurisdiction_district_ids(user)
        # Cases under the district's own schemes (第十七条) are the district's wherever the applicant
        # is; looked up first, so the filter stays an index-friendly IN list rather than a join.
        local = list(
            Scheme.objects.filter(level=SchemeLevel.DISTRICT, region_id__in=ids).values_list("pk", flat=True)
        )
        own = Q(district_id__in=ids, status__in=DISTRICT_VISIBLE)
        return qs.filter(own | Q(scheme_id__in=local) if local else own).exclude(
            status=ApplicationStatus.DRAFT
        )
    if user.role == Role.CITY_OFFICER:
        ids = jurisdiction_district_ids(user)
        return qs.filter(recommended_at__isnull=False, district_id__in=ids)
    if user.role == Role.EXPERT:
        return qs.filter(Exists(ExpertReview.objects.filter(application=OuterRef("pk"), expert=user)))
    if user.role in (Role.ENTERPRISE, Role.PROVIDER):
        return qs.filter(
            organization__memberships__user=user, organization__memberships__status=MembershipStatus.ACTIVE
        )
    return qs.none()


def application_for(user: Any, pk: int) -> Application:
    """One application in ``user``'s scope, or 404 (out-of-scope records do not exist for the caller)."""
    application = applications_visible_to(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def review_queue(user: Any, *, status: str = "", round_year: int | None = None) -> QuerySet[Application]:
    """What waits for ``user``'s decision, oldest submission first (first in, first reviewed)."""
    qs = applications_visible_to(user)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    elif user.role == Role.DISTRICT_OFFICER:
        qs = qs.filter(status__in=DISTRICT_QUEUE)
    elif user.role == Role.CITY_OFFICER:
        qs = qs.filter(status__in=CITY_QUEUE)
    if round_year:
        qs = qs.filter(round_year=round_year)
    return qs.order_by("submitted_at", "id")


def queue_counts(user: Any) -> dict[str, int]:
    rows = applications_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def expert_reviews_for(user: Any) -> QuerySet[ExpertReview]:
    return (
        ExpertReview.objects.filter(expert=user)
        .select_related("application", "application__organization", "application__district")
        .order_by("submitted_at", "created_at")
    )


def register(
    *,
    district_id: int | None = None,
    district_ids: frozenset[int] | None = None,
    category: str = "",
    scheme_code: str = "",
    year: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Certification]:
    """The public register (第十二条): titles in force, newest first."""
    qs = Certification.objects.select_related("district", "scheme", "organization")
    if not include_inactive:
        qs = qs.filter(status__in=[CertificationStatus.ACTIVE, CertificationStatus.REREVIEW])
    if district_id:
        qs = qs.filter(district_id=district_id)
    if district_ids is not None:
        qs = qs.filter(district_id__in=district_ids)
    if category:
        qs = qs.filter(category_keys__contains=f",{category},")
    if scheme_code:
        qs = qs.filter(scheme__code=scheme_code)
    if year:
        qs = qs.filter(granted_on__year=year)
    return qs.order_by("-granted_on", "-id")


def notices_current(today: dt.date) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(closed_at__isnull=True, ends_on__gte=today)
        .select_related("application", "application__organization", "application__district", "scheme")
        .order_by("-published_on", "-id")
    )


def notices_past(today: dt.date) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(Q(closed_at__isnull=False) | Q(ends_on__lt=today))
        .select_related("application", "application__organization", "application__district", "scheme")
        .order_by("-published_on", "-id")
    )


def certified_provider_ids(provider_ids: list[int]) -> set[int]:
    """Which of these organizations hold a title in force (active, or under re-review: still valid)."""
    from .lifecycle import IN_FORCE

    if not provider_ids:
        return set()
    return set(
        Certification.objects.filter(organization_id__in=provider_ids, status__in=IN_FORCE).values_list(
            "organization_id", flat=True
        )
    )
