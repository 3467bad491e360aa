"""Records for the tests of the public pages and documents, made directly (the workflow itself is
tested with the services): applications in a given status, titles, notices, materials."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sme.certification.models import (
    Application,
    ApplicationYear,
    Certification,
    Material,
    Notice,
    Scheme,
)
from sme.organizations.models import Organization
from sme.regions.models import Region
from sme.testing.factories import OrganizationFactory, UserFactory, officer

_seq = itertools.count(1)


def scheme(code: str = "cq-2013-city") -> Scheme:
    """A shipped scheme, as the loader put it in the database after migrate."""
    return Scheme.objects.current().get(code=code)


def district(code: str) -> Region:
    return Region.objects.current().get(code=code, level="district")


def provider(district_code: str = "500101", **kwargs: Any) -> Organization:
    return OrganizationFactory.create(
        kind="service_provider", verified=True, district=district(district_code), **kwargs
    )


def application(
    organization: Organization | None = None,
    *,
    status: str = "submitted",
    scheme_obj: Scheme | None = None,
    platform_name: str = "",
    categories: list[str] | None = None,
    round_year: int | None = 2026,
    created_by: Any = None,
    with_years: bool = True,
    **fields: Any,
) -> Application:
    organization = organization or provider()
    n = next(_seq)
    scheme_obj = scheme_obj or scheme()
    now = timezone.now()
    app = Application.objects.create(
        scheme=scheme_obj,
        organization=organization,
        district=organization.district,
        status=status,
        reference=f"T{now:%Y}-{n:05d}",
        round_year=round_year,
        platform_name=platform_name or f"{organization.name}信息化服务平台{n}",
        established_on=dt.date(2015, 3, 1),
        legal_representative="王建国",
        address="重庆市万州区高笋塘88号",
        contact_name="刘敏",
        contact_phone="023-58000000",
        service_area="万州经开区中小企业集聚区",
        facilities="固定服务场所800平方米",
        management_system="服务流程与收费标准公开",
        leadership="负责人从事信息化服务十五年",
        description="为中小企业提供云服务与信息化咨询",
        categories=categories if categories is not None else ["market", "operations"],
        declaration_name="王建国",
        declaration_date=dt.date(2026, 1, 10),
        declared_at=now if status != "draft" else None,
        submitted_at=now if status != "draft" else None,
        recommended_at=now if status in ("recommended", "city_review", "notice", "certified") else None,
        created_by=created_by or UserFactory.create(role="provider"),
        **fields,
    )
    if with_years:
        for i, year in enumerate((2023, 2024, 2025)):
            ApplicationYear.objects.create(
                application=app,
                year=year,
                smes_served=90 + 10 * i,
                satisfaction_percent=Decimal("88.50"),
                revenue_wan=Decimal("1200.00") + i,
                service_revenue_wan=Decimal("800.00") + i,
                staff_total=30 + i,
                staff_qualified=24 + i,
                assets_wan=Decimal("350.00") + 10 * i,
            )
    return app


def certification(
    app: Application | None = None,
    *,
    status: str = "active",
    granted_on: dt.date = dt.date(2025, 6, 1),
    number: str = "",
    categories: list[str] | None = None,
    **fields: Any,
) -> Certification:
    app = app or application(status="certified", categories=categories)
    keys = categories if categories is not None else list(app.categories)
    return Certification.objects.create(
        application=app,
        organization=app.organization,
        scheme=app.scheme,
        district=app.district,
        number=number or f"测试〔{granted_on.year}〕{next(_seq):03d}号",
        title=app.scheme.title,
        platform_name=app.platform_name,
        categories=keys,
        category_keys="," + ",".join(keys) + ",",
        granted_on=granted_on,
        valid_until=granted_on.replace(year=granted_on.year + 3) - dt.timedelta(days=1),
        status=status,
        **fields,
    )


def notice(
    app: Application | None = None,
    *,
    published_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    closed: bool = False,
    outcome: str = "",
) -> Notice:
    app = app or application(status="notice")
    return Notice.objects.create(
        application=app,
        scheme=app.scheme,
        published_on=published_on,
        starts_on=starts_on,
        ends_on=ends_on,
        workdays=app.scheme.notice_workdays,
        closed_at=timezone.now() if closed else None,
        outcome=outcome,
        published_by=officer("city_officer", Region.objects.current().get(code="500000")),
    )


def material(
    app: Application, slot: str, content: bytes, *, version: int = 1, current: bool = True
) -> Material:
    return Material.objects.create(
        application=app,
        slot=slot,
        file=f"certification/test/{slot}-{version}.pdf",
        label=f"{slot}-v{version}.pdf",
        file_kind="pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        version=version,
        is_current=current,
        uploaded_by=app.created_by,
    )
