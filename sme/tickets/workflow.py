"""The 诉求 state machines, as tables. Mirrored in docs/workflows/ticket.md.

Roles are relationships, computed per (user, ticket) by ``permissions.roles_for``:

- ``filer``: an active member of the enterprise that filed the ticket;
- ``handler``: the officer who handles it at its current level — a district officer covering the
  ticket's district while it is handled in the district, a city officer once it is handled by the city;
- ``city``: a city officer (may take a ticket over at any time);
- ``system``: the daily job (``tickets_daily``) that escalates overdue tickets.

Two tables: ``TICKET`` moves the status (its row from ``START`` is the filing, written by
``start_transition``); ``HANDLING`` moves the handling level (district → city) by escalation or
take-over, without touching the status. Both write through ``apply_transition``. The guards: a
ticket is reopened once only, and the city takes over only a ticket still being handled.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.errors import Conflict
from sme.core.workflow import START, Workflow, transition

from .models import OPEN_STATUSES, Ticket
from .models import HandlingLevel as L
from .models import TicketStatus as S

FILER = "filer"
HANDLER = "handler"
CITY = "city"
SYSTEM = "system"

ROLE_LABELS = {
    FILER: gettext_lazy("提出诉求的企业"),
    HANDLER: gettext_lazy("承办的主管部门（区县，上报后为市级）"),
    CITY: gettext_lazy("市级主管部门"),
    SYSTEM: gettext_lazy("平台定时任务"),
}

REOPEN_LIMIT = 1


def reopen_once(ticket: Any, actor: Any, note: str) -> str | None:
    """An answered ticket may be reopened once; the second time the enterprise files a new ticket."""
    if getattr(ticket, "reopened_at", None) is not None:
        return _("该诉求已重新提出过一次，不能再次重新提出；如仍有问题，请提交新的诉求。")
    return None


def still_open(ticket: Any, actor: Any, note: str) -> str | None:
    """The city takes over only a ticket still being handled (read again: it may just have closed)."""
    if not Ticket.objects.filter(pk=ticket.pk, status__in=OPEN_STATUSES).exists():
        raise Conflict(_("该诉求已办结或已撤回，无需提级办理。"))
    return None


TICKET = Workflow(
    name="ticket",
    status_labels={START: gettext_lazy("新建"), **{s.value: s.label for s in S}},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("file", [START], S.FILED, [FILER], gettext_lazy("提出诉求")),
        transition("acknowledge", [S.FILED], S.ACKNOWLEDGED, [HANDLER], gettext_lazy("受理")),
        transition("answer", [S.ACKNOWLEDGED], S.ANSWERED, [HANDLER], gettext_lazy("答复"), note=True),
        transition("confirm", [S.ANSWERED], S.CLOSED, [FILER], gettext_lazy("确认办结")),
        transition("close", [S.ANSWERED], S.CLOSED, [HANDLER], gettext_lazy("办结")),
        transition(
            "reopen",
            [S.ANSWERED],
            S.ACKNOWLEDGED,
            [FILER],
            gettext_lazy("对答复不满意，重新提出"),
            note=True,
            guard=reopen_once,
        ),
        transition("withdraw", [S.FILED, S.ACKNOWLEDGED], S.WITHDRAWN, [FILER], gettext_lazy("撤回诉求")),
    ),
)

HANDLING = Workflow(
    name="ticket_handling",
    status_labels={level.value: level.label for level in L},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("escalate", [L.DISTRICT], L.CITY, [SYSTEM], gettext_lazy("超时上报市级"), note=True),
        transition("take_over", [L.DISTRICT], L.CITY, [CITY], gettext_lazy("市级提级办理"), guard=still_open),
    ),
)
