"""Applications built through the services, the way a provider fills them in, for workflow tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sme.certification.models import Application, Scheme
from sme.certification.services import applications
from sme.core import clock
from sme.organizations.models import Organization

# A PDF small enough to write by hand: the header is what the upload check reads.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Figures that meet cq-2013-city in 两翼 and in the city circle, for the three reported years.
GOOD_YEAR = {
    "smes_served": 90,
    "satisfaction_percent": "92.5",
    "revenue_wan": "680",
    "service_revenue_wan": "420",
    "staff_total": 26,
    "staff_qualified": 20,
    "assets_wan": "150",
}
REPORT = {
    "platform_name": "万州中小企业云服务平台",
    "established_on": "2015-03-01",
    "legal_representative": "王建国",
    "address": "重庆市万州区高笋塘88号",
    "contact_name": "刘敏",
    "contact_phone": "023-58000000",
    "service_area": "万州经济技术开发区中小企业集聚区",
    "facilities": "固定服务场所800平方米，机房一间",
    "management_system": "服务流程、收费标准和质量保证措施已公开",
    "leadership": "负责人从事信息化服务十五年",
    "description": "为中小企业提供云服务、信息化咨询与培训",
}


def scheme(code: str = "cq-2013-city") -> Scheme:
    return Scheme.objects.current().get(code=code)


def filled_draft(
    actor: Any,
    organization: Organization,
    *,
    scheme_code: str = "cq-2013-city",
    year_overrides: dict[str, Any] | None = None,
    materials: bool = True,
) -> Application:
    """A draft with the report, three good years and every required upload, ready to submit."""
    application = applications.application_create(
        actor=actor, organization=organization, scheme=scheme(scheme_code)
    )
    years = [{"year": y.year, **GOOD_YEAR, **(year_overrides or {})} for y in application.years.all()]
    for i, row in enumerate(years):  # steady growth: 80, 90, 100
        row.setdefault("smes_served", 90)
        if "smes_served" not in (year_overrides or {}):
            row["smes_served"] = 80 + 10 * i
    extra = {}
    if scheme_code == "national-2017":
        extra = {"service_institutions": 6, "free_or_low_fee_share": "0.3"}
    application = applications.application_update(
        actor=actor,
        application=application,
        expected_version=application.version,
        report={**REPORT, "legal_representative": organization.legal_representative},
        years=years,
        categories=["market", "operations"]
        if scheme_code == "cq-2013-city"
        else [scheme(scheme_code).categories[0]["key"]],
        extra_figures=extra,
    )
    if materials:
        for spec in application.scheme.materials:
            if spec.get("provided_by") == "upload" and spec.get("required"):
                applications.material_upload(
                    actor=actor,
                    application=application,
                    slot=spec["key"],
                    upload=SimpleUploadedFile(f"{spec['key']}.pdf", TINY_PDF, content_type="application/pdf"),
                )
    application.refresh_from_db()
    return application


def submitted(actor: Any, organization: Organization, **kwargs: Any) -> Application:
    application = filled_draft(actor, organization, **kwargs)
    return applications.application_submit(
        actor=actor,
        application=application,
        declaration_name=application.legal_representative,
        declaration_date=clock.today(),
        declared=True,
    )


def today_is(monkeypatch: Any, day: dt.date) -> None:
    """Pin the platform clock to ``day`` (for sme/browser_tests; the tests here use the ``clock``
    fixture). The root conftest unpins it before the next test."""
    clock.pin(day)
