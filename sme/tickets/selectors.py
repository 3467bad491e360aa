"""Reads of tickets, always within the caller's scope.

- enterprise users: the tickets of the enterprises they are active members of;
- district officers: tickets routed to their district (also after escalation, read-only then);
- city officers: every ticket in their jurisdiction (escalated ones first in their todo);
- administrators: everything (read-only);
- providers and experts: nothing — providers do not see tickets, not even about themselves.
The monthly figures are public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from sme.accounts.models import Role
from sme.core import clock
from sme.core.messages import Message, msg
from sme.core.workflow import START, HistoryEntry, history
from sme.organizations.models import MembershipStatus
from sme.organizations.permissions import jurisdiction_district_ids
from sme.regions.selectors import districts
from sme.workdays.calendar import add_workdays

from .models import (
    OPEN_STATUSES,
    RATING_WINDOW_DAYS,
    HandlingLevel,
    Ticket,
    TicketAttachment,
    TicketMonthFigures,
    TicketStatus,
    TicketType,
)
from .workflow import HANDLING, TICKET


@dataclass(frozen=True)
class DueDates:
    acknowledge: dt.date
    answer: dt.date
    close: dt.date


def due_dates(ticket_type: TicketType, filed_on: dt.date) -> DueDates:
    """The working-day deadlines of a ticket of ``ticket_type`` filed on ``filed_on``."""
    return DueDates(
        acknowledge=add_workdays(filed_on, ticket_type.acknowledge_workdays),
        answer=add_workdays(filed_on, ticket_type.answer_workdays),
        close=add_workdays(filed_on, ticket_type.close_workdays),
    )


def overdue_reason(ticket: Ticket, today: dt.date) -> Message:
    """Which stage ran out and by when it was due, e.g. "受理超时（应于2026年10月8日前受理）"."""
    stage = {
        TicketStatus.FILED: msg("受理"),
        TicketStatus.ACKNOWLEDGED: msg("答复"),
        TicketStatus.ANSWERED: msg("办结"),
    }.get(TicketStatus(ticket.status), "")
    return msg("%(stage)s超时（应于%(day)s前%(stage)s）", stage=stage, day=ticket.stage_due() or "")


def overdue_filter(today: dt.date) -> Q:
    """Open tickets whose current stage is past its due date."""
    return (
        Q(status=TicketStatus.FILED, acknowledge_due__lt=today)
        | Q(status=TicketStatus.ACKNOWLEDGED, answer_due__lt=today)
        | Q(status=TicketStatus.ANSWERED, close_due__lt=today)
    )


def can_see_tickets(user: Any) -> bool:
    """Whether the role has a ticket list at all (the rest get 403)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_platform_admin or user.role in (Role.ENTERPRISE, Role.DISTRICT_OFFICER, Role.CITY_OFFICER)


def tickets_visible_to(user: Any) -> QuerySet[Ticket]:
    qs = Ticket.objects.select_related(
        "ticket_type", "enterprise", "district", "provider", "assigned_officer"
    )
    if not can_see_tickets(user):
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.role == Role.ENTERPRISE:
        return qs.filter(
            enterprise__memberships__user=user, enterprise__memberships__status=MembershipStatus.ACTIVE
        )
    return qs.filter(district_id__in=jurisdiction_district_ids(user))


def ticket_for(user: Any, pk: int) -> Ticket:
    """One ticket in the caller's scope, or 404 (out of scope looks the same as missing)."""
    ticket = tickets_visible_to(user).select_related("order", "filed_by", "rated_by").filter(pk=pk).first()
    if ticket is None:
        raise Http404
    return ticket


def timeline(ticket: Ticket) -> list[HistoryEntry]:
    """Everything that happened to the ticket, oldest first: its status moves and its handling level.

    Tickets filed before the creation row was logged get one made from their filing time.
    """
    entries = history(TICKET, ticket) + history(HANDLING, ticket)
    if ticket.escalation_message:
        # The platform's escalation note was written in the platform's language; show its message.
        entries = [
            replace(e, note=ticket.escalation_text) if e.action == "escalate" and e.actor is None else e
            for e in entries
        ]
    if not any(e.action == "file" for e in entries):
        entries.append(
            HistoryEntry(
                at=ticket.filed_at,
                actor=ticket.filed_by,
                action="file",
                label=TICKET.action_label("file"),
                from_status=TICKET.status_labels[START],
                to_status=TICKET.status_labels[TicketStatus.FILED],
                note="",
            )
        )
    return sorted(entries, key=lambda e: e.at)


def may_read_attachment(user: Any, attachment: TicketAttachment) -> bool:
    """The read rule of ``files:download`` for 诉求 attachments: whoever may open the ticket."""
    return tickets_visible_to(user).filter(pk=attachment.ticket_id).exists()


def attachments_of(ticket: Ticket) -> list[TicketAttachment]:
    return list(TicketAttachment.objects.filter(ticket=ticket).order_by("uploaded_at", "id"))


def ticket_list(
    user: Any, *, status: str = "", overdue: bool = False, level: str = "", today: dt.date
) -> QuerySet[Ticket]:
    qs = tickets_visible_to(user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in TicketStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_filter(today))
    if level in HandlingLevel.values:
        qs = qs.filter(handling_level=level)
    return qs.order_by("-filed_at", "-id")


def pending_for_officer(user: Any, today: dt.date) -> tuple[int, int]:
    """(tickets waiting for this officer to act, of which overdue) — the officer's todo."""
    if user.role == Role.DISTRICT_OFFICER:
        level = HandlingLevel.DISTRICT
    elif user.role == Role.CITY_OFFICER:
        level = HandlingLevel.CITY
    else:
        return 0, 0
    waiting = tickets_visible_to(user).filter(
        handling_level=level, status__in=[TicketStatus.FILED, TicketStatus.ACKNOWLEDGED]
    )
    return waiting.count(), waiting.filter(overdue_filter(today)).count()


def rating_window_open(ticket: Ticket) -> bool:
    """A closed, unrated ticket within the rating window (``RATING_WINDOW_DAYS``) of its closing."""
    return (
        ticket.status == TicketStatus.CLOSED
        and ticket.rated_at is None
        and ticket.closed_at is not None
        and clock.now() <= ticket.closed_at + dt.timedelta(days=RATING_WINDOW_DAYS)
    )


def unrated_for_enterprise(user: Any) -> int:
    """The enterprise's closed tickets still waiting for its rating (its to-do)."""
    since = clock.now() - dt.timedelta(days=RATING_WINDOW_DAYS)
    return (
        tickets_visible_to(user)
        .filter(status=TicketStatus.CLOSED, rated_at__isnull=True, closed_at__gte=since)
        .count()
    )


def types_in_force(on: dt.date) -> QuerySet[TicketType]:
    return TicketType.objects.in_force(on)


def month_figures(*, district_id: int | None, months: list[dt.date]) -> list[TicketMonthFigures | None]:
    """The figures of each month in ``months`` (None where nothing was filed or closed)."""
    rows = TicketMonthFigures.objects.filter(month__in=months)
    rows = rows.filter(district_id=district_id) if district_id else rows.filter(district__isnull=True)
    by_month = {r.month: r for r in rows}
    return [by_month.get(m) for m in months]


def last_months(today: dt.date, n: int = 12) -> list[dt.date]:
    """The first days of the ``n`` months up to and including ``today``'s, oldest first."""
    first = today.replace(day=1)
    out = [first]
    for _i in range(n - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(first)
    return list(reversed(out))


def districts_with_figures() -> QuerySet[Any]:
    return districts()
