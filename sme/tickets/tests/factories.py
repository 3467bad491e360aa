"""Tickets' own test helpers: orders between the personas' organizations, moments in Chongqing time, tickets."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files import File
from django.utils import timezone

from sme.orders.models import Order
from sme.organizations.models import Organization
from sme.tickets import services
from sme.tickets.models import Ticket, TicketType

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment in Chongqing time on ``day`` (YYYY-MM-DD)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def org_of(user: Any) -> Organization:
    return Organization.objects.get(memberships__user=user)


def make_order(enterprise: Organization, provider: Organization, **kwargs: Any) -> Order:
    values: dict[str, Any] = {
        "number": f"DD-T{next(_numbers):06d}",
        "enterprise": enterprise,
        "provider": provider,
        "provider_district": provider.district,
        "enterprise_district": enterprise.district,
        "title": "财务管理软件实施",
        "agreed_price": Decimal("12000.00"),
        "submitted_at": timezone.now(),
        "status": "completed",
    }
    values.update(kwargs)
    return Order.objects.create(**values)


def ticket_type(key: str) -> TicketType:
    return TicketType.objects.get(key=key)


def file_general(user: Any, subject: str = "咨询数字化补贴政策") -> Ticket:
    return services.ticket_file(
        actor=user,
        enterprise=org_of(user),
        ticket_type=ticket_type("general_request"),
        subject=subject,
        description="请问今年的中小企业数字化转型补贴如何申请？",
    )


def file_order_complaint(
    user: Any, order: Order, subject: str = "交付延误", files: Iterable[File] = ()
) -> Ticket:
    return services.ticket_file(
        actor=user,
        enterprise=org_of(user),
        ticket_type=ticket_type("order_complaint"),
        subject=subject,
        description="约定10个工作日交付，至今未交付。",
        order=order,
        files=files,
    )
