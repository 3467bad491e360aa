"""The public monthly figures of 诉求 (``TicketMonthFigures``), pre-aggregated from the tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sme.core import clock

from ..models import Ticket, TicketMonthFigures, TicketStatus


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class _Month:
    filed: int = 0
    closed: int = 0
    closed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    stars_total: int = 0


@dataclass
class FiguresReport:
    rows: int = 0
    months: list[str] = field(default_factory=list)


@transaction.atomic
def ticket_figures_rebuild(*, since: dt.date | None = None) -> FiguresReport:
    """Recompute ``TicketMonthFigures`` from the tickets (all months, or from the month of ``since``).

    Replaces the rows of the months it covers, so running it twice gives the same table.
    """
    tz = timezone.get_current_timezone()
    start = since.replace(day=1) if since else None
    data: dict[tuple[dt.date, int | None], _Month] = {}

    def bucket(month: Any, district_id: int | None) -> list[_Month]:
        day = month.date() if isinstance(month, dt.datetime) else month
        keys = [(day, district_id), (day, None)]
        return [data.setdefault(k, _Month()) for k in keys]

    filed = Ticket.objects.all()
    closed = Ticket.objects.filter(status=TicketStatus.CLOSED, closed_at__isnull=False)
    if start is not None:
        since_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        filed = filed.filter(filed_at__gte=since_at)
        closed = closed.filter(closed_at__gte=since_at)
    for row in (
        filed.annotate(m=TruncMonth("filed_at", tzinfo=tz))
        .values("m", "district_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        for b in bucket(row["m"], row["district_id"]):
            b.filed += row["n"]
    for row in (
        closed.annotate(m=TruncMonth("closed_at", tzinfo=tz))
        .values("m", "district_id")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(closed_on_time=True)),
            rated=Count("pk", filter=Q(rated_at__isnull=False)),
            satisfied=Count("pk", filter=Q(rated_at__isnull=False, satisfied=True)),
            stars=Sum("satisfaction_stars", filter=Q(rated_at__isnull=False)),
        )
        .order_by()
    ):
        stars_total = row["stars"] or 0
        for b in bucket(row["m"], row["district_id"]):
            b.closed += row["n"]
            b.closed_on_time += row["on_time"]
            b.rated += row["rated"]
            b.satisfied += row["satisfied"]
            b.stars_total += stars_total

    existing = TicketMonthFigures.objects.all()
    if start is not None:
        existing = existing.filter(month__gte=start)
    existing.delete()
    computed_at = clock.now()
    rows = [
        TicketMonthFigures(
            month=month,
            district_id=district_id,
            filed=m.filed,
            closed=m.closed,
            closed_on_time=m.closed_on_time,
            on_time_rate=_rate(m.closed_on_time, m.closed),
            rated=m.rated,
            satisfied=m.satisfied,
            satisfaction_rate=_rate(m.satisfied, m.rated),
            average_stars=(Decimal(m.stars_total) / Decimal(m.rated)).quantize(Decimal("0.01"))
            if m.rated
            else None,
            computed_at=computed_at,
        )
        for (month, district_id), m in sorted(data.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]
    TicketMonthFigures.objects.bulk_create(rows)
    return FiguresReport(rows=len(rows), months=sorted({r.month.strftime("%Y-%m") for r in rows}))
