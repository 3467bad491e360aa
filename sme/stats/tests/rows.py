"""Rows of the apps the figures count, made with the ORM and only the fields they require: enough
for counting, nothing a workflow would accept as a real case."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from sme.accounts.models import User
from sme.assessment.tests.factories import ResponseFactory
from sme.catalog.models import Service
from sme.certification.models import Application, Certification, Scheme
from sme.enterprises.models import EnterpriseProfile
from sme.orders.models import Order
from sme.organizations.models import Organization
from sme.regions.models import Region
from sme.testing.factories import OrganizationFactory, UserFactory
from sme.tickets.models import Ticket, TicketType

_n = itertools.count(1)


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def enterprise(district: Region, size_class: str | None = "", **kwargs: Any) -> Organization:
    """An enterprise; ``size_class`` None: no profile at all."""
    org = cast(Organization, OrganizationFactory(district=district, **kwargs))
    if size_class is not None:
        EnterpriseProfile.objects.create(organization=org, size_class=size_class)
    return org


def provider(district: Region, verified: bool = True) -> Organization:
    return cast(
        Organization, OrganizationFactory(district=district, kind="service_provider", verified=verified)
    )


def service(provider_org: Organization, status: str = "published") -> Service:
    return Service.objects.create(
        provider=provider_org, provider_district_id=provider_org.district_id, status=status
    )


def order(provider_org: Organization, buyer: Organization, submitted_at: dt.datetime) -> Order:
    return Order.objects.create(
        number=f"FIG{next(_n):08d}",
        enterprise=buyer,
        provider=provider_org,
        provider_district_id=provider_org.district_id,
        enterprise_district_id=buyer.district_id,
        title="测试服务",
        agreed_price=Decimal("1000.00"),
        submitted_at=submitted_at,
    )


def closed_ticket(buyer: Organization, closed_at: dt.datetime, on_time: bool) -> Ticket:
    day = closed_at.date()
    return Ticket.objects.create(
        number=f"SQ{next(_n):08d}",
        ticket_type=TicketType.objects.get(key="general_request"),
        kind="general",
        enterprise=buyer,
        filed_by=cast(User, UserFactory()),
        subject="咨询",
        description="咨询",
        district_id=buyer.district_id,
        rule_version="general_request@2024-01-01",
        acknowledge_workdays=1,
        answer_workdays=5,
        close_workdays=10,
        filed_at=closed_at - dt.timedelta(days=3),
        acknowledge_due=day,
        answer_due=day,
        close_due=day,
        status="closed",
        closed_at=closed_at,
        closed_on_time=on_time,
    )


def certification(org: Organization, status: str = "active") -> Certification:
    n = next(_n)
    scheme = Scheme.objects.filter(code="cq-2013-city").order_by("-pk").first()
    assert scheme is not None
    application = Application.objects.create(
        scheme=scheme,
        organization=org,
        district=org.district,
        status="certified",
        reference=f"FIG{n:06d}",
        platform_name=f"{org.name}平台",
        created_by=cast(User, UserFactory()),
    )
    return Certification.objects.create(
        application=application,
        organization=org,
        scheme=scheme,
        district=org.district,
        number=f"FIG-{n:06d}",
        title=scheme.title,
        platform_name=application.platform_name,
        granted_on=dt.date(2024, 6, 1),
        valid_until=dt.date(2027, 5, 31),
        status=status,
    )


def assessed(org: Organization, level_key: str, level_label: str, *, latest: bool = True) -> Any:
    return ResponseFactory(
        organization=org, submitted=True, level_key=level_key, level_label=level_label, is_latest=latest
    )
