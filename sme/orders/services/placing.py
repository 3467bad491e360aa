"""Placing an order: from a published catalogue service (it starts ``submitted``), or from terms both
sides already agreed to (an accepted demand proposal: it starts ``accepted``). The order keeps what
was agreed as its snapshot, the contract record."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.catalog.models import Service, ServiceCategory, ServiceRevision, ServiceStatus
from sme.core import clock, parsing
from sme.core.errors import InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.workflow import start_transition
from sme.organizations.models import PROVIDER_KINDS, Organization
from sme.organizations.permissions import organization_people

from ..deadlines import delivery_deadline, response_deadline
from ..models import Order, OrderStatus
from ..permissions import order_refusal, roles_for
from ..pricing import MAX_PRICE, plain_amount, quote, refusal
from ..selectors import enterprise_is_small_or_micro, offered_district_names, order_terms
from ..workflow import ORDER
from .telling import tell

MAX_REQUIREMENTS = 5000


def _check_orderer(actor: Any, enterprise: Organization) -> None:
    refusal = order_refusal(actor, enterprise)
    if refusal is not None:
        raise NotAllowed(refusal)


def _insert_order(**fields: Any) -> Order:
    """The order row with its number (DD + the local day it was placed + its id)."""
    order = Order.objects.create(number=f"tmp-{uuid.uuid4().hex[:20]}", **fields)
    order.number = f"DD{timezone.localtime(order.submitted_at):%Y%m%d}{order.pk:06d}"
    Order.objects.filter(pk=order.pk).update(number=order.number)
    return order


def _start(order: Order, *, actor: Any, action: str, outside_district: bool = False) -> None:
    """The creation rows (transition log ``created → first status`` and the audit row)."""
    changes: dict[str, Any] = {"agreed_price": [None, str(order.agreed_price)]}
    if outside_district:
        changes["outside_district_confirmed"] = [None, True]
    start_transition(
        workflow=ORDER,
        obj=order,
        action=action,
        actor=actor,
        roles=roles_for(actor, order),
        changes=changes,
    )


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
    problems = parsing.Problems()
    price = parsing.money(
        agreed_price, "agreed_price", problems, label=_("约定价格"), maximum=MAX_PRICE, required=True
    )
    if delivery_workdays is not None and delivery_workdays < 0:
        problems.add("delivery_workdays", _("交付时间不能为负数。"))
    if price is None or problems:
        raise refusal(problems)
    now = clock.now()
    snapshot = {
        **terms,
        "source": source,
        "title": terms.get("title", title),
        "provider": terms.get("provider", provider.name),
        "category": terms.get("category", category.name if category else ""),
        "delivery_workdays": delivery_workdays,
        "agreed_price": plain_amount(price),
    }
    order = _insert_order(
        enterprise=enterprise,
        provider=provider,
        provider_district_id=provider.district_id,
        enterprise_district_id=enterprise.district_id,
        title=title[:120],
        category=category,
        snapshot=_json_safe(snapshot),
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
    _start(order, actor=actor, action="place_accepted")
    tell(
        organization_people(provider.pk, managers_only=False),
        order,
        title=msg(
            "%(enterprise)s采纳了您的方案，订单%(number)s已生成",
            enterprise=enterprise.name,
            number=order.number,
        ),
        body=msg("服务：%(title)s。订单已是「已接单」状态，请按约定开始服务。", title=title),
    )
    return order


def check_service_area(revision: ServiceRevision, enterprise: Organization, *, confirmed: bool) -> bool:
    """Whether ``enterprise`` orders from outside the districts ``revision`` is offered in (True), or
    from inside (False); refused when outside and the provider takes orders only from its districts,
    or when the enterprise has not confirmed it knows (the order page asks the same before its
    confirmation step)."""
    if revision.is_offered_in(enterprise.district_id):
        return False
    names = {
        "districts": "、".join(offered_district_names(revision)) or "—",
        "enterprise": enterprise.name,
        "district": enterprise.district.name if enterprise.district_id else _("（未登记区县）"),
    }
    if revision.refuses_other_districts:
        problem = _(
            "该服务只接受%(districts)s企业的订单，%(enterprise)s所在的%(district)s不在其中，不能下单。"
        )
        raise InvalidInput(problem % names, {"outside_district": [problem % names]})
    if not confirmed:
        raise InvalidInput(
            _("该服务的服务区县是%(districts)s，不含%(enterprise)s所在的%(district)s。") % names,
            {"outside_district": [_("如仍要订购，请勾选确认已知悉服务区域。")]},
        )
    return True


def _contact(enterprise: Organization, name: str, phone: str, requirements: str) -> tuple[str, str]:
    name = (name or "").strip() or enterprise.contact_name
    phone = (phone or "").strip() or enterprise.contact_phone
    problems = parsing.Problems()
    if len(name) > 50:
        problems.add("contact_name", _("联系人不能超过50个字。"))
    if len(phone) > 20:
        problems.add("contact_phone", _("联系电话不能超过20个字符。"))
    if len(requirements or "") > MAX_REQUIREMENTS:
        problems.add("requirements", _("需求说明不能超过5000字。"))
    if problems:
        raise refusal(problems)
    return name, phone


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
    outside_district_confirmed: bool = False,
) -> Order:
    """An enterprise orders a published catalogue service; the order starts ``submitted``.

    The order keeps the published revision's five disclosures and the price agreed (``pricing.quote``).
    ``proposed_price`` is the enterprise's price for a service priced as a range. An enterprise outside
    the service's districts orders only with ``outside_district_confirmed``, and never when the provider
    takes orders only from its districts (``check_service_area``).
    """
    _check_orderer(actor, enterprise)
    service = Service.objects.select_related("provider", "published_revision__category").get(pk=service.pk)
    revision = service.published_revision
    if service.status != ServiceStatus.PUBLISHED or revision is None:
        raise InvalidInput(_("该服务当前未发布，不能下单。"))
    if service.provider_id == enterprise.pk:
        raise InvalidInput(_("企业不能订购本企业发布的服务。"))
    outside = check_service_area(revision, enterprise, confirmed=outside_district_confirmed)
    contact_name, contact_phone = _contact(enterprise, contact_name, contact_phone, requirements)
    qty, price, smp_applied = quote(
        revision=revision,
        quantity=quantity,
        proposed_price=proposed_price,
        small_micro=enterprise_is_small_or_micro(enterprise),
    )
    now = clock.now()
    snapshot = order_terms(service, revision)
    snapshot.update(
        {
            "quantity": str(qty),
            "agreed_price": plain_amount(price),
            "small_micro_price_applied": smp_applied,
            # the enterprise confirmed it orders from outside the districts the service is offered in
            "outside_district_confirmed": outside,
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
    _start(order, actor=actor, action="place", outside_district=outside)
    tell(
        organization_people(service.provider_id, managers_only=False),
        order,
        title=msg("新订单%(number)s待接单", number=order.number),
        body=msg(
            "%(enterprise)s订购了「%(title)s」，请在%(date)s前答复。",
            enterprise=enterprise.name,
            title=revision.title,
            date=order.respond_by or "",
        ),
    )
    return order
