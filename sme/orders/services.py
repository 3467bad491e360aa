"""Writes to orders, their files and ratings.

Every service checks role and scope, changes an order's status only through
``sme.core.workflow.apply_transition`` (compare-and-set, transition log, audit row), and notifies the
other side after commit. Nothing here takes a request.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.catalog.models import FeeType, Service, ServiceCategory, ServiceRevision, ServiceStatus
from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import TransitionLog
from sme.core.uploads import inspect_upload, storage_path
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import (
    PROVIDER_KINDS,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
from sme.workdays.calendar import CalendarNotCovered, add_workdays

from . import figures
from .models import Order, OrderFile, OrderStatus, Rating
from .permissions import covers_provider_district, organization_people, standing
from .workflow import BUYER, CREATED, ORDER, PROVIDER

log = logging.getLogger(__name__)

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999.99")
MAX_QUANTITY = Decimal("99999999.99")
RATING_WINDOW_DAYS = 30
SMALL_MICRO_CLASSES = frozenset({"small", "micro"})
# Order files: the provider's deliverables (and the enterprise's attachments), checked by content.
ORDER_FILE_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")
ORDER_FILE_MAX_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_DELIVERY = 10


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def order_url(order: Order) -> str:
    return reverse("orders:detail", args=[order.pk])


def _plain_decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _workdays_after(start: dt.date, n: int | None) -> dt.date | None:
    """``add_workdays`` that leaves the date open when the calendar does not cover the year yet.

    The daily job fills in an open response deadline once an administrator has entered the year, so an
    order is never refused because of the calendar.
    """
    if n is None:
        return None
    try:
        return add_workdays(start, n)
    except CalendarNotCovered as error:
        log.warning("order deadline left open: %s", error)
        return None


def response_deadline(submitted_on: dt.date, response_workdays: int | None) -> dt.date | None:
    return _workdays_after(submitted_on, response_workdays or 1)


def delivery_deadline(order: Order, accepted_on: dt.date) -> dt.date | None:
    days = order.snapshot.get("delivery_workdays")
    if days in (None, ""):
        return None
    return _workdays_after(accepted_on, int(days))


# --- creating an order ------------------------------------------------------------------------------


def _member_role(actor: Any, organization: Organization) -> str | None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    return (
        Membership.objects.filter(user=actor, organization=organization, status=MembershipStatus.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )


def _check_orderer(actor: Any, enterprise: Organization) -> None:
    if _member_role(actor, enterprise) is None:
        raise NotAllowed(_("只有该企业的在职成员才能以企业名义下单。"))
    if enterprise.kind != OrganizationKind.ENTERPRISE:
        raise NotAllowed(_("只有企业可以下单，服务机构不能以本机构名义订购服务。"))
    if enterprise.verification_status != VerificationStatus.VERIFIED:
        raise NotAllowed(_("企业信息通过区县审核后才能下单。"))


def enterprise_is_small_or_micro(enterprise: Organization) -> bool:
    """Whether the enterprise's stored size class (sme.enterprises) is 小型 or 微型."""
    from sme.enterprises.models import EnterpriseProfile

    size = (
        EnterpriseProfile.objects.filter(organization=enterprise).values_list("size_class", flat=True).first()
    )
    return size in SMALL_MICRO_CLASSES


def _number_for(order: Order) -> str:
    return f"DD{timezone.localtime(order.submitted_at):%Y%m%d}{order.pk:06d}"


def _log_creation(order: Order, *, actor: Any, action: str, summary: str) -> None:
    """The creation rows: one transition-log row (created → first status) and one audit row."""
    TransitionLog.objects.create(
        workflow=ORDER.name,
        object_id=str(order.pk),
        action=action,
        from_status=CREATED,
        to_status=order.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        f"order.{action}",
        actor=actor,
        obj=order,
        summary=summary,
        changes={"status": [CREATED, order.status], "agreed_price": [None, str(order.agreed_price)]},
    )


def _insert_order(**fields: Any) -> Order:
    order = Order.objects.create(number=f"tmp-{uuid.uuid4().hex[:20]}", **fields)
    order.number = _number_for(order)
    Order.objects.filter(pk=order.pk).update(number=order.number)
    return order


@transaction.atomic
def order_create_from_terms(
    *,
    actor: Any,
    enterprise: Organization,
    provider: Organization,
    title: str,
    category: ServiceCategory | None,
    terms: dict,
    agreed_price: Decimal,
    delivery_workdays: int | None,
    requirements: str = "",
    source: str = "proposal",
) -> Order:
    """An order both sides already agreed to (the SME accepted the provider's proposal): it starts
    ``accepted``. ``terms`` is kept as the snapshot (the contract record), with ``source``."""
    _check_orderer(actor, enterprise)
    if provider.kind not in PROVIDER_KINDS:
        raise InvalidInput(_("接单方必须是服务机构。"), {"provider": [_("不是服务机构")]})
    if provider.pk == enterprise.pk:
        raise InvalidInput(_("企业不能向自己下单。"))
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("请填写服务名称。"), {"title": [_("必填")]})
    try:
        price = Decimal(agreed_price).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidInput(_("约定价格必须是数字。"), {"agreed_price": [_("请输入数字。")]}) from error
    if not price.is_finite() or price < 0 or price > MAX_PRICE:
        raise InvalidInput(_("约定价格不能为负数或过大。"), {"agreed_price": [_("金额无效")]})
    if delivery_workdays is not None and delivery_workdays < 0:
        raise InvalidInput(_("交付时间不能为负数。"), {"delivery_workdays": [_("不能为负数")]})
    now = _now()
    snapshot = {
        **terms,
        "source": source,
        "title": terms.get("title", title),
        "provider": terms.get("provider", provider.name),
        "category": terms.get("category", category.name if category else ""),
        "delivery_workdays": delivery_workdays,
        "agreed_price": _plain_decimal(price),
    }
    snapshot = _json_safe(snapshot)
    order = _insert_order(
        enterprise=enterprise,
        provider=provider,
        provider_district_id=provider.district_id,
        enterprise_district_id=enterprise.district_id,
        title=title[:120],
        category=category,
        snapshot=snapshot,
        quantity=Decimal(1),
        agreed_price=price,
        requirements=(requirements or "").strip(),
        contact_name=enterprise.contact_name[:50],
        contact_phone=enterprise.contact_phone[:20],
        ordered_by=actor,
        status=OrderStatus.ACCEPTED,
        submitted_at=now,
        accepted_at=now,
    )
    deliver_by = delivery_deadline(order, timezone.localdate(now))
    if deliver_by is not None:
        Order.objects.filter(pk=order.pk).update(deliver_by=deliver_by)
        order.deliver_by = deliver_by
    _log_creation(
        order,
        actor=actor,
        action="place_accepted",
        summary=_("采纳%(provider)s的方案生成订单，约定价格%(price)s元")
        % {"provider": provider.name, "price": price},
    )
    notify(
        organization_people(provider.pk, managers_only=False),
        title=_("%(enterprise)s采纳了您的方案，订单%(number)s已生成")
        % {"enterprise": enterprise.name, "number": order.number},
        body=_("服务：%(title)s。订单已是「已接单」状态，请按约定开始服务。") % {"title": title},
        url=order_url(order),
    )
    return order


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def revision_snapshot(service: Service, revision: ServiceRevision) -> dict[str, Any]:
    """The five disclosures of the published revision, as the enterprise saw them (JSON-friendly)."""
    from sme.regions.models import Region

    district_names = list(
        Region.objects.filter(pk__in=revision.district_ids or [])
        .order_by("code")
        .values_list("name", flat=True)
    )
    return {
        "source": "catalog",
        "service_id": service.pk,
        "revision_id": revision.pk,
        "revision_number": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "category": revision.category.name,
        "provider": service.provider.name,
        "content": revision.content,
        "process_steps": [str(s) for s in (revision.process_steps or [])],
        "deliverables": revision.deliverables,
        "quality_standard": revision.quality_standard,
        "fee_type": revision.fee_type,
        "fee_type_label": str(FeeType(revision.fee_type).label)
        if revision.fee_type in FeeType.values
        else "",
        "fee_amount": _plain_decimal(revision.fee_amount),
        "fee_min": _plain_decimal(revision.fee_min),
        "fee_max": _plain_decimal(revision.fee_max),
        "fee_unit": revision.fee_unit,
        "fee_note": revision.fee_note,
        "small_micro_price": _plain_decimal(revision.small_micro_price),
        "response_workdays": revision.response_workdays,
        "delivery_workdays": revision.delivery_workdays,
        "service_hours": revision.service_hours,
        "serves_all_districts": revision.serves_all_districts,
        "districts": district_names,
    }


def _parse_decimal(value: Any, field: str, label: str) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError) as error:
            raise InvalidInput(
                _("%(label)s必须是数字。") % {"label": label}, {field: [_("请输入数字。")]}
            ) from error
    if not number.is_finite():
        raise InvalidInput(_("%(label)s必须是数字。") % {"label": label}, {field: [_("请输入数字。")]})
    return number


def quote(
    *,
    revision: ServiceRevision,
    quantity: Any = 1,
    proposed_price: Any = None,
    small_micro: bool = False,
) -> tuple[Decimal, Decimal, bool]:
    """The price to agree for an order of ``revision``: ``(quantity, agreed_price, small_micro_applied)``.

    fixed and per unit: unit price × quantity (the 小微企业 price as the unit price when it applies);
    range: the enterprise proposes a price within the range (a 小微企业 price, when it applies, caps the
    range); free: 0. Raises ``InvalidInput`` naming the field.
    """
    fee_type = revision.fee_type
    smp = revision.small_micro_price
    use_smp = bool(small_micro and smp is not None)
    if fee_type == FeeType.FREE:
        return Decimal(1), Decimal("0.00"), False
    if fee_type == FeeType.RANGE:
        if proposed_price in (None, ""):
            raise InvalidInput(
                _("请填写您提出的价格（在服务的价格区间内）。"), {"proposed_price": [_("必填")]}
            )
        price = _parse_decimal(proposed_price, "proposed_price", _("提出的价格")).quantize(
            CENT, ROUND_HALF_UP
        )
        low = revision.fee_min or Decimal(0)
        high = revision.fee_max if revision.fee_max is not None else MAX_PRICE
        if use_smp and smp is not None:
            high = min(high, smp)
            low = min(low, high)
        if price < low or price > high:
            raise InvalidInput(
                _("提出的价格须在%(low)s元至%(high)s元之间。") % {"low": low, "high": high},
                {"proposed_price": [_("超出价格区间")]},
            )
        return Decimal(1), price, use_smp
    if fee_type not in (FeeType.FIXED, FeeType.PER_UNIT) or revision.fee_amount is None:
        raise InvalidInput(_("该服务的收费信息不完整，暂不能下单。"))
    qty = _parse_decimal(quantity if quantity not in (None, "") else 1, "quantity", _("数量"))
    if qty <= 0 or qty > MAX_QUANTITY:
        raise InvalidInput(_("数量必须大于0。"), {"quantity": [_("数量必须大于0。")]})
    if fee_type == FeeType.FIXED and qty != qty.to_integral_value():
        raise InvalidInput(_("固定价格的服务按份订购，数量须为整数。"), {"quantity": [_("须为整数")]})
    if qty != qty.quantize(CENT):
        raise InvalidInput(_("数量最多保留两位小数。"), {"quantity": [_("最多两位小数")]})
    unit = smp if use_smp and smp is not None else revision.fee_amount
    price = (unit * qty).quantize(CENT, ROUND_HALF_UP)
    if price > MAX_PRICE:
        raise InvalidInput(_("订单金额过大，请减少数量。"), {"quantity": [_("金额过大")]})
    return qty, price, use_smp


def _serves_district(revision: ServiceRevision, district_id: int) -> bool:
    if revision.serves_all_districts:
        return True
    return district_id in {int(d) for d in (revision.district_ids or [])}


@transaction.atomic
def order_create(
    *,
    actor: Any,
    enterprise: Organization,
    service: Service,
    quantity: Any = 1,
    requirements: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    proposed_price: Any = None,
) -> Order:
    """An enterprise orders a published catalogue service; the order starts ``submitted``.

    The order keeps the published revision's five disclosures and the price agreed (``quote``).
    ``proposed_price`` is the enterprise's price for a service priced as a range.
    """
    _check_orderer(actor, enterprise)
    service = Service.objects.select_related("provider", "published_revision__category").get(pk=service.pk)
    revision = service.published_revision
    if service.status != ServiceStatus.PUBLISHED or revision is None:
        raise InvalidInput(_("该服务当前未发布，不能下单。"))
    if service.provider_id == enterprise.pk:
        raise InvalidInput(_("企业不能订购本企业发布的服务。"))
    if not _serves_district(revision, enterprise.district_id):
        raise InvalidInput(_("该服务不覆盖贵企业所在区县，不能下单。"))
    contact_name = (contact_name or "").strip() or enterprise.contact_name
    contact_phone = (contact_phone or "").strip() or enterprise.contact_phone
    problems: dict[str, list[str]] = {}
    if len(contact_name) > 50:
        problems["contact_name"] = [_("联系人不能超过50个字。")]
    if len(contact_phone) > 20:
        problems["contact_phone"] = [_("联系电话不能超过20个字符。")]
    if len(requirements or "") > 5000:
        problems["requirements"] = [_("需求说明不能超过5000字。")]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    qty, price, smp_applied = quote(
        revision=revision,
        quantity=quantity,
        proposed_price=proposed_price,
        small_micro=enterprise_is_small_or_micro(enterprise),
    )
    now = _now()
    snapshot = revision_snapshot(service, revision)
    snapshot.update(
        {
            "quantity": str(qty),
            "agreed_price": _plain_decimal(price),
            "small_micro_price_applied": smp_applied,
        }
    )
    order = _insert_order(
        enterprise=enterprise,
        provider=service.provider,
        provider_district_id=service.provider_district_id,
        enterprise_district_id=enterprise.district_id,
        service=service,
        service_revision=revision,
        title=revision.title,
        category=revision.category,
        snapshot=snapshot,
        quantity=qty,
        agreed_price=price,
        small_micro_price_applied=smp_applied,
        requirements=(requirements or "").strip(),
        contact_name=contact_name,
        contact_phone=contact_phone,
        ordered_by=actor,
        status=OrderStatus.SUBMITTED,
        submitted_at=now,
        respond_by=response_deadline(timezone.localdate(now), revision.response_workdays),
    )
    _log_creation(
        order,
        actor=actor,
        action="place",
        summary=_("订购「%(title)s」（第%(rev)s版），约定价格%(price)s元")
        % {"title": revision.title, "rev": revision.number, "price": price},
    )
    notify(
        organization_people(service.provider_id, managers_only=False),
        title=_("新订单%(number)s待接单") % {"number": order.number},
        body=_("%(enterprise)s订购了「%(title)s」，请在%(date)s前答复。")
        % {
            "enterprise": enterprise.name,
            "title": revision.title,
            "date": order.respond_by.strftime("%Y年%m月%d日") if order.respond_by else "",
        },
        url=order_url(order),
    )
    return order


# --- moving an order along the workflow ---------------------------------------------------------------

ENTERPRISE_SIDE = "enterprise"
PROVIDER_SIDE = "provider"
_SIDE_ROLE = {ENTERPRISE_SIDE: BUYER, PROVIDER_SIDE: PROVIDER}


def _side_of(roles: set[str]) -> str:
    return ENTERPRISE_SIDE if BUYER in roles else PROVIDER_SIDE


def _other_side_people(order: Order, acting_role: str) -> list[Any]:
    if acting_role == BUYER:
        return organization_people(order.provider_id, managers_only=False)
    return organization_people(order.enterprise_id, managers_only=False)


def _check_files(files: list[Any]) -> list[tuple[Any, Any]]:
    if len(files) > MAX_FILES_PER_DELIVERY:
        raise InvalidInput(
            _("一次最多上传%(n)s个文件。") % {"n": MAX_FILES_PER_DELIVERY}, {"files": [_("文件过多")]}
        )
    return [
        (f, inspect_upload(f, field="files", allowed=ORDER_FILE_KINDS, max_bytes=ORDER_FILE_MAX_BYTES))
        for f in files
    ]


def _store_files(order: Order, checked: list[tuple[Any, Any]], actor: Any) -> list[OrderFile]:
    stored = []
    for upload, info in checked:
        upload.seek(0)
        name = default_storage.save(storage_path("orders", info), File(upload))
        stored.append(
            OrderFile.objects.create(
                order=order,
                file=name,
                label=info.label,
                file_kind=info.kind,
                content_type=info.content_type,
                size=info.size,
                sha256=info.sha256,
                uploaded_by=actor,
            )
        )
    return stored


def _updates_for(order: Order, action: str, note: str, side: str) -> dict[str, Any]:
    now = _now()
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


_ACTION_NOTICES = {
    "accept": _("订单%(number)s已被服务机构接单"),
    "decline": _("订单%(number)s被服务机构拒绝"),
    "cancel": _("订单%(number)s已被企业取消"),
    "start": _("订单%(number)s已开始服务"),
    "deliver": _("订单%(number)s已交付，请验收"),
    "confirm": _("订单%(number)s已确认验收"),
    "dispute": _("订单%(number)s的交付被提出异议"),
    "rework": _("订单%(number)s已重新开始服务"),
    "withdraw_dispute": _("订单%(number)s的异议已撤回并确认验收"),
    "request_cancel": _("对方申请取消订单%(number)s，请答复"),
    "agree_cancel": _("订单%(number)s已经双方同意取消"),
    "refuse_cancel": _("订单%(number)s的取消申请未获同意"),
}


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
    delivery takes optional ``files`` (checked by content). Cancelling after acceptance needs both
    sides: the answer to a request must come from the side that did not ask.
    """
    who = standing(actor, order)
    if not who.can_view:
        raise NotAllowed(_("您无权处理该订单。"))
    current = Order.objects.select_for_update().get(pk=order.pk)
    if current.version != order.version or current.status != order.status:
        raise Conflict(_("该订单刚刚已被他人处理，您的操作未生效。请刷新页面查看最新状态。"))
    roles = set(who.roles)
    note = (note or "").strip()
    if len(note) > 5000:
        raise InvalidInput(_("说明不能超过5000字。"), {"note": [_("过长")]})
    side = _side_of(roles)
    ORDER.check(action, order.status, roles)  # the table's refusal (status, then role) comes first
    if action in ("agree_cancel", "refuse_cancel") and order.cancel_requested_by:
        answering = PROVIDER_SIDE if order.cancel_requested_by == ENTERPRISE_SIDE else ENTERPRISE_SIDE
        if _SIDE_ROLE[answering] not in roles:
            raise NotAllowed(_("取消申请须由对方答复。"))
        roles = {_SIDE_ROLE[answering]}
        side = answering
    checked = _check_files(list(files or [])) if action == "deliver" else []
    if files and action != "deliver":
        raise InvalidInput(_("只有交付时可以上传文件。"), {"files": [_("不能上传")]})
    order = apply_transition(  # type: ignore[assignment]
        workflow=ORDER,
        obj=order,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates=_updates_for(order, action, note, side),
    )
    if checked:
        _store_files(order, checked, actor)
    acting_role = _SIDE_ROLE[side]
    if order.status == OrderStatus.COMPLETED and action in ("confirm", "withdraw_dispute"):
        _after_completion(order)
    notify(
        _other_side_people(order, acting_role),
        title=str(_ACTION_NOTICES.get(action, _("订单%(number)s有新进展"))) % {"number": order.number},
        body=note,
        url=order_url(order),
    )
    return order


def _after_completion(order: Order) -> None:
    """Keep the listing's completed count and the provider's figures of the year up to date."""
    from .figures import completion_year

    if order.service_id is not None:
        Service.objects.filter(pk=order.service_id).update(orders_completed=F("orders_completed") + 1)
    assert order.completed_at is not None
    figures.refresh_provider_year(order.provider_id, completion_year(order.completed_at))


def order_flag_overdue(*, order: Order, now: dt.datetime | None = None) -> bool:
    """Flag a ``submitted`` order past its response deadline, once; tell the provider's managers and the
    district officers of its district. Returns whether it was flagged now."""
    from .permissions import district_officers_covering

    now = now or _now()
    with transaction.atomic():
        changed = Order.objects.filter(
            pk=order.pk, status=OrderStatus.SUBMITTED, overdue_flagged_at__isnull=True
        ).update(overdue_flagged_at=now)
        if not changed:
            return False
        audit.record(
            "order.flag_overdue",
            obj=order,
            summary=_("超过应答截止日%(date)s未答复") % {"date": order.respond_by},
            changes={"overdue_flagged_at": [None, now.isoformat()]},
        )
        people = organization_people(order.provider_id, managers_only=True) + district_officers_covering(
            order.provider_district_id
        )
        notify(
            people,
            title=_("订单%(number)s超时未答复") % {"number": order.number},
            body=_("应答截止日为%(date)s，请尽快处理。")
            % {"date": order.respond_by.strftime("%Y年%m月%d日") if order.respond_by else ""},
            url=order_url(order),
        )
    return True


def orders_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job: fill in response deadlines the calendar could not give yet, then flag the
    ``submitted`` orders whose deadline has passed."""
    today = today or _today()
    filled = 0
    for order in Order.objects.filter(status=OrderStatus.SUBMITTED, respond_by__isnull=True).select_related(
        "service_revision"
    ):
        workdays = order.snapshot.get("response_workdays") or 1
        deadline = response_deadline(timezone.localdate(order.submitted_at), int(workdays))
        if deadline is not None:
            filled += Order.objects.filter(pk=order.pk, respond_by__isnull=True).update(respond_by=deadline)
    flagged = 0
    late = Order.objects.filter(
        status=OrderStatus.SUBMITTED, respond_by__lt=today, overdue_flagged_at__isnull=True
    ).only("pk", "number", "provider_id", "provider_district_id", "respond_by")
    for order in late.iterator():
        if order_flag_overdue(order=order):
            flagged += 1
    return {"deadlines_filled": filled, "flagged": flagged}


# --- ratings ------------------------------------------------------------------------------------------


def _stars(value: Any, field: str, label: str, problems: dict[str, list[str]]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number < 1 or number > 5 or str(number) != str(value).strip():
        problems[field] = [_("%(label)s请打1至5星。") % {"label": label}]
    return number


def rating_deadline(order: Order) -> dt.date | None:
    if order.completed_at is None:
        return None
    return timezone.localdate(order.completed_at) + dt.timedelta(days=RATING_WINDOW_DAYS)


def recount_service_ratings(service_id: int | None) -> None:
    """The service's visible rating count and average stars, recounted (one indexed aggregate)."""
    if service_id is None:
        return
    from django.db.models import Avg, Count, FloatField
    from django.db.models.functions import Cast

    stars = Cast(F("quality") + F("timeliness") + F("attitude"), FloatField()) / 3.0
    row = Rating.objects.filter(service_id=service_id, is_hidden=False).aggregate(
        n=Count("id"), avg=Avg(stars)
    )
    average = None if row["avg"] is None else Decimal(str(row["avg"])).quantize(CENT, ROUND_HALF_UP)
    Service.objects.filter(pk=service_id).update(rating_count=row["n"], rating_average=average)


def _ratings_changed(rating: Rating, order: Order) -> None:
    from .figures import completion_year

    recount_service_ratings(rating.service_id)
    if order.completed_at is not None:
        figures.refresh_provider_year(order.provider_id, completion_year(order.completed_at))


@transaction.atomic
def order_rate(
    *,
    actor: Any,
    order: Order,
    quality: Any,
    timeliness: Any,
    attitude: Any,
    satisfied: bool,
    comment: str = "",
) -> Rating:
    """The ordering enterprise rates a completed order: once, within 30 days of completion."""
    if _member_role(actor, order.enterprise) is None:
        raise NotAllowed(_("只有下单企业的成员可以评价该订单。"))
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.COMPLETED:
        raise InvalidInput(_("订单完成后才能评价。"))
    if Rating.objects.filter(order=order).exists():
        raise Conflict(_("该订单已经评价过，每个订单只能评价一次。"))
    deadline = rating_deadline(order)
    assert deadline is not None
    if _today() > deadline:
        raise InvalidInput(
            _("评价期限已过：订单完成后30日内可以评价，截止日为%(date)s。")
            % {"date": f"{deadline.year}年{deadline.month}月{deadline.day}日"}
        )
    problems: dict[str, list[str]] = {}
    q = _stars(quality, "quality", _("服务质量"), problems)
    t = _stars(timeliness, "timeliness", _("及时性"), problems)
    a = _stars(attitude, "attitude", _("服务态度"), problems)
    if not isinstance(satisfied, bool):
        problems["satisfied"] = [_("请选择是否满意。")]
    comment = (comment or "").strip()
    if len(comment) > 2000:
        problems["comment"] = [_("评价内容不能超过2000字。")]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    rating = Rating.objects.create(
        order=order,
        enterprise_id=order.enterprise_id,
        provider_id=order.provider_id,
        service_id=order.service_id,
        quality=q,
        timeliness=t,
        attitude=a,
        satisfied=satisfied,
        comment=comment,
        rated_by=actor,
    )
    audit.record(
        "order.rate",
        actor=actor,
        obj=rating,
        summary=_("评价订单%(number)s：质量%(q)s星、及时性%(t)s星、态度%(a)s星，%(s)s")
        % {"number": order.number, "q": q, "t": t, "a": a, "s": _("满意") if satisfied else _("不满意")},
    )
    _ratings_changed(rating, order)
    notify(
        organization_people(order.provider_id, managers_only=True),
        title=_("订单%(number)s收到评价") % {"number": order.number},
        body=comment,
        url=order_url(order),
    )
    return rating


@transaction.atomic
def rating_reply(*, actor: Any, rating: Rating, reply: str) -> Rating:
    """A manager of the rated provider replies to the rating, once."""
    if _member_role(actor, rating.provider) not in ("owner", "admin"):
        raise NotAllowed(_("只有服务机构负责人或管理员可以回复评价。"))
    reply = (reply or "").strip()
    if not reply:
        raise InvalidInput(_("请填写回复内容。"), {"reply": [_("必填")]})
    if len(reply) > 2000:
        raise InvalidInput(_("回复内容不能超过2000字。"), {"reply": [_("过长")]})
    changed = Rating.objects.filter(pk=rating.pk, reply="").update(
        reply=reply, replied_by=actor, replied_at=_now()
    )
    if not changed:
        raise Conflict(_("该评价已经回复过，每条评价只能回复一次。"))
    rating.refresh_from_db()
    audit.record(
        "order.rating_reply", actor=actor, obj=rating, summary=_("回复评价：%(r)s") % {"r": reply[:200]}
    )
    notify(
        organization_people(rating.enterprise_id, managers_only=False),
        title=_("服务机构回复了您的评价"),
        body=reply,
        url=order_url(rating.order),
    )
    return rating


def _moderate(*, actor: Any, rating: Rating, reason: str, hide: bool) -> Rating:
    order = Order.objects.only("pk", "provider_id", "provider_district_id", "completed_at").get(
        pk=rating.order_id
    )
    if not covers_provider_district(actor, order.provider_district_id):
        raise NotAllowed(_("只有服务机构所在区县或市级主管部门可以屏蔽评价。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写理由。"), {"reason": [_("必填")]})
    changed = Rating.objects.filter(pk=rating.pk, is_hidden=not hide).update(
        is_hidden=hide, hidden_reason=reason if hide else ""
    )
    if not changed:
        raise Conflict(_("该评价已被屏蔽。") if hide else _("该评价当前未被屏蔽。"))
    rating.refresh_from_db()
    audit.record(
        "order.rating_hide" if hide else "order.rating_unhide",
        actor=actor,
        obj=rating,
        summary=(_("屏蔽评价：%(r)s") if hide else _("恢复显示评价：%(r)s")) % {"r": reason[:200]},
        changes={"is_hidden": [not hide, hide]},
    )
    _ratings_changed(rating, order)
    return rating


@transaction.atomic
def rating_hide(*, actor: Any, rating: Rating, reason: str) -> Rating:
    """An officer covering the provider's district (or city/admin) hides a rating, with a reason."""
    return _moderate(actor=actor, rating=rating, reason=reason, hide=True)


@transaction.atomic
def rating_unhide(*, actor: Any, rating: Rating, reason: str) -> Rating:
    """Show a hidden rating again (same officers), with a reason."""
    return _moderate(actor=actor, rating=rating, reason=reason, hide=False)


@transaction.atomic
def rating_reply_hide(*, actor: Any, rating: Rating, reason: str) -> Rating:
    """Hide the provider's reply to a rating (the rating itself stays), with a reason; the same officers
    as :func:`rating_hide`. The figures do not change: a reply is not part of them."""
    provider_district_id = Order.objects.values_list("provider_district_id", flat=True).get(
        pk=rating.order_id
    )
    if not covers_provider_district(actor, provider_district_id):
        raise NotAllowed(_("只有服务机构所在区县或市级主管部门可以屏蔽回复。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写理由。"), {"reason": [_("必填")]})
    if not rating.reply:
        raise InvalidInput(_("该评价没有机构回复。"))
    changed = Rating.objects.filter(pk=rating.pk, reply_hidden=False).update(
        reply_hidden=True, reply_hidden_reason=reason
    )
    if not changed:
        raise Conflict(_("该回复已被屏蔽。"))
    rating.refresh_from_db()
    audit.record(
        "order.rating_reply_hide",
        actor=actor,
        obj=rating,
        summary=_("屏蔽机构回复：%(r)s") % {"r": reason[:200]},
        changes={"reply_hidden": [False, True]},
    )
    return rating
