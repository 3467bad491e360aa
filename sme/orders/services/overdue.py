"""The daily job of orders (registered in ``apps.py``): response deadlines the calendar could not give
yet are filled in, and orders still unanswered after theirs are flagged, once, to the provider's
managers and the officers of its district."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sme.core import audit, clock
from sme.core.messages import msg
from sme.organizations.permissions import district_officers_covering, organization_people

from ..deadlines import response_deadline
from ..models import Order, OrderStatus
from .telling import tell


def order_flag_overdue(*, order: Order, now: dt.datetime | None = None) -> bool:
    """Flag a ``submitted`` order past its response deadline, once; tell the provider's managers and the
    district officers of its district. Returns whether it was flagged now."""
    now = now or clock.now()
    with transaction.atomic():
        changed = Order.objects.filter(
            pk=order.pk, status=OrderStatus.SUBMITTED, overdue_flagged_at__isnull=True
        ).update(overdue_flagged_at=now)
        if not changed:
            return False
        audit.record(
            "order.flag_overdue",
            obj=order,
            summary=msg("超过应答截止日%(date)s未答复", date=order.respond_by or ""),
            changes={"overdue_flagged_at": [None, now.isoformat()]},
        )
        people = organization_people(order.provider_id, managers_only=True) + district_officers_covering(
            order.provider_district_id
        )
        tell(
            people,
            order,
            title=msg("订单%(number)s超时未答复", number=order.number),
            body=msg("应答截止日为%(date)s，请尽快处理。", date=order.respond_by or ""),
        )
    return True


def orders_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: fill in response deadlines the calendar could not give yet, then flag the
    ``submitted`` orders whose deadline has passed."""
    today = today or clock.today()
    filled = 0
    for order in Order.objects.filter(status=OrderStatus.SUBMITTED, respond_by__isnull=True).select_related(
        "service_revision"
    ):
        workdays = order.snapshot.get("response_workdays") or 1
        deadline = response_deadline(timezone.localdate(order.submitted_at), int(workdays))
        if deadline is not None:
            filled += Order.objects.filter(pk=order.pk, respond_by__isnull=True).update(respond_by=deadline)
    flagged = 0
    late = Order.objects.filter(
        status=OrderStatus.SUBMITTED, respond_by__lt=today, overdue_flagged_at__isnull=True
    ).only("pk", "number", "provider_id", "provider_district_id", "respond_by")
    for order in late.iterator():
        if order_flag_overdue(order=order):
            flagged += 1
    return {"deadlines_filled": filled, "flagged": flagged}
