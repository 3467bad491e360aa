"""Moving an order along its workflow (``workflow.ORDER``): acceptance, service, delivery with files,
acceptance by the enterprise or a dispute, and cancellation (by the enterprise before acceptance, by
agreement of both sides after it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sme.catalog.services import service_order_completed
from sme.core import clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.files import store_upload
from sme.core.messages import msg
from sme.core.uploads import UploadInfo, inspect_upload
from sme.core.workflow import apply_transition
from sme.organizations.permissions import organization_people

from .. import figures
from ..deadlines import delivery_deadline
from ..models import Order, OrderFile, OrderStatus
from ..permissions import standing
from ..workflow import ANSWERING_ROLE, BUYER, ENTERPRISE_SIDE, ORDER, PROVIDER_SIDE
from .telling import tell

# Order files: the provider's deliverables, checked by content.
ORDER_FILE_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")
ORDER_FILE_MAX_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_DELIVERY = 10
MAX_NOTE = 5000
CANCEL_ANSWERS = frozenset({"agree_cancel", "refuse_cancel"})

# What the other side is told after each move (the message ids; the order number is the parameter).
NOTICES = {
    "accept": gettext_noop("订单%(number)s已被服务机构接单"),
    "decline": gettext_noop("订单%(number)s被服务机构拒绝"),
    "cancel": gettext_noop("订单%(number)s已被企业取消"),
    "start": gettext_noop("订单%(number)s已开始服务"),
    "deliver": gettext_noop("订单%(number)s已交付，请验收"),
    "confirm": gettext_noop("订单%(number)s已确认验收"),
    "dispute": gettext_noop("订单%(number)s的交付被提出异议"),
    "rework": gettext_noop("订单%(number)s已重新开始服务"),
    "withdraw_dispute": gettext_noop("订单%(number)s的异议已撤回并确认验收"),
    "request_cancel": gettext_noop("对方申请取消订单%(number)s，请答复"),
    "agree_cancel": gettext_noop("订单%(number)s已经双方同意取消"),
    "refuse_cancel": gettext_noop("订单%(number)s的取消申请未获同意"),
}
OTHER_NOTICE = gettext_noop("订单%(number)s有新进展")


def _acting_side(order: Order, action: str, roles: set[str]) -> str:
    """The side that acts: for an answer to a cancellation request, the side that did not ask."""
    if action in CANCEL_ANSWERS and order.cancel_requested_by:
        answering = ANSWERING_ROLE[order.cancel_requested_by]
        return ENTERPRISE_SIDE if answering == BUYER else PROVIDER_SIDE
    return ENTERPRISE_SIDE if BUYER in roles else PROVIDER_SIDE


def _other_side_people(order: Order, side: str) -> list[Any]:
    other = order.provider_id if side == ENTERPRISE_SIDE else order.enterprise_id
    return organization_people(other, managers_only=False)


def _check_files(files: list[Any]) -> list[tuple[Any, UploadInfo]]:
    if len(files) > MAX_FILES_PER_DELIVERY:
        raise InvalidInput(
            _("一次最多上传%(n)s个文件。") % {"n": MAX_FILES_PER_DELIVERY}, {"files": [_("文件过多")]}
        )
    return [
        (f, inspect_upload(f, field="files", allowed=ORDER_FILE_KINDS, max_bytes=ORDER_FILE_MAX_BYTES))
        for f in files
    ]


def _updates_for(order: Order, action: str, note: str, side: str) -> dict[str, Any]:
    now = clock.now()
    today = timezone.localdate(now)
    updates: dict[str, Any] = {"version": F("version") + 1}
    if action != "request_cancel":
        # Any other step answers or voids a pending cancellation request.
        updates["cancel_requested_by"] = ""
    if action == "accept":
        updates.update(accepted_at=now, deliver_by=delivery_deadline(order, today))
    elif action == "decline":
        updates["decline_reason"] = note
    elif action in ("cancel", "agree_cancel"):
        updates["cancelled_at"] = now
        if action == "cancel":
            updates["cancel_reason"] = note
    elif action == "deliver":
        deliver_by = order.deliver_by
        if deliver_by is None and order.accepted_at is not None:
            deliver_by = delivery_deadline(order, timezone.localdate(order.accepted_at))
            updates["deliver_by"] = deliver_by
        updates.update(
            delivered_at=now,
            delivery_note=note,
            delivered_on_time=None if deliver_by is None else today <= deliver_by,
        )
    elif action in ("confirm", "withdraw_dispute"):
        updates["completed_at"] = now
    elif action == "dispute":
        updates["dispute_reason"] = note
    elif action == "request_cancel":
        updates.update(cancel_requested_by=side, cancel_reason=note)
    return updates


def _after_completion(order: Order) -> None:
    """Keep the listing's completed count and the provider's figures of the year up to date."""
    if order.service_id is not None:
        service_order_completed(service_id=order.service_id)
    if order.completed_at is not None:
        figures.refresh_provider_year(order.provider_id, figures.completion_year(order.completed_at))


@transaction.atomic
def order_transition(
    *,
    actor: Any,
    order: Order,
    action: str,
    note: str = "",
    files: list[Any] | None = None,
) -> Order:
    """Move ``order`` by ``action`` (see ``workflow.ORDER``) for ``actor``, or raise without changes.

    Compare-and-set on the version the caller read: if the order changed since, ``Conflict``. The
    delivery takes optional ``files`` (checked by content). An answer to a cancellation request must
    come from the side that did not ask (the row's guard).
    """
    who = standing(actor, order)
    if not who.can_view:
        raise NotAllowed(_("您无权处理该订单。"))
    current = Order.objects.select_for_update().get(pk=order.pk)
    if current.version != order.version or current.status != order.status:
        raise Conflict(_("该订单刚刚已被他人处理，您的操作未生效。请刷新页面查看最新状态。"))
    roles = set(who.roles)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("说明不能超过5000字。"), {"note": [_("过长")]})
    if files and action != "deliver":
        raise InvalidInput(_("只有交付时可以上传文件。"), {"files": [_("不能上传")]})
    checked = _check_files(list(files or [])) if action == "deliver" else []
    side = _acting_side(order, action, roles)
    order = apply_transition(
        workflow=ORDER,
        obj=order,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates=_updates_for(order, action, note, side),
    )
    for upload, info in checked:
        store_upload(OrderFile, upload, prefix="orders", actor=actor, info=info, order=order)
    if order.status == OrderStatus.COMPLETED and action in ("confirm", "withdraw_dispute"):
        _after_completion(order)
    tell(
        _other_side_people(order, side),
        order,
        title=msg(NOTICES.get(action, OTHER_NOTICE), number=order.number),
        body=note,
    )
    return order
