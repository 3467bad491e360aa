"""The demand and proposal state machines, as tables. Mirrored in docs/workflows/demand.md.

Roles are relationships, computed per (user, record) by ``permissions``:

- ``demand_owner``: the member who posted the demand, or an owner/administrator of its enterprise;
- ``proposer``: an active member of the provider that sent the proposal;
- ``system``: the daily job that closes demands past their deadline.

Guards that need the database or the clock (deadline, the demand still open for a proposal's
withdrawal) are checked by the services before they call ``apply_transition``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import Transition, Workflow

from .models import DemandStatus as D
from .models import ProposalStatus as P

DEMAND_OWNER = "demand_owner"
PROPOSER = "proposer"
SYSTEM = "system"

ROLE_LABELS = {
    DEMAND_OWNER: _("发布需求的企业"),
    PROPOSER: _("提交方案的服务机构"),
    SYSTEM: _("平台定时任务"),
}


def _t(action: str, sources: set[str], target: str, roles: set[str], label: object) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


DEMAND = Workflow(
    name="demand",
    status_labels={s.value: s.label for s in D},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("award", {D.OPEN}, D.AWARDED, {DEMAND_OWNER}, _("选定方案")),
        _t("close", {D.OPEN}, D.CLOSED, {DEMAND_OWNER, SYSTEM}, _("结束征集")),
        _t("withdraw", {D.OPEN}, D.WITHDRAWN, {DEMAND_OWNER}, _("撤回需求")),
    ),
)

PROPOSAL = Workflow(
    name="demand_proposal",
    status_labels={s.value: s.label for s in P},
    role_labels=ROLE_LABELS,
    transitions=(
        _t("accept", {P.SUBMITTED}, P.ACCEPTED, {DEMAND_OWNER}, _("选定该方案")),
        _t("not_select", {P.SUBMITTED}, P.NOT_SELECTED, {DEMAND_OWNER, SYSTEM}, _("未中选")),
        _t("withdraw", {P.SUBMITTED}, P.WITHDRAWN, {PROPOSER}, _("撤回方案")),
    ),
)

# Proposals still in the running: they may be revised, shortlisted, accepted or withdrawn.
LIVE_PROPOSAL = P.SUBMITTED
