"""The 诉求 state machines, as tables. Mirrored in docs/workflows/ticket.md.

Roles are relationships, computed per (user, ticket) by ``permissions.roles_for``:

- ``filer``: an active member of the enterprise that filed the ticket;
- ``handler``: the officer who handles it at its current level — a district officer covering the
  ticket's district while it is handled in the district, a city officer once it is handled by the city;
- ``city``: a city officer (may take a ticket over at any time);
- ``system``: the daily job (``tickets_daily``) that escalates overdue tickets.

Two tables: ``TICKET`` moves the status; ``HANDLING`` moves the handling level (district → city) by
escalation or take-over, without touching the status. Both write through ``apply_transition``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import Transition, Workflow

from .models import HandlingLevel as L
from .models import TicketStatus as S

FILER = "filer"
HANDLER = "handler"
CITY = "city"
SYSTEM = "system"

ROLE_LABELS = {
    FILER: _("提出诉求的企业"),
    HANDLER: _("承办的主管部门（区县，上报后为市级）"),
    CITY: _("市级主管部门"),
    SYSTEM: _("平台定时任务"),
}

REOPEN_LIMIT = 1


def _t(
    action: str, sources: set[str], target: str, roles: set[str], label: object, note: bool = False
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, note_required=note)


def _reopen_once(ticket: object, actor: object, note: str) -> str | None:
    """An answered ticket may be reopened once; the second time the enterprise files a new ticket."""
    if getattr(ticket, "reopened_at", None) is not None:
        return str(_("该诉求已重新提出过一次，不能再次重新提出；如仍有问题，请提交新的诉求。"))
    return None


TICKET = Workflow(
    name="ticket",
    status_labels={s.value: s.label for s in S},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("acknowledge", {S.FILED}, S.ACKNOWLEDGED, {HANDLER}, _("受理")),
        _t("answer", {S.ACKNOWLEDGED}, S.ANSWERED, {HANDLER}, _("答复"), note=True),
        _t("confirm", {S.ANSWERED}, S.CLOSED, {FILER}, _("确认办结")),
        _t("close", {S.ANSWERED}, S.CLOSED, {HANDLER}, _("办结")),
        Transition(
            "reopen",
            frozenset({S.ANSWERED}),
            S.ACKNOWLEDGED,
            frozenset({FILER}),
            _("对答复不满意，重新提出"),
            note_required=True,
            guard=_reopen_once,
        ),
        _t("withdraw", {S.FILED, S.ACKNOWLEDGED}, S.WITHDRAWN, {FILER}, _("撤回诉求")),
    ),
)

HANDLING = Workflow(
    name="ticket_handling",
    status_labels={level.value: level.label for level in L},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("escalate", {L.DISTRICT}, L.CITY, {SYSTEM}, _("超时上报市级"), note=True),
        _t("take_over", {L.DISTRICT}, L.CITY, {CITY}, _("市级提级办理")),
    ),
)
