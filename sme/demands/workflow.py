"""The demand and proposal state machines, as tables. Mirrored in docs/workflows/demand.md.

Roles are relationships, computed per (user, record) by ``permissions``:

- ``demand_owner``: the member who posted the demand, or an owner/administrator of its enterprise;
- ``proposer``: an active member of the provider that sent the proposal;
- ``system``: the daily job that closes demands past their deadline.

The rows from ``START`` are the creation rows (``sme.core.workflow.start_transition``): posting a
demand and sending a proposal. The rules that read the clock or another record are the rows' guards:
a demand is awarded only up to its deadline, a proposal withdrawn only while its demand is open.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core import clock
from sme.core.errors import Conflict, InvalidInput
from sme.core.workflow import START, Workflow, transition

from .models import Demand
from .models import DemandStatus as D
from .models import ProposalStatus as P

DEMAND_OWNER = "demand_owner"
PROPOSER = "proposer"
SYSTEM = "system"

ROLE_LABELS = {
    DEMAND_OWNER: gettext_lazy("发布需求的企业"),
    PROPOSER: gettext_lazy("提交方案的服务机构"),
    SYSTEM: gettext_lazy("平台定时任务"),
}


def before_deadline(demand: Any, actor: Any, note: str) -> str | None:
    """A proposal can be accepted up to the demand's deadline (inclusive), not after it."""
    if demand.deadline < clock.today():
        raise InvalidInput(
            _("需求已于 %(day)s 截止，不能再选定方案。")
            % {"day": date_format(demand.deadline, "DATE_FORMAT")}
        )
    return None


def demand_still_open(proposal: Any, actor: Any, note: str) -> str | None:
    """A proposal can be withdrawn only while its demand is open (read again: it may just have ended)."""
    if not Demand.objects.filter(pk=proposal.demand_id, status=D.OPEN).exists():
        raise Conflict(_("需求已结束，方案不能再撤回。"))
    return None


DEMAND = Workflow(
    name="demand",
    status_labels={START: gettext_lazy("新建"), **{s.value: s.label for s in D}},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("create", [START], D.OPEN, [DEMAND_OWNER], gettext_lazy("发布需求")),
        transition(
            "award", [D.OPEN], D.AWARDED, [DEMAND_OWNER], gettext_lazy("选定方案"), guard=before_deadline
        ),
        transition("close", [D.OPEN], D.CLOSED, [DEMAND_OWNER, SYSTEM], gettext_lazy("结束征集")),
        transition("withdraw", [D.OPEN], D.WITHDRAWN, [DEMAND_OWNER], gettext_lazy("撤回需求")),
    ),
)

PROPOSAL = Workflow(
    name="demand_proposal",
    status_labels={START: gettext_lazy("新建"), **{s.value: s.label for s in P}},
    role_labels=ROLE_LABELS,
    transitions=(
        transition("submit", [START], P.SUBMITTED, [PROPOSER], gettext_lazy("提交响应方案")),
        transition("accept", [P.SUBMITTED], P.ACCEPTED, [DEMAND_OWNER], gettext_lazy("选定该方案")),
        transition(
            "not_select", [P.SUBMITTED], P.NOT_SELECTED, [DEMAND_OWNER, SYSTEM], gettext_lazy("未中选")
        ),
        transition(
            "withdraw",
            [P.SUBMITTED],
            P.WITHDRAWN,
            [PROPOSER],
            gettext_lazy("撤回方案"),
            guard=demand_still_open,
        ),
    ),
)

# Proposals still in the running: they may be revised, shortlisted, accepted or withdrawn.
LIVE_PROPOSAL = P.SUBMITTED
