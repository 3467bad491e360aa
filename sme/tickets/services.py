"""Writes to 诉求 tickets: filing, the handling steps, escalation, the enterprise's rating, the figures.

Every status change goes through ``sme.core.workflow.apply_transition`` (compare-and-set on the status,
transition log, audit row); the handling level moves the same way through ``workflow.HANDLING``. People
are told after commit. Nothing here takes a request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.files import store_upload
from sme.core.messages import Message, msg
from sme.core.parsing import Problems
from sme.core.uploads import inspect_upload
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify
from sme.organizations.models import PROVIDER_KINDS, Organization, OrganizationKind
from sme.workdays.calendar import CalendarNotCovered, add_workdays

from . import permissions
from .models import (
    HandlingLevel,
    Ticket,
    TicketAttachment,
    TicketKind,
    TicketMonthFigures,
    TicketStatus,
    TicketType,
)
from .workflow import CITY, FILER, HANDLING, SYSTEM, TICKET

EVENT = "tickets"  # the notification category people may mute for e-mail
MAX_ATTACHMENTS = 5
RATING_WINDOW_DAYS = 30
SUBJECT_MAX = 120
DESCRIPTION_MAX = 5000


def _check_version(ticket: Ticket, version: int | None) -> None:
    if version is not None and int(version) != ticket.version:
        raise Conflict(_("该诉求刚刚已被他人处理，您的操作未生效。请刷新页面查看最新状态。"))


def _bump() -> dict[str, Any]:
    return {"version": F("version") + 1}


# --- filing ---------------------------------------------------------------------------------------


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


def _route(
    *, kind: str, enterprise: Organization, order: Any, provider: Organization | None
) -> tuple[Any, Organization | None, int]:
    """(order, provider, district id) for a new ticket, or InvalidInput naming the field."""
    if kind == TicketKind.ORDER_COMPLAINT:
        if order is None:
            raise InvalidInput(_("请选择所投诉的订单。"), {"order": [_("投诉订单时必须选择订单。")]})
        if order.enterprise_id != enterprise.pk:
            raise InvalidInput(_("只能投诉本企业的订单。"), {"order": [_("该订单不是本企业的订单。")]})
        return order, order.provider, order.provider_district_id
    if kind == TicketKind.PROVIDER_COMPLAINT:
        if provider is None:
            raise InvalidInput(
                _("请选择所投诉的服务机构。"), {"provider": [_("投诉服务机构时必须选择服务机构。")]}
            )
        if provider.kind not in PROVIDER_KINDS or provider.pk == enterprise.pk:
            raise InvalidInput(_("所选机构不是服务机构。"), {"provider": [_("所选机构不是服务机构。")]})
        return None, provider, provider.district_id
    return None, None, enterprise.district_id


@transaction.atomic
def ticket_file(
    *,
    actor: Any,
    enterprise: Organization,
    ticket_type: TicketType,
    subject: str,
    description: str,
    order: Any = None,
    provider: Organization | None = None,
    files: Iterable[File] = (),
) -> Ticket:
    """File a ticket for ``enterprise``: routed, with the type's limits and due dates copied onto it."""
    if getattr(actor, "role", None) != Role.ENTERPRISE or not permissions.is_member_of(actor, enterprise.pk):
        raise NotAllowed(_("只有企业用户可以为本企业提出诉求。"))
    if enterprise.kind != OrganizationKind.ENTERPRISE:
        raise NotAllowed(_("只有企业可以提出诉求。"))
    now = clock.now()
    today = timezone.localdate(now)
    problems: dict[str, list[str]] = {}
    subject = (subject or "").strip()
    description = (description or "").strip()
    if not subject:
        problems["subject"] = [_("请填写标题。")]
    elif len(subject) > SUBJECT_MAX:
        problems["subject"] = [_("标题不能超过%(n)s个字。") % {"n": SUBJECT_MAX}]
    if not description:
        problems["description"] = [_("请填写诉求内容。")]
    elif len(description) > DESCRIPTION_MAX:
        problems["description"] = [_("诉求内容不能超过%(n)s个字。") % {"n": DESCRIPTION_MAX}]
    if not TicketType.objects.in_force(today).filter(pk=ticket_type.pk).exists():
        problems["ticket_type"] = [_("该诉求类型当前不可选用。")]
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        problems["files"] = [_("附件最多%(n)s个。") % {"n": MAX_ATTACHMENTS}]
    if problems:
        raise InvalidInput(_("请修改标红的项目后再提交。"), problems)
    order, provider, district_id = _route(
        kind=ticket_type.kind, enterprise=enterprise, order=order, provider=provider
    )
    checked = [(f, inspect_upload(f, field="files")) for f in files]
    try:
        due = due_dates(ticket_type, today)
    except CalendarNotCovered as exc:
        raise InvalidInput(str(exc)) from exc

    ticket = Ticket.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:20]}",
        ticket_type=ticket_type,
        kind=ticket_type.kind,
        enterprise=enterprise,
        filed_by=actor,
        order=order,
        provider=provider,
        subject=subject,
        description=description,
        district_id=district_id,
        rule_version=ticket_type.rule_label,
        acknowledge_workdays=ticket_type.acknowledge_workdays,
        answer_workdays=ticket_type.answer_workdays,
        close_workdays=ticket_type.close_workdays,
        filed_at=now,
        acknowledge_due=due.acknowledge,
        answer_due=due.answer,
        close_due=due.close,
    )
    ticket.number = f"SQ{today.year}{ticket.pk:07d}"
    Ticket.objects.filter(pk=ticket.pk).update(number=ticket.number)
    for upload, info in checked:
        store_upload(TicketAttachment, upload, prefix="tickets", actor=actor, info=info, ticket=ticket)
    start_transition(
        workflow=TICKET,
        obj=ticket,
        action="file",
        actor=actor,
        roles=permissions.roles_for(actor, ticket),
        changes={
            "district": ticket.district_id,
            "rule_version": ticket.rule_version,
            "due": [due.acknowledge.isoformat(), due.answer.isoformat(), due.close.isoformat()],
        },
    )
    notify(
        permissions.district_officers_of(ticket),
        title=msg("新的企业诉求待受理：%(number)s", number=ticket.number),
        body=msg("请于%(day)s前受理。", day=due.acknowledge),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


# --- the handling steps ---------------------------------------------------------------------------


def _move(
    ticket: Ticket,
    *,
    actor: Any,
    action: str,
    note: str = "",
    updates: dict[str, Any] | None = None,
    version: int | None = None,
) -> Ticket:
    _check_version(ticket, version)
    roles = permissions.roles_for(actor, ticket)
    return apply_transition(
        workflow=TICKET,
        obj=ticket,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={**(updates or {}), **_bump()},
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


# --- handling level: escalation and take-over -----------------------------------------------------


def _raise_level(ticket: Ticket, *, actor: Any, action: str, roles: set[str], note: str) -> Ticket:
    updates: dict[str, Any] = {"escalated_at": clock.now(), **_bump()}
    if action == "escalate":
        updates["escalation_reason"] = note[:300]
        updates["assigned_officer"] = None
    else:
        updates["escalation_reason"] = note[:300] or _("市级提级办理")
        updates["assigned_officer"] = actor
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
    _check_version(ticket, version)
    roles = permissions.roles_for(actor, ticket) & {CITY}
    ticket = _raise_level(ticket, actor=actor, action="take_over", roles=roles, note=note.strip())
    notify(
        permissions.district_officers_of(ticket) + permissions.enterprise_people(ticket),
        title=msg("诉求已由市级主管部门提级办理：%(number)s", number=ticket.number),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


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


def tickets_escalate_overdue(*, today: dt.date | None = None) -> list[int]:
    """Escalate every overdue ticket still handled in the district to the city; returns their ids.

    Idempotent: a ticket already at the city is not touched again, and a ticket moved by someone else
    meanwhile is skipped (compare-and-set), so running twice a day changes nothing the second time.
    """
    today = today or clock.today()
    escalated: list[int] = []
    candidates = Ticket.objects.filter(overdue_filter(today), handling_level=HandlingLevel.DISTRICT)
    for ticket in candidates.select_related("district").order_by("pk"):
        reason = overdue_reason(ticket, today)
        try:
            with transaction.atomic():
                ticket = _raise_level(
                    ticket, actor=None, action="escalate", roles={SYSTEM}, note=reason.render()
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


# --- the enterprise's rating of the handling ------------------------------------------------------


@transaction.atomic
def ticket_rate(*, actor: Any, ticket: Ticket, stars: int, satisfied: bool, comment: str = "") -> Ticket:
    """The enterprise rates the handling of its closed ticket, once, within 30 days of closing."""
    if FILER not in permissions.roles_for(actor, ticket):
        raise NotAllowed(_("只有提出诉求的企业可以评价办理情况。"))
    if ticket.status != TicketStatus.CLOSED or ticket.closed_at is None:
        raise Conflict(_("诉求办结后才能评价。"))
    if ticket.rated_at is not None:
        raise Conflict(_("您已评价过该诉求，每件诉求只能评价一次。"))
    if clock.now() > ticket.closed_at + dt.timedelta(days=RATING_WINDOW_DAYS):
        raise Conflict(_("已超过办结后%(n)s天的评价期限。") % {"n": RATING_WINDOW_DAYS})
    problems = Problems()
    given = parsing.integer(
        stars, "stars", problems, label=_("办理评价"), minimum=1, maximum=5, required=True
    )
    problems.raise_if_any(_("请选择1至5星。"))
    comment = (comment or "").strip()
    # The ticket was closed when read and nothing but the rating changes a closed ticket, so a
    # version moved since means someone of the enterprise rated it first.
    update_versioned(
        ticket,
        conflict_message=_("您已评价过该诉求，每件诉求只能评价一次。"),
        satisfaction_stars=given,
        satisfied=bool(satisfied),
        satisfaction_comment=comment,
        rated_at=clock.now(),
        rated_by=actor,
    )
    audit.record(
        "ticket.rate",
        actor=actor,
        obj=ticket,
        summary=msg(
            "评价办理情况：%(stars)s星，%(satisfied)s",
            stars=given,
            satisfied=msg("满意") if satisfied else msg("不满意"),
        ),
        changes={"satisfaction_stars": [None, given], "satisfied": [None, bool(satisfied)]},
    )
    notify(
        permissions.handlers_of(ticket),
        title=msg("企业已评价诉求办理：%(number)s", number=ticket.number),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket


# --- public monthly figures -----------------------------------------------------------------------


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


# --- the daily job --------------------------------------------------------------------------------

FIGURES_MONTHS_REFRESHED = 13


@dataclass
class DailyReport:
    today: dt.date
    escalated: list[int]
    figure_rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "escalated": self.escalated, "figure_rows": self.figure_rows}


def tickets_daily(*, today: dt.date | None = None) -> DailyReport:
    """Escalate overdue tickets and refresh the monthly figures of the last 13 months. Idempotent."""
    today = today or clock.today()
    escalated = tickets_escalate_overdue(today=today)
    first = today.replace(day=1)
    for _i in range(FIGURES_MONTHS_REFRESHED - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    report = ticket_figures_rebuild(since=first)
    return DailyReport(today=today, escalated=escalated, figure_rows=report.rows)
