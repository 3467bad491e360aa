"""The after-certification services: yearly summaries, the re-review's content and decisions, spot
checks, revocation for fraud, and the public history. Bad input: a clear Chinese error, nothing changed."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sme.certification import daily, figures
from sme.certification.models import (
    AnnualSummary,
    CertificationStatus,
    ReReview,
    ReReviewStatus,
    SpotCheck,
    SpotCheckRectification,
    SpotCheckStatus,
)
from sme.certification.selectors import register as register_selectors
from sme.certification.selectors import rereviews as rereview_selectors
from sme.certification.selectors import titles as title_selectors
from sme.certification.services import rereviews as rereview_services
from sme.certification.services import spot_checks as spot_check_services
from sme.certification.services import summaries as summary_services
from sme.certification.services import titles as title_services
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations.models import Organization

from . import lifecycle_factories as lf

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(clock):
    """Every step of these tests happens on TODAY."""
    clock.pin(TODAY)


SUMMARY = {
    "year": 2025,
    "text": "2025年服务中小企业126家，开展公益培训12场。",
    "smes_served": 126,
    "satisfaction_percent": "93.5",
    "service_revenue_wan": "312.40",
    "public_services": 12,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def organization(provider_user):
    return Organization.objects.get(memberships__user=provider_user)


@pytest.fixture
def title(organization):
    return lf.certification(organization, granted_on=dt.date(2024, 6, 1))


# --- yearly summary ------------------------------------------------------------------------------


def test_summary_is_reported_once_with_its_figures(
    title, provider_user, district_officer, django_capture_on_commit_callbacks
):
    assert title_selectors.summary_years_open(title, TODAY) == [2025, 2024]
    with django_capture_on_commit_callbacks(execute=True):
        summary = summary_services.summary_submit(actor=provider_user, certification=title, **SUMMARY)
    assert (
        summary.smes_served,
        summary.satisfaction_percent,
        summary.service_revenue_wan,
        summary.public_services,
    ) == (
        126,
        Decimal("93.5"),
        Decimal("312.40"),
        12,
    )
    assert summary.due_on == dt.date(2026, 3, 31) and summary.submitted_by == provider_user
    audit = AuditLog.objects.get(action="certification_title.summary_submit", object_id=str(title.pk))
    assert "2025" in audit.summary and audit.actor == provider_user
    assert Notification.objects.filter(
        recipient=district_officer, title__contains="2025年度工作总结"
    ).exists()
    assert title_selectors.summary_years_open(title, TODAY) == [2024]

    with pytest.raises(InvalidInput) as exc:
        summary_services.summary_submit(actor=provider_user, certification=title, **SUMMARY)
    assert "每年只报送一次" in exc.value.field_errors["year"][0]
    assert AnnualSummary.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"text": "  "}, "text", "请填写工作总结"),
        ({"satisfaction_percent": "100.5"}, "satisfaction_percent", "不能大于100"),
        ({"smes_served": -3}, "smes_served", "不能为负数"),
        ({"smes_served": "12.5"}, "smes_served", "请填写整数"),
        ({"service_revenue_wan": "abc"}, "service_revenue_wan", "请填写数字"),
        ({"service_revenue_wan": "1.234"}, "service_revenue_wan", "最多保留2位小数"),
        ({"year": 2026}, "year", "可报送的年度：2024、2025"),
        ({"year": 2023}, "year", "可报送的年度"),
    ],
)
def test_bad_summary_input_is_refused_and_nothing_changes(title, provider_user, changes, field, words):
    with pytest.raises(InvalidInput) as exc:
        summary_services.summary_submit(actor=provider_user, certification=title, **{**SUMMARY, **changes})
    assert any(words in m for m in exc.value.field_errors[field]), exc.value.field_errors
    assert not AnnualSummary.objects.exists()
    assert not AuditLog.objects.filter(action="certification_title.summary_submit").exists()


def test_only_the_platform_managers_report_and_only_while_in_force(
    title, district_officer, city_officer, provider_user, organization
):
    from sme.organizations.models import Membership
    from sme.testing.factories import UserFactory

    member = UserFactory(username="plain_member", role="provider")
    Membership.objects.create(organization=organization, user=member, role="member", status="active")
    for user in (member, district_officer, city_officer):
        with pytest.raises(NotAllowed):
            summary_services.summary_submit(actor=user, certification=title, **SUMMARY)
    title.status = CertificationStatus.REVOKED
    title.save()
    with pytest.raises(Conflict) as exc:
        summary_services.summary_submit(actor=provider_user, certification=title, **SUMMARY)
    assert "已撤销" in exc.value.message
    assert not AnnualSummary.objects.exists()


# --- the re-review -------------------------------------------------------------------------------


@pytest.fixture
def under_review(organization):
    cert = lf.certification(organization, granted_on=dt.date(2023, 9, 1))
    assert cert.valid_until == dt.date(2026, 8, 31)
    return cert


def open_rereview(cert, actor):
    return title_services.rereview_open(actor=actor, certification=cert)


def test_rereview_cannot_open_before_the_cycles_last_year(organization, provider_user, city_officer):
    cert = lf.certification(organization, granted_on=dt.date(2025, 1, 1))  # valid until 2027-12-31
    for user in (provider_user, city_officer):
        with pytest.raises(NotAllowed) as exc:
            title_services.rereview_open(actor=user, certification=cert)
        assert "最早可于2026年12月31日开始" in exc.value.message
    cert.refresh_from_db()
    assert cert.status == "active" and not ReReview.objects.exists()
    assert not TransitionLog.objects.exists()


def test_the_platform_fills_in_its_rereview(under_review, provider_user):
    rereview = open_rereview(under_review, provider_user)
    pdf = SimpleUploadedFile("../../审计报告2025.pdf", lf.TINY_PDF, content_type="application/pdf")
    scores = lf.full_scores(rereview.scheme, Decimal("0.9"))
    updated = rereview_services.rereview_update(
        actor=provider_user,
        rereview=rereview,
        expected_version=rereview.version,
        three_year_summary="  三年工作总结正文  ",
        self_evaluation={**scores, "unknown_item": 5},
        audit_report=pdf,
    )
    assert updated.version == 2
    assert updated.three_year_summary == "三年工作总结正文"
    assert {k: Decimal(v) for k, v in updated.self_evaluation.items()} == {
        k: Decimal(v) for k, v in scores.items()
    }
    report = updated.audit_report
    assert report.sha256 == hashlib.sha256(lf.TINY_PDF).hexdigest()
    assert report.label == "审计报告2025.pdf"
    assert (report.uploaded_by, report.size, report.file_kind) == (provider_user, len(lf.TINY_PDF), "pdf")
    assert ".." not in report.file.name and report.file.name.startswith("certification/rereview/")
    assert report.file.read() == lf.TINY_PDF
    row = AuditLog.objects.get(action="certification_rereview.update")
    assert row.changes["audit_report_sha256"][1] == report.sha256
    assert rereview_selectors.rereview_submission_problems(updated) == {}


def test_bad_rereview_input_changes_nothing(under_review, provider_user):
    rereview = open_rereview(under_review, provider_user)
    exe = SimpleUploadedFile("audit.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    first_key = rereview.scheme.annual_form["items"][0]["key"]
    with pytest.raises(InvalidInput) as exc:
        rereview_services.rereview_update(
            actor=provider_user,
            rereview=rereview,
            expected_version=rereview.version,
            three_year_summary="总结",
            self_evaluation={first_key: "999"},
            audit_report=exe,
        )
    assert "不是 PDF" in exc.value.field_errors["audit_report"][0]
    assert "不能大于" in exc.value.field_errors[f"self_evaluation.{first_key}"][0]
    rereview.refresh_from_db()
    assert (rereview.version, rereview.three_year_summary, rereview.audit_report) == (1, "", None)


def test_a_stale_rereview_edit_is_a_conflict_and_its_file_is_not_kept(under_review, provider_user, tmp_path):
    rereview = open_rereview(under_review, provider_user)
    rereview_services.rereview_update(
        actor=provider_user, rereview=rereview, expected_version=1, three_year_summary="第一稿"
    )
    stored_before = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    with pytest.raises(Conflict):
        rereview_services.rereview_update(
            actor=provider_user,
            rereview=rereview,
            expected_version=1,
            three_year_summary="过期的一稿",
            audit_report=SimpleUploadedFile("a.pdf", lf.TINY_PDF),
        )
    rereview.refresh_from_db()
    assert rereview.three_year_summary == "第一稿" and not rereview.audit_report
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == stored_before


def test_submission_lists_what_is_missing(under_review, provider_user):
    rereview = open_rereview(under_review, provider_user)
    with pytest.raises(InvalidInput) as exc:
        rereview_services.rereview_transition(actor=provider_user, rereview=rereview, action="submit")
    errors = exc.value.field_errors
    assert "three_year_summary" in errors and "audit_report" in errors
    assert len([k for k in errors if k.startswith("self_evaluation.")]) == len(
        rereview.scheme.annual_form["items"]
    )
    rereview.refresh_from_db()
    assert rereview.status == ReReviewStatus.DRAFT


def test_district_scores_must_be_complete_and_within_range(under_review, district_officer):
    under_review.status = "rereview"
    under_review.save()
    rereview = lf.rereview(under_review, status="submitted")
    items = rereview.scheme.annual_form["items"]
    partial = {items[0]["key"]: "1", items[1]["key"]: "-1"}
    with pytest.raises(InvalidInput) as exc:
        rereview_services.rereview_transition(
            actor=district_officer, rereview=rereview, action="district_evaluate", scores=partial
        )
    assert "不能为负数" in exc.value.field_errors[f"scores.{items[1]['key']}"][0]
    assert "请为" in exc.value.field_errors[f"scores.{items[2]['key']}"][0]
    rereview.refresh_from_db()
    assert rereview.status == "submitted" and rereview.district_total is None


def test_city_cannot_confirm_below_the_pass_score(under_review, city_officer):
    under_review.status = "rereview"
    under_review.save()
    rereview = lf.rereview(under_review, status="district_reviewed")
    low = lf.full_scores(rereview.scheme, Decimal("0.5"))
    with pytest.raises(NotAllowed) as exc:
        rereview_services.rereview_transition(
            actor=city_officer, rereview=rereview, action="confirm", scores=low
        )
    assert "低于合格分60分" in exc.value.message
    rereview.refresh_from_db()
    under_review.refresh_from_db()
    assert rereview.status == "district_reviewed" and under_review.valid_until == dt.date(2026, 8, 31)


def test_confirm_extends_validity_from_the_old_end(
    under_review, provider_user, district_officer, city_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rereview = open_rereview(under_review, provider_user)
        rereview = rereview_services.rereview_update(
            actor=provider_user,
            rereview=rereview,
            expected_version=1,
            three_year_summary="三年总结",
            self_evaluation=lf.full_scores(rereview.scheme, Decimal("0.9")),
            audit_report=SimpleUploadedFile("audit.pdf", lf.TINY_PDF),
        )
        rereview = rereview_services.rereview_transition(
            actor=provider_user, rereview=rereview, action="submit"
        )
        rereview = rereview_services.rereview_transition(
            actor=district_officer,
            rereview=rereview,
            action="district_evaluate",
            scores=lf.full_scores(rereview.scheme, Decimal("0.8")),
        )
        rereview = rereview_services.rereview_transition(
            actor=city_officer,
            rereview=rereview,
            action="confirm",
            scores=lf.full_scores(rereview.scheme, Decimal("0.75")),
            note="运营良好",
        )
    under_review.refresh_from_db()
    assert under_review.status == "active"
    assert under_review.valid_until == dt.date(2029, 8, 31)
    assert rereview.status == "confirmed" and rereview.decision_note == "运营良好"
    assert Notification.objects.filter(recipient=provider_user, title__contains="三年复核合格").exists()
    history = title_selectors.certification_history(under_review)
    assert [e.kind for e in history] == ["granted", "rereview_confirmed"]
    assert "2029年8月31日" in history[-1].detail
    # The next cycle ends with the new validity; the daily job opens it 90 days before.
    assert daily.certification_daily(today=dt.date(2029, 6, 2)).rereviews_opened == 1
    assert ReReview.objects.filter(certification=under_review).order_by(
        "-id"
    ).first().cycle_ends_on == dt.date(2029, 8, 31)


def test_failed_rereview_revokes_and_is_announced(client, under_review, city_officer):
    under_review.status = "rereview"
    under_review.save()
    assert under_review in register_selectors.register()
    rereview = lf.rereview(under_review, status="district_reviewed")
    rereview_services.rereview_transition(
        actor=city_officer,
        rereview=rereview,
        action="fail",
        scores=lf.full_scores(rereview.scheme, Decimal("0.4")),
        note="未按期开展公益性服务，测评不合格",
    )
    under_review.refresh_from_db()
    assert (under_review.status, under_review.revocation_basis) == ("revoked", "rereview")
    assert under_review.revoked_on == TODAY
    assert under_review not in register_selectors.register()
    page = client.get("/certification/announcements/").content.decode()
    assert under_review.number in page and "未按期开展公益性服务" in page and "复核不合格（第十四条）" in page
    history = title_selectors.certification_history(under_review)
    assert [e.kind for e in history][-2:] == ["rereview_failed", "revoked"]


def test_a_fail_needs_a_reason(under_review, city_officer):
    under_review.status = "rereview"
    under_review.save()
    rereview = lf.rereview(under_review, status="district_reviewed")
    with pytest.raises(InvalidInput) as exc:
        rereview_services.rereview_transition(
            actor=city_officer,
            rereview=rereview,
            action="fail",
            scores=lf.full_scores(rereview.scheme),
            note=" ",
        )
    assert "note" in exc.value.field_errors
    under_review.refresh_from_db()
    assert under_review.status == "rereview"


def test_a_revoked_title_ends_its_rereview(under_review, provider_user, city_officer):
    rereview = open_rereview(under_review, provider_user)
    title_services.certification_revoke(actor=city_officer, certification=under_review, reason="伪造审计报告")
    rereview.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        rereview_services.rereview_transition(actor=provider_user, rereview=rereview, action="submit")
    assert "已终止" in exc.value.message
    assert list(rereview_selectors.rereview_queue(provider_user)) == []


# --- spot checks and revocation for fraud ----------------------------------------------------------


def test_spot_check_open_rectify_fail(
    title, provider_user, district_officer, city_officer, django_capture_on_commit_callbacks
):
    with pytest.raises(InvalidInput) as exc:
        spot_check_services.spot_check_open(
            actor=city_officer,
            certification=title,
            findings=" ",
            checked_on=TODAY,
            rectification_due=TODAY - dt.timedelta(days=1),
        )
    assert set(exc.value.field_errors) == {"findings", "rectification_due"}
    with pytest.raises(NotAllowed):
        spot_check_services.spot_check_open(
            actor=district_officer, certification=title, findings="x", rectification_due=TODAY
        )
    assert not SpotCheck.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        check = spot_check_services.spot_check_open(
            actor=city_officer,
            certification=title,
            findings="收费标准未公示",
            rectification_due=TODAY + dt.timedelta(days=30),
        )
    assert check.status == SpotCheckStatus.OPEN
    assert AuditLog.objects.filter(action="certification_spot_check.open", object_id=str(check.pk)).exists()
    assert Notification.objects.filter(recipient=provider_user, body="收费标准未公示").exists()
    assert Notification.objects.filter(recipient=district_officer, title__contains="被抽查").exists()

    with pytest.raises(NotAllowed):
        spot_check_services.spot_check_rectify(actor=district_officer, spot_check=check, text="已整改")
    with pytest.raises(InvalidInput):
        spot_check_services.spot_check_rectify(actor=provider_user, spot_check=check, text="")
    with django_capture_on_commit_callbacks(execute=True):
        spot_check_services.spot_check_rectify(
            actor=provider_user, spot_check=check, text="已在网站公示收费标准"
        )
    assert SpotCheckRectification.objects.get().text == "已在网站公示收费标准"
    assert Notification.objects.filter(recipient=city_officer, title__contains="整改情况").exists()

    spot_check_services.spot_check_transition(
        actor=city_officer, spot_check=check, action="fail", note="复查仍未公示"
    )
    title.refresh_from_db()
    assert (title.status, title.revocation_basis, title.revocation_reason) == (
        "revoked",
        "spot_check",
        "复查仍未公示",
    )
    with pytest.raises(Conflict):
        spot_check_services.spot_check_rectify(actor=provider_user, spot_check=check, text="补充整改")
    with pytest.raises(Conflict):
        spot_check_services.spot_check_open(
            actor=city_officer, certification=title, findings="x", rectification_due=TODAY
        )
    assert [e.kind for e in title_selectors.certification_history(title)][-2:] == [
        "spot_check_failed",
        "revoked",
    ]


def test_revocation_for_fraud_leaves_the_register_keeps_the_history(
    client, title, provider_user, city_officer
):
    summary_services.summary_submit(actor=provider_user, certification=title, **SUMMARY)
    assert title in register_selectors.register()
    with pytest.raises(InvalidInput):
        title_services.certification_revoke(actor=city_officer, certification=title, reason="  ")
    title_services.certification_revoke(
        actor=city_officer, certification=title, reason="申报材料中的服务合同系伪造"
    )
    title.refresh_from_db()
    today = TODAY
    assert (title.status, title.revocation_basis, title.revoked_on) == ("revoked", "fraud", today)
    assert title not in register_selectors.register()
    assert title in register_selectors.register(include_inactive=True)
    history = title_selectors.certification_history(title)
    assert [(e.kind, e.on) for e in history] == [
        ("granted", dt.date(2024, 6, 1)),
        ("summary", today),
        ("revoked", today),
    ]
    assert "2025年度" in history[1].label
    assert history[-1].detail == "申报材料中的服务合同系伪造" and "弄虚作假" in history[-1].label
    page = client.get("/certification/announcements/").content.decode()
    assert title.number in page and "申报材料中的服务合同系伪造" in page and today.isoformat() in page


def test_expire_before_validity_ends_is_refused(title, clock):
    clock.pin(title.valid_until)
    with pytest.raises(NotAllowed) as exc:
        title_services.certification_expire(certification=title)
    assert "尚未届满" in exc.value.message
    title.refresh_from_db()
    assert title.status == "active"


def test_confirm_without_a_confirmed_rereview_is_refused(title, city_officer):
    title.status = "rereview"
    title.save()
    lf.rereview(title, status="district_reviewed")
    with pytest.raises(NotAllowed) as exc:
        title_services.certification_transition(actor=city_officer, certification=title, action="confirm")
    assert "尚未通过" in exc.value.message
    title.refresh_from_db()
    assert (title.status, title.valid_until) == ("rereview", dt.date(2027, 5, 31))


def test_scores_total_and_form_helpers(title):
    scheme = title.scheme
    assert figures.annual_form_max_total(scheme) == Decimal(100)
    assert figures.annual_form_pass_score(scheme) == Decimal(60)
    scores = lf.full_scores(scheme, Decimal("0.5"))
    assert figures.scores_total(scheme, scores) == sum(Decimal(v) for v in scores.values())
