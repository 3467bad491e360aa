"""Titles, re-reviews and spot checks in a given state, made directly, for the after-certification tests
(test_lifecycle*.py). The states are reached through the services in the tests themselves."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sme.certification.models import (
    Application,
    Certification,
    ReReview,
    ReReviewAuditReport,
    Scheme,
    SpotCheck,
)
from sme.organizations.models import Organization
from sme.testing.factories import UserFactory

_seq = itertools.count(1)
# A PDF small enough to write by hand: the header is what the upload check reads.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scheme(code: str = "cq-2013-city") -> Scheme:
    return Scheme.objects.current().get(code=code)


def full_scores(scheme_obj: Scheme, share: Decimal = Decimal(1)) -> dict[str, str]:
    """Every item of the annual form scored at ``share`` of its maximum."""
    return {
        item["key"]: str((Decimal(str(item["max_score"])) * share).quantize(Decimal("0.1")))
        for item in scheme_obj.annual_form["items"]
    }


def certification(
    organization: Organization,
    *,
    status: str = "active",
    granted_on: dt.date = dt.date(2023, 6, 1),
    valid_until: dt.date | None = None,
    scheme_code: str = "cq-2013-city",
    **fields: Any,
) -> Certification:
    """A granted title of ``organization`` (with the certified application it came from)."""
    n = next(_seq)
    scheme_obj = scheme(scheme_code)
    creator = UserFactory.create(username=f"lc_creator_{n}")
    application = Application.objects.create(
        scheme=scheme_obj,
        organization=organization,
        district=organization.district,
        status="certified",
        reference=f"LC{n:06d}",
        platform_name=f"{organization.name}公共服务平台",
        created_by=creator,
    )
    if valid_until is None:
        valid_until = granted_on.replace(year=granted_on.year + scheme_obj.validity_years) - dt.timedelta(
            days=1
        )
    return Certification.objects.create(
        application=application,
        organization=organization,
        scheme=scheme_obj,
        district=organization.district,
        number=f"渝中小企信平〔{granted_on.year}〕{n:03d}号",
        title=scheme_obj.title,
        platform_name=application.platform_name,
        categories=["market"],
        category_keys=",market,",
        granted_on=granted_on,
        valid_until=valid_until,
        status=status,
        **fields,
    )


def rereview(certification_obj: Certification, *, status: str = "draft", complete: bool = True) -> ReReview:
    """A re-review of the title's current cycle; ``complete`` fills what submission needs, and the
    district's scores once it is past the district."""
    scheme_obj = certification_obj.scheme
    values: dict[str, Any] = {}
    if complete:
        values = {
            "three_year_summary": "三年来服务中小企业逐年增加，承担政府委托任务。",
            "self_evaluation": full_scores(scheme_obj, Decimal("0.9")),
        }
    if status in ("district_reviewed", "confirmed", "failed"):
        values.update(district_scores=full_scores(scheme_obj, Decimal("0.8")), district_total=Decimal(80))
    rereview_obj = ReReview.objects.create(
        certification=certification_obj,
        scheme=scheme_obj,
        cycle_ends_on=certification_obj.valid_until,
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        **values,
    )
    if complete:
        ReReviewAuditReport.objects.create(
            rereview=rereview_obj,
            file="certification/rereview/2026/01/audit.pdf",
            label="审计报告.pdf",
            file_kind="pdf",
            content_type="application/pdf",
            size=len(TINY_PDF),
            sha256="0" * 64,
            uploaded_by=certification_obj.application.created_by,
        )
    return rereview_obj


def spot_check(certification_obj: Certification, opened_by: Any, *, status: str = "open") -> SpotCheck:
    return SpotCheck.objects.create(
        certification=certification_obj,
        checked_on=dt.date(2026, 5, 1),
        findings="服务收费标准未公开。",
        rectification_due=dt.date(2026, 6, 30),
        status=status,
        opened_by=opened_by,
    )
