"""The officers' reads: the review queue in their scope, one revision to decide, and the services
priced exactly at a subsidy cap in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from sme.core import clock
from sme.organizations.permissions import jurisdiction_district_ids

from ..models import RevisionStatus, Service, ServiceRevision, ServiceStatus, SubsidyCap
from ..permissions import reviews_all


def _in_scope(qs: QuerySet[Any], user: Any, path: str) -> QuerySet[Any]:
    if reviews_all(user):
        return qs
    return qs.filter(**{f"{path}__in": sorted(jurisdiction_district_ids(user))})


def review_queue(user: Any) -> QuerySet[ServiceRevision]:
    """Revisions waiting for ``user``'s decision (own district; city officers and admins: all), oldest
    first."""
    qs = ServiceRevision.objects.filter(status=RevisionStatus.PENDING).select_related(
        "service", "service__provider", "service__provider_district", "category", "created_by"
    )
    return _in_scope(qs, user, "service__provider_district_id").order_by("submitted_at", "id")


def services_in_scope(user: Any) -> QuerySet[Service]:
    return _in_scope(Service.objects.all(), user, "provider_district_id")


def reviewable_revision(user: Any, pk: int) -> ServiceRevision | None:
    qs = ServiceRevision.objects.filter(pk=pk).select_related(
        "service",
        "service__provider",
        "service__provider_district",
        "category",
        "category__parent",
        "created_by",
    )
    return _in_scope(qs, user, "service__provider_district_id").first()


def caps_in_force(on: dt.date | None = None) -> list[SubsidyCap]:
    on = on or clock.today()
    return list(
        SubsidyCap.objects.filter(effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .select_related("category")
    )


def price_at_cap_flags(
    user: Any, on: dt.date | None = None, limit: int = 200
) -> list[tuple[Service, SubsidyCap]]:
    """Published services in ``user``'s scope whose price (fixed amount, range minimum or maximum,
    unit price, or small-and-micro price) is exactly at a subsidy cap in force for its category or
    for all categories — the pattern that sank the Korean voucher market."""
    caps = caps_in_force(on)
    if not caps:
        return []
    condition = Q()
    for cap in caps:
        price = (
            Q(published_revision__fee_amount=cap.amount)
            | Q(published_revision__fee_min=cap.amount)
            | Q(published_revision__fee_max=cap.amount)
            | Q(published_revision__small_micro_price=cap.amount)
        )
        if cap.category_id is not None:
            price &= Q(category_id=cap.category_id) | Q(top_category_id=cap.category_id)
        condition |= price
    services = list(
        services_in_scope(user)
        .filter(status=ServiceStatus.PUBLISHED)
        .filter(condition)
        .select_related("published_revision", "provider", "provider_district", "category")
        .order_by("-published_at", "-id")[:limit]
    )
    flags: list[tuple[Service, SubsidyCap]] = []
    for service in services:
        revision = service.published_revision
        if revision is None:
            continue
        prices = {revision.fee_amount, revision.fee_min, revision.fee_max, revision.small_micro_price} - {
            None
        }
        for cap in caps:
            applies = cap.category_id is None or cap.category_id in (
                service.category_id,
                service.top_category_id,
            )
            if applies and cap.amount in prices:
                flags.append((service, cap))
                break
    return flags


def queue_count(user: Any) -> int:
    return review_queue(user).count()
