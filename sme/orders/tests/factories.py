"""Published services built directly with the ORM (no catalog services), and orders in any status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from sme.catalog.models import (
    RevisionStatus,
    Service,
    ServiceCategory,
    ServiceRevision,
    ServiceStatus,
)
from sme.enterprises.models import EnterpriseProfile
from sme.orders.models import Order
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory, UserFactory, current_district


def category(key: str = "orders-test-erp", name: str = "企业资源计划") -> ServiceCategory:
    parent, _ = ServiceCategory.objects.get_or_create(
        key="orders-test-digital", defaults={"name": "数字化转型"}
    )
    cat, _ = ServiceCategory.objects.get_or_create(key=key, defaults={"name": name, "parent": parent})
    return cat


def revision_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "财务管理软件实施服务",
        "summary": "上线财务软件",
        "content": "安装、配置并培训财务管理软件。",
        "process_steps": ["需求调研", "系统配置", "上线培训"],
        "deliverables": "可用的财务系统与培训记录",
        "quality_standard": "GB/T 25000.51",
        "fee_type": "fixed",
        "fee_amount": Decimal("5000.00"),
        "fee_unit": "",
        "response_workdays": 2,
        "delivery_workdays": 10,
        "service_hours": "工作日 9:00-17:30",
        "serves_all_districts": True,
        "district_ids": [],
    }
    fields.update(overrides)
    return fields


def publish_revision(service: Service, *, user: Any = None, **overrides: Any) -> ServiceRevision:
    """A new approved revision that replaces the published one, with the listing columns copied."""
    user = user or UserFactory(role="provider")
    cat = overrides.pop("category", None) or category()
    number = (service.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    fields = revision_fields(**overrides)
    service.revisions.filter(status=RevisionStatus.APPROVED).update(status=RevisionStatus.SUPERSEDED)
    revision = ServiceRevision.objects.create(
        service=service,
        number=number,
        status=RevisionStatus.APPROVED,
        needs_approval=number == 1,
        category=cat,
        created_by=user,
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        **fields,
    )
    low, high = _price_span(revision)
    service.published_revision = revision
    service.status = ServiceStatus.PUBLISHED
    service.title = revision.title
    service.category = cat
    service.top_category = cat.parent or cat
    service.fee_type = revision.fee_type
    service.price_low = low
    service.price_high = high
    service.serves_all_districts = revision.serves_all_districts
    service.published_at = service.published_at or timezone.now()
    service.save()
    service.districts.set(revision.district_ids)
    return revision


def _price_span(revision: ServiceRevision) -> tuple[Decimal | None, Decimal | None]:
    if revision.fee_type == "free":
        return Decimal(0), Decimal(0)
    if revision.fee_type == "range":
        return revision.fee_min, revision.fee_max
    return revision.fee_amount, revision.fee_amount


def published_service(provider: Organization | None = None, **overrides: Any) -> Service:
    """A published service of ``provider`` (a new verified provider in 万州区 by default)."""
    if provider is None:
        provider = cast(
            Organization,
            OrganizationFactory(kind="service_provider", verified=True, district=current_district("500101")),
        )
    service = Service.objects.create(provider=provider, provider_district_id=provider.district_id)
    publish_revision(service, **overrides)
    return service


def enterprise_with_owner(district_code: str = "500103", **kwargs: Any) -> tuple[Organization, Any]:
    owner = UserFactory(role="enterprise")
    org = OrganizationFactory(district=current_district(district_code), owner=owner, verified=True, **kwargs)
    return cast(Organization, org), owner


def provider_with_owner(district_code: str = "500101") -> tuple[Organization, Any]:
    owner = UserFactory(role="provider")
    org = OrganizationFactory(
        kind="service_provider", district=current_district(district_code), owner=owner, verified=True
    )
    return cast(Organization, org), owner


def set_size_class(enterprise: Organization, size_class: str) -> None:
    EnterpriseProfile.objects.update_or_create(organization=enterprise, defaults={"size_class": size_class})


def completed_order(
    *,
    enterprise: Organization,
    provider: Organization,
    completed_at: dt.datetime,
    service: Service | None = None,
    on_time: bool | None = True,
    price: Decimal = Decimal("1000.00"),
) -> Any:
    """An order already completed at ``completed_at`` (ORM only: for figures and rating tests)."""
    n = Order.objects.count() + 1
    return Order.objects.create(
        number=f"DDTEST{n:08d}",
        enterprise=enterprise,
        provider=provider,
        provider_district_id=provider.district_id,
        enterprise_district_id=enterprise.district_id,
        service=service,
        title="测试服务",
        snapshot={"source": "test"},
        agreed_price=price,
        status="completed",
        submitted_at=completed_at - dt.timedelta(days=10),
        accepted_at=completed_at - dt.timedelta(days=9),
        delivered_at=completed_at - dt.timedelta(days=1),
        completed_at=completed_at,
        deliver_by=None if on_time is None else (completed_at - dt.timedelta(days=1)).date(),
        delivered_on_time=on_time,
    )
