"""The order state machine, as a table. Mirrored in docs/workflows/order.md.

Roles here are relationships, computed per (user, order) by ``permissions.roles_for``:

- ``buyer``: an owner or administrator of the ordering enterprise, or the member who placed the order;
- ``provider``: an owner or administrator of the provider organization.

Everyone else who may read an order (plain members of either side, the district officer of the
provider's district, city officers and administrators) takes no action on it.

Cancelling an accepted order needs both sides: one side asks (``request_cancel``, the status stays and
``Order.cancel_requested_by`` records who asked), the other agrees (``agree_cancel`` → cancelled) or
refuses (``refuse_cancel``, the request is cleared). The guards say whether a request is pending and
that the answer comes from the side that did not ask (they read the answering user's roles).

``place`` and ``place_accepted`` are the creation rows (from ``START``, not a stored status), written
by ``start_transition``: a catalogue order starts ``submitted``; an order from an accepted demand
proposal starts ``accepted``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sme.core.workflow import START, Guard, Transition, Workflow, transition

from .models import OrderStatus as S
from .permissions import BUYER, PROVIDER, roles_for

BOTH = {BUYER, PROVIDER}

# Who asked for a cancellation (``Order.cancel_requested_by``), and the role that answers it.
ENTERPRISE_SIDE = "enterprise"
PROVIDER_SIDE = "provider"
ANSWERING_ROLE = {ENTERPRISE_SIDE: PROVIDER, PROVIDER_SIDE: BUYER}

ROLE_LABELS = {
    BUYER: _("下单企业（负责人、管理员或下单人）"),
    PROVIDER: _("服务机构（负责人或管理员）"),
}

# Orders in these statuses may be cancelled only by agreement of both sides.
CANCEL_BY_AGREEMENT = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.DISPUTED})
# An order in one of these statuses is finished: nothing more happens to it.
FINAL = frozenset({S.DECLINED, S.CANCELLED, S.COMPLETED})


def _no_request_pending(order: Any, actor: Any, note: str) -> str | None:
    if order.cancel_requested_by:
        return _g("已有一方申请取消订单，请等待对方答复。")
    return None


def _answered_by_the_other_side(order: Any, actor: Any, note: str) -> str | None:
    asked = order.cancel_requested_by
    if not asked:
        return _g("当前没有待答复的取消申请。")
    if ANSWERING_ROLE.get(asked) not in roles_for(actor, order):
        return _g("取消申请须由对方答复。")
    return None


def _stay(action: str, roles: set[str], label: object, note: bool, guard: Guard) -> tuple[Transition, ...]:
    """One row per cancellable status: the status stays, only the cancellation request changes."""
    return tuple(
        transition(action, [s], s, roles, label, note=note, guard=guard) for s in sorted(CANCEL_BY_AGREEMENT)
    )


STATUS_LABELS: dict[str, Any] = {START: _("新建"), **{s.value: s.label for s in S}}

ORDER = Workflow(
    name="order",
    status_labels=STATUS_LABELS,
    role_labels=ROLE_LABELS,
    transitions=(
        transition("place", [START], S.SUBMITTED, [BUYER], _("下单")),
        transition("place_accepted", [START], S.ACCEPTED, [BUYER], _("采纳方案并生成订单")),
        transition("accept", [S.SUBMITTED], S.ACCEPTED, [PROVIDER], _("接单")),
        transition("decline", [S.SUBMITTED], S.DECLINED, [PROVIDER], _("拒绝接单"), note=True),
        transition("cancel", [S.SUBMITTED], S.CANCELLED, [BUYER], _("取消订单")),
        transition("start", [S.ACCEPTED], S.IN_PROGRESS, [PROVIDER], _("开始服务")),
        transition("deliver", [S.IN_PROGRESS], S.DELIVERED, [PROVIDER], _("提交交付"), note=True),
        transition("confirm", [S.DELIVERED], S.COMPLETED, [BUYER], _("确认验收")),
        transition("dispute", [S.DELIVERED], S.DISPUTED, [BUYER], _("提出异议"), note=True),
        transition("rework", [S.DISPUTED], S.IN_PROGRESS, [PROVIDER], _("重新服务")),
        transition("withdraw_dispute", [S.DISPUTED], S.COMPLETED, [BUYER], _("撤回异议并确认验收")),
        *_stay("request_cancel", BOTH, _("申请取消订单"), True, _no_request_pending),
        transition(
            "agree_cancel",
            sorted(CANCEL_BY_AGREEMENT),
            S.CANCELLED,
            BOTH,
            _("同意取消订单"),
            guard=_answered_by_the_other_side,
        ),
        *_stay("refuse_cancel", BOTH, _("不同意取消"), False, _answered_by_the_other_side),
    ),
)

# Actions shown with a text box; the note is the reason or the delivery note.
NOTE_LABELS = {
    "decline": _("拒绝理由"),
    "deliver": _("交付说明"),
    "dispute": _("异议理由"),
    "request_cancel": _("取消理由"),
    "cancel": _("取消理由（选填）"),
    "refuse_cancel": _("说明（选填）"),
}
