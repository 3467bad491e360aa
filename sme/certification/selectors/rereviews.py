"""Reads of re-reviews (第十四条) and spot checks (第十五条), within the scope of the titles they
belong to (``selectors.titles.certifications_visible_to``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core.parsing import Problems

from .. import figures
from ..models import (
    Certification,
    CertificationStatus,
    ReReview,
    ReReviewAuditReport,
    ReReviewStatus,
    SpotCheck,
    SpotCheckRectification,
    SpotCheckStatus,
)
from .titles import certifications_visible_to, titles_managed_by

REREVIEW_OPEN_STATUSES = (ReReviewStatus.DRAFT, ReReviewStatus.SUBMITTED, ReReviewStatus.DISTRICT_REVIEWED)


def rereviews_visible_to(user: Any) -> QuerySet[ReReview]:
    titles = certifications_visible_to(user).values("pk")
    return ReReview.objects.filter(certification_id__in=titles).select_related(
        "certification",
        "certification__organization",
        "certification__district",
        "certification__scheme",
        "scheme",
    )


def rereview_for(user: Any, pk: int) -> ReReview:
    rereview = rereviews_visible_to(user).filter(pk=pk).first()
    if rereview is None:
        raise Http404(_("复核不存在，或不在您的管辖范围内。"))
    return rereview


def can_see_rereview(user: Any, rereview_id: int) -> bool:
    return rereviews_visible_to(user).filter(pk=rereview_id).exists()


def rereviews_of(certification: Certification) -> QuerySet[ReReview]:
    return certification.rereviews.order_by("-id")


def latest_rereview(certification: Certification) -> ReReview | None:
    return certification.rereviews.select_related("scheme").order_by("-id").first()


def audit_report_of(rereview: ReReview) -> ReReviewAuditReport | None:
    """The audit report on file for ``rereview``: the latest uploaded."""
    return rereview.audit_report


def rereview_queue(user: Any, *, status: str = "") -> QuerySet[ReReview]:
    """Re-reviews in scope. With no ``status``: what waits for ``user`` — the district's submitted
    ones for a district officer, the forwarded ones for a city officer, drafts for the platform."""
    qs = rereviews_visible_to(user)
    if status in ReReviewStatus.values:
        qs = qs.filter(status=status)
    elif user.role == Role.DISTRICT_OFFICER:
        qs = qs.filter(status=ReReviewStatus.SUBMITTED)
    elif user.role == Role.CITY_OFFICER:
        qs = qs.filter(status=ReReviewStatus.DISTRICT_REVIEWED)
    elif user.role in (Role.ENTERPRISE, Role.PROVIDER):
        qs = qs.filter(status=ReReviewStatus.DRAFT)
    else:
        qs = qs.filter(status__in=REREVIEW_OPEN_STATUSES)
    if not status or status in REREVIEW_OPEN_STATUSES:
        qs = qs.filter(certification__status=CertificationStatus.REREVIEW)  # a revoked title ends it
    return qs.order_by("cycle_ends_on", "id")


def drafts_for(user: Any) -> QuerySet[ReReview]:
    """Re-reviews the organizations ``user`` manages have still to file."""
    return ReReview.objects.filter(
        certification__in=titles_managed_by(user),
        status=ReReviewStatus.DRAFT,
        certification__status=CertificationStatus.REREVIEW,
    ).select_related("certification")


def rereview_submission_problems(rereview: ReReview) -> dict[str, list[str]]:
    """What is missing before the platform may submit its re-review (empty when complete)."""
    problems = Problems()
    if not rereview.three_year_summary.strip():
        problems.add("three_year_summary", _("请填写三年工作总结。"))
    if not rereview.audit_reports.exists():
        problems.add("audit_report", _("请上传上一年度服务收支专项审计报告。"))
    items = figures.annual_form_items(rereview.scheme)
    if not items:
        problems.add("self_evaluation", _("该认定办法未设置年度运营情况测评表，请联系认定机关。"))
    else:
        figures.clean_scores(
            items, rereview.self_evaluation, prefix="self_evaluation", problems=problems, complete=True
        )
    return problems.by_field


# --- spot checks ---------------------------------------------------------------------------------


def spot_checks_visible_to(user: Any) -> QuerySet[SpotCheck]:
    titles = certifications_visible_to(user).values("pk")
    return SpotCheck.objects.filter(certification_id__in=titles).select_related(
        "certification", "certification__organization", "certification__district", "certification__scheme"
    )


def spot_check_for(user: Any, pk: int) -> SpotCheck:
    spot_check = spot_checks_visible_to(user).filter(pk=pk).first()
    if spot_check is None:
        raise Http404(_("抽查记录不存在，或不在您的管辖范围内。"))
    return spot_check


def spot_checks_of(certification: Certification) -> QuerySet[SpotCheck]:
    return certification.spot_checks.order_by("-checked_on", "-id")


def spot_check_list(user: Any, *, status: str = "") -> QuerySet[SpotCheck]:
    """Spot checks in scope, open ones by deadline first, with ``rectification_count``."""
    qs = spot_checks_visible_to(user).annotate(rectification_count=Count("rectifications"))
    if status in SpotCheckStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by(F("rectification_due").asc(nulls_last=True), "-id")


def rectifications_of(spot_check: SpotCheck) -> QuerySet[SpotCheckRectification]:
    return spot_check.rectifications.select_related("created_by")


def open_spot_checks_for(user: Any) -> QuerySet[SpotCheck]:
    """Open spot checks of the titles the organizations ``user`` manages."""
    return SpotCheck.objects.filter(
        certification__in=titles_managed_by(user), status=SpotCheckStatus.OPEN
    ).select_related("certification")


def rectified_open_spot_checks(user: Any) -> int:
    """Open spot checks in scope whose platform has reported its rectification (the city decides next)."""
    return (
        spot_checks_visible_to(user)
        .filter(status=SpotCheckStatus.OPEN)
        .filter(Exists(SpotCheckRectification.objects.filter(spot_check_id=OuterRef("pk"))))
        .count()
    )
