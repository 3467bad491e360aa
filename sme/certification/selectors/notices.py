"""Reads of public notices and their objections.

Notices are public (第十条): the lists and a notice's page need no scope. An objection is read for
resolving only by those who can see its application.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from sme.workdays.calendar import CalendarNotCovered, add_workdays, is_workday, workdays_between

from ..models import Application, ApplicationStatus, Notice, Objection, ObjectionStatus, Scheme
from .applications import applications_visible_to

# Objections that keep a title from being granted: not yet resolved, or upheld.
BLOCKING = (ObjectionStatus.OPEN, ObjectionStatus.UPHELD)
_PUBLIC_RELATED = ("application", "application__organization", "application__district", "scheme")


def notices_current(today: dt.date) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(closed_at__isnull=True, ends_on__gte=today)
        .select_related(*_PUBLIC_RELATED)
        .order_by("-published_on", "-id")
    )


def notices_past(today: dt.date) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(Q(closed_at__isnull=False) | Q(ends_on__lt=today))
        .select_related(*_PUBLIC_RELATED)
        .order_by("-published_on", "-id")
    )


def notice_public(pk: int) -> Notice:
    """A notice with what its public page shows, or 404."""
    notice = Notice.objects.select_related(*_PUBLIC_RELATED).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notices_of(application: Application) -> list[Notice]:
    return list(application.notices.prefetch_related("objections").order_by("-published_on"))


def open_notice(application: Application) -> Notice | None:
    """The application's notice that has not been closed (granted or withdrawn) yet."""
    return application.notices.filter(closed_at__isnull=True).order_by("-published_on", "-id").first()


def has_blocking_objection(notice: Notice) -> bool:
    return notice.objections.filter(status__in=BLOCKING).exists()


def notices_due(today: dt.date) -> QuerySet[Notice]:
    """Open notices whose period ended before ``today``, of applications still on notice."""
    return Notice.objects.filter(
        closed_at__isnull=True, ends_on__lt=today, application__status=ApplicationStatus.NOTICE
    ).select_related("application", "application__scheme")


def objection_for(user: Any, pk: int) -> Objection:
    """An objection whose application ``user`` can see (with its notice and application), or 404."""
    objection = (
        Objection.objects.select_related("notice__application", "notice__scheme").filter(pk=pk).first()
    )
    if (
        objection is None
        or not applications_visible_to(user).filter(pk=objection.notice.application_id).exists()
    ):
        raise Http404
    return objection


def applications_with_open_objections(user: Any) -> int:
    """How many applications on notice in ``user``'s scope have an objection waiting."""
    return (
        applications_visible_to(user)
        .filter(status=ApplicationStatus.NOTICE, notices__objections__status=ObjectionStatus.OPEN)
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class NoticeFacts:
    state: str  # "upcoming" | "open" | "ended" | "closed"
    day_one_is_publication_day: bool
    workdays_left: int | None


def notice_facts(notice: Notice, today: dt.date) -> NoticeFacts:
    """Where a notice stands on ``today`` and how many working days it still runs."""
    if notice.closed_at is not None:
        state = "closed"
    elif today < notice.starts_on:
        state = "upcoming"
    elif today <= notice.ends_on:
        state = "open"
    else:
        state = "ended"
    left: int | None = None
    if state in ("open", "upcoming"):
        try:  # the working days still to come, today included when it is one
            left = workdays_between(max(today, notice.starts_on) - dt.timedelta(days=1), notice.ends_on)
        except CalendarNotCovered:
            left = None
    return NoticeFacts(state, notice.scheme.notice_day_one_is_publication_day, left)


def notice_dates(scheme: Scheme, published_on: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a notice published on ``published_on``, on the working-day calendar.

    With ``notice_day_one_is_publication_day`` a notice published on a working day counts that day as
    day one; otherwise (or when published on a rest day) day one is the next working day.
    Raises :class:`CalendarNotCovered` for a year the calendar does not cover.
    """
    n = scheme.notice_workdays
    if scheme.notice_day_one_is_publication_day and is_workday(published_on):
        return published_on, add_workdays(published_on, n - 1)
    return add_workdays(published_on, 1), add_workdays(published_on, n)
