"""The order state machine, as a table. Mirrored in docs/workflows/order.md.

Roles here are relationships, computed per (user, order) by ``permissions.roles_for``:

- ``buyer``: an owner or administrator of the ordering enterprise, or the member who placed the order;
- ``provider``: an owner or administrator of the provider organization.

Everyone else who may read an order (plain members of either side, the district officer of the
provider's district, city officers and administrators) takes no action on it.

Cancelling an accepted order needs both sides: one side asks (``request_cancel``, the status stays and
``Order.cancel_requested_by`` records who asked), the other agrees (``agree_cancel`` → cancelled) or
refuses (``refuse_cancel``, the request is cleared). Which side may answer is checked by the service;
the guards here only check that a request is (or is not) pending.

``place`` and ``place_accepted`` are the creation rows (``created`` is not a stored status): a
catalogue order starts ``submitted``; an order from an accepted demand proposal starts ``accepted``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sme.core.workflow import Guard, Transition, Workflow

from .models import OrderStatus as S

BUYER = "buyer"
PROVIDER = "provider"
BOTH = {BUYER, PROVIDER}

# The pseudo status a new order comes from, for the creation rows of the transition log.
CREATED = "created"

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


def _request_pending(order: Any, actor: Any, note: str) -> str | None:
    if not order.cancel_requested_by:
        return _g("当前没有待答复的取消申请。")
    return None


def _t(
    action: str,
    sources: set[str],
    target: str,
    roles: set[str],
    label: object,
    note: bool = False,
    guard: Guard | None = None,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(roles), label, note_required=note, guard=guard
    )


def _stay(action: str, roles: set[str], label: object, note: bool, guard: Guard) -> tuple[Transition, ...]:
    """One row per cancellable status: the status stays, only the cancellation request changes."""
    return tuple(
        _t(action, {s}, s, roles, label, note=note, guard=guard) for s in sorted(CANCEL_BY_AGREEMENT)
    )


STATUS_LABELS: dict[str, Any] = {CREATED: _("新建"), **{s.value: s.label for s in S}}

ORDER = Workflow(
    name="order",
    status_labels=STATUS_LABELS,
    role_labels=ROLE_LABELS,
    transitions=(
        _t("place", {CREATED}, S.SUBMITTED, {BUYER}, _("下单")),
        _t("place_accepted", {CREATED}, S.ACCEPTED, {BUYER}, _("采纳方案并生成订单")),
        _t("accept", {S.SUBMITTED}, S.ACCEPTED, {PROVIDER}, _("接单")),
        _t("decline", {S.SUBMITTED}, S.DECLINED, {PROVIDER}, _("拒绝接单"), note=True),
        _t("cancel", {S.SUBMITTED}, S.CANCELLED, {BUYER}, _("取消订单")),
        _t("start", {S.ACCEPTED}, S.IN_PROGRESS, {PROVIDER}, _("开始服务")),
        _t("deliver", {S.IN_PROGRESS}, S.DELIVERED, {PROVIDER}, _("提交交付"), note=True),
        _t("confirm", {S.DELIVERED}, S.COMPLETED, {BUYER}, _("确认验收")),
        _t("dispute", {S.DELIVERED}, S.DISPUTED, {BUYER}, _("提出异议"), note=True),
        _t("rework", {S.DISPUTED}, S.IN_PROGRESS, {PROVIDER}, _("重新服务")),
        _t("withdraw_dispute", {S.DISPUTED}, S.COMPLETED, {BUYER}, _("撤回异议并确认验收")),
        *_stay("request_cancel", BOTH, _("申请取消订单"), True, _no_request_pending),
        _t(
            "agree_cancel",
            set(CANCEL_BY_AGREEMENT),
            S.CANCELLED,
            BOTH,
            _("同意取消订单"),
            guard=_request_pending,
        ),
        *_stay("refuse_cancel", BOTH, _("不同意取消"), False, _request_pending),
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
# Creation rows are written by the services, never offered as buttons.
CREATION_ACTIONS = frozenset({"place", "place_accepted"})
