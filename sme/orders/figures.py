"""Providers' measured yearly figures, pre-aggregated into ``ProviderYearFigures``.

A year's figures count the orders *completed* in that calendar year (local time) and the visible
ratings of those orders. Everything is aggregated in SQL, grouped by provider: one pass over the
year's completed orders and one over their ratings, then an upsert — so all providers of a year are
recomputed in two queries plus the writes, and one provider's year in two small indexed queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg, Count, F, FloatField, Min, Q
from django.db.models.functions import Cast
from django.utils import timezone

from sme.core import clock

from .models import Order, OrderStatus, ProviderYearFigures, Rating

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WRITE_BATCH = 2000


@dataclass
class _Tally:
    smes_served: int = 0
    orders_completed: int = 0
    delivered_with_deadline: int = 0
    delivered_on_time: int = 0
    ratings: int = 0
    satisfied: int = 0
    stars_average: float | None = None


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``year`` and of the next one, in the installation's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    return start, end


def completion_year(completed_at: dt.datetime) -> int:
    return timezone.localtime(completed_at).year


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def _tallies(year: int, provider_ids: Iterable[int] | None = None) -> dict[int, _Tally]:
    start, end = year_bounds(year)
    orders = Order.objects.filter(status=OrderStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end)
    ratings = Rating.objects.filter(
        is_hidden=False,
        order__status=OrderStatus.COMPLETED,
        order__completed_at__gte=start,
        order__completed_at__lt=end,
    )
    if provider_ids is not None:
        ids = list(provider_ids)
        orders = orders.filter(provider_id__in=ids)
        ratings = ratings.filter(provider_id__in=ids)
    tallies: dict[int, _Tally] = {}
    order_rows = (
        orders.order_by()
        .values("provider_id")
        .annotate(
            smes=Count("enterprise_id", distinct=True),
            completed=Count("id"),
            with_deadline=Count("id", filter=Q(delivered_on_time__isnull=False)),
            on_time=Count("id", filter=Q(delivered_on_time=True)),
        )
    )
    for provider_id, smes, completed, with_deadline, on_time in order_rows.values_list(
        "provider_id", "smes", "completed", "with_deadline", "on_time"
    ):
        tallies[provider_id] = _Tally(
            smes_served=smes,
            orders_completed=completed,
            delivered_with_deadline=with_deadline,
            delivered_on_time=on_time,
        )
    stars = Cast(F("quality") + F("timeliness") + F("attitude"), FloatField()) / 3.0
    rating_rows = (
        ratings.order_by()
        .values("provider_id")
        .annotate(rated=Count("id"), happy=Count("id", filter=Q(satisfied=True)), mean=Avg(stars))
    )
    for provider_id, rated, happy, average in rating_rows.values_list(
        "provider_id", "rated", "happy", "mean"
    ):
        tally = tallies.setdefault(provider_id, _Tally())
        tally.ratings = rated
        tally.satisfied = happy
        tally.stars_average = average
    return tallies


def _row(provider_id: int, year: int, tally: _Tally, now: dt.datetime) -> ProviderYearFigures:
    average = (
        None
        if tally.stars_average is None
        else Decimal(str(tally.stars_average)).quantize(CENT, rounding=ROUND_HALF_UP)
    )
    return ProviderYearFigures(
        provider_id=provider_id,
        year=year,
        smes_served=tally.smes_served,
        orders_completed=tally.orders_completed,
        ratings=tally.ratings,
        satisfied=tally.satisfied,
        satisfaction_rate=percent(tally.satisfied, tally.ratings),
        average_stars=average,
        delivered_with_deadline=tally.delivered_with_deadline,
        delivered_on_time=tally.delivered_on_time,
        on_time_rate=percent(tally.delivered_on_time, tally.delivered_with_deadline),
        computed_at=now,
    )


_UPDATED_FIELDS = [
    "smes_served",
    "orders_completed",
    "ratings",
    "satisfied",
    "satisfaction_rate",
    "average_stars",
    "delivered_with_deadline",
    "delivered_on_time",
    "on_time_rate",
    "computed_at",
]


def _write(year: int, tallies: dict[int, _Tally], *, provider_ids: list[int] | None) -> int:
    """Upsert the year's rows; rows of providers with nothing left in the year are removed."""
    now = timezone.now()
    rows = [_row(pid, year, tally, now) for pid, tally in tallies.items()]
    with transaction.atomic():
        existing = ProviderYearFigures.objects.filter(year=year)
        if provider_ids is not None:
            existing = existing.filter(provider_id__in=provider_ids)
        gone = [
            pid for pid in existing.values_list("provider_id", flat=True).iterator() if pid not in tallies
        ]
        for i in range(0, len(gone), WRITE_BATCH):
            ProviderYearFigures.objects.filter(year=year, provider_id__in=gone[i : i + WRITE_BATCH]).delete()
        for i in range(0, len(rows), WRITE_BATCH):
            ProviderYearFigures.objects.bulk_create(
                rows[i : i + WRITE_BATCH],
                update_conflicts=True,
                unique_fields=["provider", "year"],
                update_fields=_UPDATED_FIELDS,
            )
    return len(rows)


def rebuild_year(year: int) -> int:
    """Recompute every provider's figures for ``year``; returns the number of providers with figures."""
    return _write(year, _tallies(year), provider_ids=None)


def refresh_provider_year(provider_id: int, year: int) -> None:
    """Recompute one provider's figures for one year (cheap: two indexed aggregates)."""
    _write(year, _tallies(year, [provider_id]), provider_ids=[provider_id])


def years_with_completions() -> list[int]:
    first = Order.objects.filter(status=OrderStatus.COMPLETED).aggregate(first=Min("completed_at"))["first"]
    this_year = clock.today().year
    if first is None:
        return [this_year]
    return list(range(completion_year(first), this_year + 1))


def rebuild(years: Iterable[int] | None = None) -> dict[int, int]:
    """Recompute all providers for ``years`` (default: every year with a completed order up to now)."""
    return {
        year: rebuild_year(year) for year in (list(years) if years is not None else years_with_completions())
    }
