"""Reads of orders, ratings and providers' figures, with the caller's scope enforced here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sme.accounts.models import Role
from sme.catalog.models import FeeType, Service, ServiceRevision
from sme.core import clock
from sme.enterprises.models import EnterpriseProfile
from sme.organizations.models import (
    PROVIDER_KINDS,
    Membership,
    MembershipStatus,
    Organization,
)
from sme.organizations.permissions import jurisdiction_district_ids
from sme.regions.models import Region

from . import rules
from .deadlines import RATING_WINDOW_DAYS
from .models import Order, OrderFile, OrderStatus, ProviderYearFigures, Rating
from .permissions import Standing, is_city_wide, standing
from .pricing import plain_amount

SMALL_MICRO_CLASSES = frozenset({"small", "micro"})

LIST_RELATED = ("enterprise", "provider", "provider_district", "category")


def _member_org_ids(user: Any) -> list[int]:
    return list(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values_list(
            "organization_id", flat=True
        )
    )


# --- ordering -------------------------------------------------------------------------------------


def enterprise_is_small_or_micro(enterprise: Organization) -> bool:
    """Whether the enterprise's stored size class (sme.enterprises) is 小型 or 微型."""
    size = (
        EnterpriseProfile.objects.filter(organization=enterprise).values_list("size_class", flat=True).first()
    )
    return size in SMALL_MICRO_CLASSES


def offered_district_names(revision: ServiceRevision) -> list[str]:
    """The names of the districts ``revision`` names (none when it serves the whole city), by code."""
    if revision.serves_all_districts or not revision.district_ids:
        return []
    return list(
        Region.objects.filter(pk__in=revision.district_ids).order_by("code").values_list("name", flat=True)
    )


def order_terms(service: Service, revision: ServiceRevision) -> dict[str, Any]:
    """The five disclosures of the published revision, as the enterprise saw them (JSON-friendly):
    what an order keeps as its contract record (``Order.snapshot``)."""
    district_names = offered_district_names(revision)
    return {
        "source": "catalog",
        "service_id": service.pk,
        "revision_id": revision.pk,
        "revision_number": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "category": revision.category.name,
        "provider": service.provider.name,
        "content": revision.content,
        "process_steps": [str(s) for s in (revision.process_steps or [])],
        "deliverables": revision.deliverables,
        "quality_standard": revision.quality_standard,
        "fee_type": revision.fee_type,
        "fee_type_label": str(FeeType(revision.fee_type).label)
        if revision.fee_type in FeeType.values
        else "",
        "fee_amount": plain_amount(revision.fee_amount),
        "fee_min": plain_amount(revision.fee_min),
        "fee_max": plain_amount(revision.fee_max),
        "fee_unit": revision.fee_unit,
        "fee_note": revision.fee_note,
        "small_micro_price": plain_amount(revision.small_micro_price),
        "response_workdays": revision.response_workdays,
        "delivery_workdays": revision.delivery_workdays,
        "service_hours": revision.service_hours,
        "serves_all_districts": revision.serves_all_districts,
        "districts": district_names,
        "districts_only": revision.refuses_other_districts,
    }


# --- orders in scope --------------------------------------------------------------------------------


def orders_visible_to(user: Any) -> QuerySet[Order]:
    """The orders ``user`` may read: their organizations' (placed or received), the provider district's
    for a district officer, all for a city officer or administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Order.objects.none()
    if is_city_wide(user):
        return Order.objects.all()
    if user.role == Role.DISTRICT_OFFICER:
        return Order.objects.filter(provider_district_id__in=jurisdiction_district_ids(user))
    org_ids = _member_org_ids(user)
    if not org_ids:
        return Order.objects.none()
    return Order.objects.filter(Q(enterprise_id__in=org_ids) | Q(provider_id__in=org_ids))


def order_list(
    user: Any, *, status: str = "", side: str = "", overdue: bool = False, today: dt.date | None = None
) -> QuerySet[Order]:
    """The list page's orders, newest first. ``side``: "placed" or "received" for organization members."""
    qs = orders_visible_to(user)
    if side in ("placed", "received") and user.role not in (
        Role.DISTRICT_OFFICER,
        Role.CITY_OFFICER,
        Role.ADMIN,
    ):
        org_ids = _member_org_ids(user)
        qs = qs.filter(**{"enterprise_id__in" if side == "placed" else "provider_id__in": org_ids})
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = overdue_for_response(qs, today=today)
    return qs.select_related(*LIST_RELATED).order_by("-submitted_at", "-id")


def overdue_for_response(qs: QuerySet[Order], *, today: dt.date | None = None) -> QuerySet[Order]:
    """Orders still waiting for the provider's answer after their response deadline (flagged or not)."""
    today = today or clock.today()
    return qs.filter(status=OrderStatus.SUBMITTED, respond_by__lt=today)


def order_for(user: Any, order_id: int) -> tuple[Order, Standing]:
    """One order ``user`` may read, with their standing towards it; 404 when out of scope."""
    order = (
        Order.objects.select_related(
            "enterprise", "provider", "provider_district", "enterprise_district", "category", "service"
        )
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Http404
    who = standing(user, order)
    if not who.can_view:
        raise Http404
    return order, who


def order_files(order: Order) -> QuerySet[OrderFile]:
    return order.files.select_related("uploaded_by").order_by("uploaded_at", "id")


def order_file_readable(user: Any, row: OrderFile) -> bool:
    """The read rule of order files (``sme.core.files``): whoever may read the order (its parties'
    members, the district officers of the provider's district, city officers and administrators)."""
    return standing(user, row.order).can_view


def rating_of(order: Order) -> Rating | None:
    return Rating.objects.filter(order=order).select_related("rated_by", "replied_by").first()


def ratings_shown_with_service(service_id: int, limit: int) -> list[Rating]:
    """What the catalogue's service page shows of its visible ratings, newest first."""
    return list(
        Rating.objects.filter(service_id=service_id, is_hidden=False)
        .select_related("enterprise")
        .only(
            "id",
            "quality",
            "timeliness",
            "attitude",
            "satisfied",
            "comment",
            "created_at",
            "reply",
            "replied_at",
            "enterprise__name",
        )
        .order_by("-created_at")[:limit]
    )


# --- figures -----------------------------------------------------------------------------------------


def provider_figures(provider_id: int, years: int = 3) -> list[ProviderYearFigures]:
    """The provider's pre-aggregated figures of its latest ``years`` years with figures, newest first."""
    return list(ProviderYearFigures.objects.filter(provider_id=provider_id).order_by("-year")[:years])


def provider_with_figures(provider_id: int) -> Organization | None:
    """A service provider whose yearly figures are public (any other organization: None)."""
    provider = Organization.objects.only("pk", "name", "kind").filter(pk=provider_id).first()
    return provider if provider is not None and provider.kind in PROVIDER_KINDS else None


def figures_since(provider_id: int, since_year: int) -> list[ProviderYearFigures]:
    """The provider's yearly figures from ``since_year`` on, newest first (the catalogue's provider page)."""
    return list(
        ProviderYearFigures.objects.filter(provider_id=provider_id, year__gte=since_year).order_by("-year")
    )


def certification_figures(provider_id: int, year: int) -> dict[str, Any]:
    """What the certification conditions ask for: SMEs served in ``year`` and the satisfaction rate (%).

    ``satisfaction_percent`` is None when no visible rating exists for the year.
    """
    row = (
        ProviderYearFigures.objects.filter(provider_id=provider_id, year=year)
        .values("smes_served", "satisfaction_rate")
        .first()
    )
    if row is None:
        return {"smes_served": 0, "satisfaction_percent": None}
    rate = row["satisfaction_rate"]
    return {
        "smes_served": int(row["smes_served"]),
        "satisfaction_percent": None if rate is None else Decimal(rate),
    }


# --- flags for the authorities -------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcentrationFlag:
    provider: Organization
    ratings: int
    top_enterprises: list[tuple[Organization, int]]
    top_count: int

    @property
    def share_percent(self) -> Decimal:
        return (Decimal(self.top_count) * 100 / Decimal(self.ratings)).quantize(Decimal("0.1"))


def concentrated_ratings(user: Any, *, today: dt.date | None = None) -> list[ConcentrationFlag]:
    """Providers in the officer's scope whose visible ratings of the last months come overwhelmingly from
    a few enterprises (``rules.RATING_CONCENTRATION``)."""
    rule = rules.RATING_CONCENTRATION
    today = today or clock.today()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=rule.window_days), dt.time.min))
    ratings = Rating.objects.filter(is_hidden=False, created_at__gte=since)
    if not is_city_wide(user):
        if user.role != Role.DISTRICT_OFFICER:
            return []
        ratings = ratings.filter(order__provider_district_id__in=jurisdiction_district_ids(user))
    totals = dict(
        ratings.order_by()
        .values("provider_id")
        .annotate(n=Count("id"))
        .filter(n__gte=rule.min_ratings)
        .values_list("provider_id", "n")
    )
    if not totals:
        return []
    per_pair = (
        ratings.filter(provider_id__in=list(totals))
        .order_by()
        .values("provider_id", "enterprise_id")
        .annotate(n=Count("id"))
        .values_list("provider_id", "enterprise_id", "n")
    )
    by_provider: dict[int, list[tuple[int, int]]] = {}
    for provider_id, enterprise_id, n in per_pair:
        by_provider.setdefault(provider_id, []).append((enterprise_id, n))
    candidates: list[tuple[int, list[tuple[int, int]], int]] = []
    for provider_id, pairs in by_provider.items():
        pairs.sort(key=lambda p: (-p[1], p[0]))
        top = pairs[: rule.top_enterprises]
        top_count = sum(n for _, n in top)
        if Decimal(top_count) * 100 >= rule.share_percent * totals[provider_id]:
            candidates.append((provider_id, top, top_count))
    org_ids = {pid for pid, _, _ in candidates} | {eid for _, top, _ in candidates for eid, _ in top}
    orgs = Organization.objects.in_bulk(list(org_ids))
    flags = [
        ConcentrationFlag(
            provider=orgs[pid],
            ratings=totals[pid],
            top_enterprises=[(orgs[eid], n) for eid, n in top],
            top_count=top_count,
        )
        for pid, top, top_count in candidates
    ]
    flags.sort(key=lambda f: (-f.share_percent, -f.ratings, f.provider.pk))
    return flags


def overdue_orders_in_scope(user: Any, *, today: dt.date | None = None) -> QuerySet[Order]:
    return (
        overdue_for_response(orders_visible_to(user), today=today)
        .select_related(*LIST_RELATED)
        .order_by("respond_by", "id")
    )


# --- to-dos ---------------------------------------------------------------------------------------------


def todo_counts(user: Any) -> dict[str, int]:
    """What waits for a member of enterprises or providers: answers, deliveries to confirm, ratings."""
    if not getattr(user, "is_authenticated", False):
        return {}
    org_ids = _member_org_ids(user)
    if not org_ids:
        return {}
    since = clock.now() - dt.timedelta(days=RATING_WINDOW_DAYS)
    return Order.objects.filter(Q(enterprise_id__in=org_ids) | Q(provider_id__in=org_ids)).aggregate(
        to_answer=Count("id", filter=Q(provider_id__in=org_ids, status=OrderStatus.SUBMITTED)),
        to_confirm=Count("id", filter=Q(enterprise_id__in=org_ids, status=OrderStatus.DELIVERED)),
        to_rate=Count(
            "id",
            filter=Q(
                enterprise_id__in=org_ids,
                status=OrderStatus.COMPLETED,
                completed_at__gte=since,
                rating__isnull=True,
            ),
        ),
    )
