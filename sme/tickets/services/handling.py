"""The handling of a 诉求: acknowledge, answer, confirm or close, reopen once, withdraw; the city
taking a ticket over; the daily escalation of overdue tickets to the city."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sme.core import clock
from sme.core.errors import Conflict, InvalidInput
from sme.core.messages import Message, as_message, msg
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.workdays.calendar import CalendarNotCovered, add_workdays

from .. import permissions, selectors
from ..models import HandlingLevel, Ticket
from ..workflow import CITY, HANDLING, SYSTEM, TICKET
from .common import EVENT, check_version, next_version


def _move(
    ticket: Ticket,
    *,
    actor: Any,
    action: str,
    note: str = "",
    updates: dict[str, Any] | None = None,
    version: int | None = None,
) -> Ticket:
    check_version(ticket, version)
    roles = permissions.roles_for(actor, ticket)
    return apply_transition(
        workflow=TICKET,
        obj=ticket,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={**(updates or {}), **next_version()},
    )


@transaction.atomic
def ticket_acknowledge(*, actor: Any, ticket: Ticket, version: int | None = None) -> Ticket:
    """The handling officer acknowledges the ticket and becomes its assigned officer."""
    ticket = _move(
        ticket,
        actor=actor,
        action="acknowledge",
        updates={"acknowledged_at": clock.now(), "assigned_officer": actor},
        version=version,
    )
    notify(
        permissions.enterprise_people(ticket),
        title=msg("您的诉求已受理：%(number)s", number=ticket.number),
        body=msg("主管部门将于%(day)s前答复。", day=ticket.answer_due),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


@transaction.atomic
def ticket_answer(*, actor: Any, ticket: Ticket, answer: str, version: int | None = None) -> Ticket:
    """The handling officer answers; the answer text is required."""
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(_("请填写答复内容。"), {"answer": [_("答复内容不能为空。")]})
    ticket = _move(
        ticket,
        actor=actor,
        action="answer",
        note=answer,
        updates={"answer": answer, "answered_at": clock.now(), "assigned_officer": actor},
        version=version,
    )
    notify(
        permissions.enterprise_people(ticket),
        title=msg("您的诉求已答复：%(number)s", number=ticket.number),
        body=msg("请查看答复，确认办结；如不满意，可重新提出一次。"),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


def _close_updates(ticket: Ticket) -> dict[str, Any]:
    """Closing records whether it happened by the close due date (for the monthly on-time rate)."""
    now = clock.now()
    return {"closed_at": now, "closed_on_time": timezone.localdate(now) <= ticket.close_due}


@transaction.atomic
def ticket_confirm(*, actor: Any, ticket: Ticket, version: int | None = None) -> Ticket:
    """The enterprise accepts the answer: the ticket is closed and can be rated."""
    ticket = _move(ticket, actor=actor, action="confirm", updates=_close_updates(ticket), version=version)
    notify(
        permissions.handlers_of(ticket),
        title=msg("企业已确认办结：%(number)s", number=ticket.number),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


@transaction.atomic
def ticket_close(*, actor: Any, ticket: Ticket, note: str = "", version: int | None = None) -> Ticket:
    """The handling officer closes an answered ticket (e.g. the enterprise did not respond)."""
    ticket = _move(
        ticket, actor=actor, action="close", note=note, updates=_close_updates(ticket), version=version
    )
    notify(
        permissions.enterprise_people(ticket),
        title=msg("您的诉求已办结：%(number)s", number=ticket.number),
        body=msg("欢迎对办理情况作出评价。"),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


@transaction.atomic
def ticket_reopen(*, actor: Any, ticket: Ticket, reason: str, version: int | None = None) -> Ticket:
    """The enterprise rejects the answer, once, with a reason: back to 已受理, answer and close clocks
    restart from today under the ticket's own limits (docs/workflows/ticket.md)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写重新提出的理由。"), {"reason": [_("理由不能为空。")]})
    today = clock.today()
    try:
        answer_due = add_workdays(today, max(ticket.answer_workdays - ticket.acknowledge_workdays, 1))
        close_due = add_workdays(today, max(ticket.close_workdays - ticket.acknowledge_workdays, 1))
    except CalendarNotCovered as exc:
        raise InvalidInput(str(exc)) from exc
    ticket = _move(
        ticket,
        actor=actor,
        action="reopen",
        note=reason,
        updates={
            "reopened_at": clock.now(),
            "reopen_reason": reason,
            "answered_at": None,
            "answer_due": answer_due,
            "close_due": close_due,
        },
        version=version,
    )
    notify(
        permissions.handlers_of(ticket),
        title=msg("企业对答复不满意，重新提出：%(number)s", number=ticket.number),
        body=msg("理由：%(reason)s。请于%(day)s前重新答复。", reason=reason, day=answer_due),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


@transaction.atomic
def ticket_withdraw(*, actor: Any, ticket: Ticket, reason: str = "", version: int | None = None) -> Ticket:
    """The enterprise withdraws its ticket before it is answered."""
    ticket = _move(
        ticket,
        actor=actor,
        action="withdraw",
        note=reason,
        updates={"withdrawn_at": clock.now()},
        version=version,
    )
    notify(
        permissions.handlers_of(ticket),
        title=msg("企业已撤回诉求：%(number)s", number=ticket.number),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


def _raise_level(
    ticket: Ticket, *, actor: Any, action: str, roles: set[str], reason: Message, note: str
) -> Ticket:
    """Move the ticket to the city with ``note`` in its log. ``reason`` is kept as a message (shown in
    the reader's language) and, rendered in the platform's language, as the reason's plain text."""
    with translation.override(settings.LANGUAGE_CODE):
        reason_text = reason.render()
    updates: dict[str, Any] = {
        "escalated_at": clock.now(),
        "escalation_reason": reason_text[:300],
        "escalation_message": reason.to_json(),
        "assigned_officer": None if action == "escalate" else actor,
        **next_version(),
    }
    return apply_transition(
        workflow=HANDLING,
        obj=ticket,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        status_field="handling_level",
        updates=updates,
    )


@transaction.atomic
def ticket_take_over(*, actor: Any, ticket: Ticket, note: str = "", version: int | None = None) -> Ticket:
    """A city officer takes an open ticket over from the district (any time before it is closed)."""
    check_version(ticket, version)
    roles = permissions.roles_for(actor, ticket) & {CITY}
    note = note.strip()
    reason = as_message(note) if note else msg("市级提级办理")
    ticket = _raise_level(ticket, actor=actor, action="take_over", roles=roles, reason=reason, note=note)
    notify(
        permissions.district_officers_of(ticket) + permissions.enterprise_people(ticket),
        title=msg("诉求已由市级主管部门提级办理：%(number)s", number=ticket.number),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


def tickets_escalate_overdue(*, today: dt.date | None = None) -> list[int]:
    """Escalate every overdue ticket still handled in the district to the city; returns their ids.

    Idempotent: a ticket already at the city is not touched again, and a ticket moved by someone else
    meanwhile is skipped (compare-and-set), so running twice a day changes nothing the second time.
    """
    today = today or clock.today()
    escalated: list[int] = []
    candidates = Ticket.objects.filter(selectors.overdue_filter(today), handling_level=HandlingLevel.DISTRICT)
    for ticket in candidates.select_related("district").order_by("pk"):
        reason = selectors.overdue_reason(ticket, today)
        try:
            with transaction.atomic():
                with translation.override(settings.LANGUAGE_CODE):
                    note = reason.render()
                ticket = _raise_level(
                    ticket, actor=None, action="escalate", roles={SYSTEM}, reason=reason, note=note
                )
                notify(
                    permissions.city_officers_of(ticket) + permissions.district_officers_of(ticket),
                    title=msg("诉求超时，已上报市级：%(number)s", number=ticket.number),
                    body=reason,
                    url=ticket.get_absolute_url(),
                    event=EVENT,
                )
        except Conflict:
            continue
        escalated.append(ticket.pk)
    return escalated
