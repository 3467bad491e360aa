"""Demo 诉求, made through the real services (run after the orders demo), so that the 万州 officer
persona has work waiting and the public monthly figures are not empty:

- a complaint about a demo order of a 万州 provider, acknowledged and waiting for the answer;
- a complaint about that provider, answered, confirmed by the enterprise and rated;
- a general request to the enterprise's own district, just filed.
"""

from __future__ import annotations

import logging

from django.db import transaction

from sme.accounts.models import User
from sme.core.errors import ServiceError
from sme.orders.models import Order
from sme.organizations.models import Organization
from sme.organizations.permissions import organization_people

from . import services
from .models import Ticket, TicketType

log = logging.getLogger(__name__)

OFFICER = "quxian_wanzhou"
WANZHOU_CODE = "500101"


def _filer(enterprise: Organization) -> User | None:
    people = organization_people(enterprise.pk, managers_only=True)
    return people[0] if people else None


def _type(kind: str) -> TicketType | None:
    return TicketType.objects.filter(kind=kind, is_active=True).order_by("pk").first()


@transaction.atomic
def load_demo() -> int:
    """Create the demo tickets once; returns how many were created (0 when there are tickets
    already, or when the orders, the officer persona or the ticket types are missing, or the
    working-day calendar does not cover today)."""
    if Ticket.objects.exists():
        return 0
    officer = User.objects.filter(username=OFFICER, is_active=True).first()
    order = (
        Order.objects.filter(provider__district__code=WANZHOU_CODE)
        .select_related("enterprise", "provider")
        .order_by("pk")
        .first()
    )
    order_type, provider_type, general_type = (
        _type(kind) for kind in ("order_complaint", "provider_complaint", "general")
    )
    filer = _filer(order.enterprise) if order is not None else None
    if (
        officer is None
        or order is None
        or filer is None
        or order_type is None
        or provider_type is None
        or general_type is None
    ):
        log.warning("tickets demo: no 万州 order, officer persona or ticket types; skipped")
        return 0
    try:
        waiting = services.ticket_file(
            actor=filer,
            enterprise=order.enterprise,
            ticket_type=order_type,
            subject="交付成果与约定不符",
            description=(
                f"订单 {order.number} 约定交付系统配置说明和操作手册，目前只收到配置截图，"
                "多次联系服务机构未获答复，请协调处理。"
            ),
            order=order,
        )
        services.ticket_acknowledge(actor=officer, ticket=waiting)

        answered = services.ticket_file(
            actor=filer,
            enterprise=order.enterprise,
            ticket_type=provider_type,
            subject="服务机构响应较慢",
            description="提交需求后三个工作日才有人联系，希望督促服务机构按公开的响应时间答复。",
            provider=order.provider,
        )
        answered = services.ticket_acknowledge(actor=officer, ticket=answered)
        answered = services.ticket_answer(
            actor=officer,
            ticket=answered,
            answer="已约谈该服务机构，要求其在公开的响应时间内答复企业，并指定专人对接贵公司。",
        )
        answered = services.ticket_confirm(actor=filer, ticket=answered)
        services.ticket_rate(
            actor=filer, ticket=answered, stars=5, satisfied=True, comment="处理及时，服务机构已主动联系。"
        )

        services.ticket_file(
            actor=filer,
            enterprise=order.enterprise,
            ticket_type=general_type,
            subject="咨询数字化改造补贴申报条件",
            description="我司计划明年上线生产管理系统，想了解本区数字化改造补贴的申报条件和时间安排。",
        )
    except ServiceError as exc:  # e.g. the working-day calendar does not cover this year yet
        log.warning("tickets demo: %s; skipped", exc)
        transaction.set_rollback(True)
        return 0
    services.ticket_figures_rebuild()
    return 3
