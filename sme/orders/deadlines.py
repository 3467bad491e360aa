"""The dates an order is held to: when the provider must answer, when the delivery is due, until when
the enterprise may rate. Working days come from the platform's calendar (``sme.workdays``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from sme.workdays.calendar import CalendarNotCovered, add_workdays

from .models import Order

log = logging.getLogger(__name__)

RATING_WINDOW_DAYS = 30


def _workdays_after(start: dt.date, n: int | None) -> dt.date | None:
    """``add_workdays`` that leaves the date open when the calendar does not cover the year yet.

    The daily job fills in an open response deadline once an administrator has entered the year, so an
    order is never refused because of the calendar.
    """
    if n is None:
        return None
    try:
        return add_workdays(start, n)
    except CalendarNotCovered as error:
        log.warning("order deadline left open: %s", error)
        return None


def response_deadline(submitted_on: dt.date, response_workdays: int | None) -> dt.date | None:
    """The day the provider must answer by: its response time in working days (1 when not given)."""
    return _workdays_after(submitted_on, response_workdays or 1)


def delivery_deadline(order: Order, accepted_on: dt.date) -> dt.date | None:
    """The day the delivery is due: the agreed delivery time in working days after acceptance."""
    days = order.snapshot.get("delivery_workdays")
    if days in (None, ""):
        return None
    return _workdays_after(accepted_on, int(days))


def rating_deadline(order: Order) -> dt.date | None:
    """The last day the enterprise may rate a completed order."""
    if order.completed_at is None:
        return None
    return timezone.localdate(order.completed_at) + dt.timedelta(days=RATING_WINDOW_DAYS)
