"""The certification case through its services: report, materials, submission, district and city
decisions, experts, the public notice, objections and the title."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sme.certification import daily, figures
from sme.certification.models import (
    Application,
    ApplicationStatus,
    Certification,
    ExpertReview,
    Material,
    Notice,
    ObjectionStatus,
    Scheme,
)
from sme.certification.selectors import applications as application_selectors
from sme.certification.selectors import notices as notice_selectors
from sme.certification.services import applications as application_services
from sme.certification.services import notices as notice_services
from sme.certification.services import reviews as review_services
from sme.certification.services import schemes as scheme_services
from sme.certification.services import titles as title_services
from sme.certification.tests.factories import TINY_PDF, filled_draft, submitted
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations.models import Organization
from sme.testing.factories import UserFactory
from sme.workdays.calendar import CalendarNotCovered

BEFORE_DEADLINE = dt.date(2026, 2, 10)


@pytest.fixture
def provider_org(provider_user):
    return Organization.objects.get(memberships__user=provider_user)


@pytest.fixture
def experts(db):
    return [UserFactory(username=f"expert_{i}", role="expert", real_name=f"专家{i}") for i in range(4)]


@pytest.fixture
def recommended(clock, provider_user, provider_org, district_officer):
    clock.pin(BEFORE_DEADLINE)
    application = submitted(provider_user, provider_org)
    application, _message = application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    return application


def _score_all(application, experts, points=("18", "17", "16", "15", "14")):
    form = application.scheme.expert_form["items"]
    for expert in experts:
        scores = {
            item["key"]: min(Decimal(points[i % len(points)]), Decimal(str(item["max_score"])))
            for i, item in enumerate(form)
        }
        review_services.expert_review_submit(
            actor=expert, application=application, scores=scores, comment="符合条件"
        )


# --- report and submission -----------------------------------------------------------------------


def test_a_filled_draft_submits_and_the_district_is_told(
    clock, provider_user, provider_org, district_officer, django_capture_on_commit_callbacks
):
    clock.pin(BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(provider_user, provider_org)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.revisions.count() == 1
    assert application.declaration_name == provider_org.legal_representative
    assert Notification.objects.filter(recipient=district_officer).exists()
    assert AuditLog.objects.filter(
        action="certification_application.submit", object_id=str(application.pk)
    ).exists()


def test_submission_lists_every_unmet_numeric_condition(clock, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    # 万州区 is in 两翼: assets 49.99万 and 9 staff miss the wing thresholds (50万, 10 people).
    application = filled_draft(
        provider_user,
        provider_org,
        year_overrides={"assets_wan": "49.99", "staff_total": 9, "staff_qualified": 8},
    )
    with pytest.raises(InvalidInput) as refused:
        application_services.application_submit(
            actor=provider_user,
            application=application,
            declaration_name=application.legal_representative,
            declaration_date=BEFORE_DEADLINE,
            declared=True,
        )
    unmet = {k for k in refused.value.field_errors if k.startswith("criteria.")}
    assert unmet == {"criteria.total_assets", "criteria.staff"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.revisions.count() == 0


def test_submission_needs_the_declaration_by_the_legal_representative(clock, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org)
    with pytest.raises(InvalidInput) as refused:
        application_services.application_submit(
            actor=provider_user,
            application=application,
            declaration_name="并非法定代表人",
            declaration_date=None,
            declared=False,
        )
    assert {"declared", "declaration_name", "declaration_date"} <= set(refused.value.field_errors)


def test_submission_names_missing_materials(clock, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org, materials=False)
    problems = application_selectors.submission_problems(application, BEFORE_DEADLINE)
    required_uploads = [
        m["key"] for m in application.scheme.materials if m["provided_by"] == "upload" and m["required"]
    ]
    assert {f"materials.{k}" for k in required_uploads} <= set(problems)
    assert "materials.other_evidence" not in problems  # （九） is optional


def test_a_stale_edit_is_refused_and_changes_nothing(clock, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org)
    stale_version = application.version - 1
    with pytest.raises(Conflict):
        application_services.application_update(
            actor=provider_user,
            application=application,
            expected_version=stale_version,
            report={**application_selectors.snapshot(application), "platform_name": "改名"},
            years=[],
            categories=["market"],
        )
    application.refresh_from_db()
    assert application.platform_name != "改名"


def test_bad_year_figures_are_named(clock, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org)
    year = application.years.first().year
    with pytest.raises(InvalidInput) as refused:
        application_services.application_update(
            actor=provider_user,
            application=application,
            expected_version=application.version,
            report=application_selectors.snapshot(application),
            years=[
                {
                    "year": year,
                    "staff_total": 5,
                    "staff_qualified": 9,
                    "satisfaction_percent": "120",
                    "assets_wan": "-1",
                }
            ],
            categories=["market"],
        )
    errors = refused.value.field_errors
    assert f"years.{year}.staff_qualified" in errors
    assert f"years.{year}.satisfaction_percent" in errors
    assert f"years.{year}.assets_wan" in errors


def test_someone_elses_application_cannot_be_edited(clock, provider_user, provider_org, enterprise_owner):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org)
    with pytest.raises(NotAllowed):
        application_services.application_update(
            actor=enterprise_owner,
            application=application,
            expected_version=application.version,
            report={},
            years=[],
            categories=[],
        )


# --- materials -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("report.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64, "不是 PDF"),
        ("empty.pdf", b"", "文件为空"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    clock, provider_user, provider_org, name, content, words
):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org, materials=False)
    with pytest.raises(InvalidInput) as refused:
        application_services.material_upload(
            actor=provider_user,
            application=application,
            slot="business_license",
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        )
    assert words in refused.value.message
    assert not Material.objects.filter(application=application).exists()


def test_an_oversize_upload_is_refused(clock, settings, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    settings.UPLOAD_MAX_BYTES = 1024
    application = filled_draft(provider_user, provider_org, materials=False)
    with pytest.raises(InvalidInput) as refused:
        application_services.material_upload(
            actor=provider_user,
            application=application,
            slot="business_license",
            upload=SimpleUploadedFile("big.pdf", TINY_PDF + b"0" * 2048),
        )
    assert "上限" in refused.value.message
    assert not Material.objects.exists()


def test_a_replaced_file_keeps_its_earlier_version_and_a_safe_label(clock, provider_user, provider_org):
    clock.pin(BEFORE_DEADLINE)
    application = filled_draft(provider_user, provider_org, materials=False)
    first = application_services.material_upload(
        actor=provider_user,
        application=application,
        slot="business_license",
        upload=SimpleUploadedFile("../../etc/执照.pdf", TINY_PDF),
    )
    second = application_services.material_upload(
        actor=provider_user,
        application=application,
        slot="business_license",
        upload=SimpleUploadedFile("执照-新.pdf", TINY_PDF + b"% v2\n"),
    )
    first.refresh_from_db()
    assert first.label == "执照.pdf"
    assert "/" not in first.label and ".." not in first.file.name
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    import hashlib

    assert second.sha256 == hashlib.sha256(TINY_PDF + b"% v2\n").hexdigest()
    assert first.file.read() == TINY_PDF  # the earlier file is still there


# --- district ----------------------------------------------------------------------------------------


def test_a_return_reopens_editing_and_the_resubmission_is_diffed(
    clock, provider_user, provider_org, district_officer
):
    clock.pin(BEFORE_DEADLINE)
    application = submitted(provider_user, provider_org)
    application, _ = application_services.application_district_decide(
        actor=district_officer, application=application, action="district_return", note="请补充服务协议名单"
    )
    assert application.status == ApplicationStatus.RETURNED and application.editable
    application_services.application_update(
        actor=provider_user,
        application=application,
        expected_version=application.version,
        report={**application_selectors.snapshot(application), "description": "补充：签约企业名单见附件"},
        years=[
            {"year": y.year, **{n: getattr(y, n) for n in y.FIGURE_FIELDS}} for y in application.years.all()
        ],
        categories=application.categories,
    )
    application.refresh_from_db()
    application = application_services.application_submit(
        actor=provider_user,
        application=application,
        declaration_name=application.legal_representative,
        declaration_date=BEFORE_DEADLINE,
        declared=True,
    )
    first, second = application.revisions.order_by("number")
    assert first.snapshot["description"] != second.snapshot["description"]
    assert second.snapshot["description"] == "补充：签约企业名单见附件"


def test_a_return_needs_a_reason(clock, provider_user, provider_org, district_officer):
    clock.pin(BEFORE_DEADLINE)
    application = submitted(provider_user, provider_org)
    with pytest.raises(InvalidInput):
        application_services.application_district_decide(
            actor=district_officer, application=application, action="district_reject", note=" "
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_another_districts_officer_cannot_decide(clock, provider_user, provider_org, other_district_officer):
    clock.pin(BEFORE_DEADLINE)
    application = submitted(provider_user, provider_org)
    with pytest.raises(NotAllowed):
        application_services.application_district_decide(
            actor=other_district_officer, application=application, action="recommend"
        )


def test_two_officers_deciding_at_once_one_wins(clock, provider_user, provider_org, district_officer):
    clock.pin(BEFORE_DEADLINE)
    from sme.testing.factories import officer

    colleague = officer("district_officer", district_officer.jurisdiction, username="officer_wz2")
    application = submitted(provider_user, provider_org)
    seen_by_colleague = Application.objects.get(pk=application.pk)  # both opened the page at once
    application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    with pytest.raises(Conflict) as lost:
        application_services.application_district_decide(
            actor=colleague, application=seen_by_colleague, action="district_reject", note="材料不全"
        )
    assert "已被他人处理" in lost.value.message
    decisions = TransitionLog.objects.filter(
        workflow="certification_application", object_id=str(application.pk)
    )
    assert list(decisions.exclude(action="submit").values_list("action", flat=True)) == ["recommend"]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RECOMMENDED


def test_recommending_after_the_deadline_joins_next_years_round(
    clock, provider_user, provider_org, district_officer, city_officer, experts
):
    clock.pin(dt.date(2026, 3, 2))  # after 2026-02-28
    application = submitted(provider_user, provider_org)
    application, message = application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    assert application.round_year == 2027
    assert "2027" in message and "2026年2月28日" in message
    with pytest.raises(NotAllowed) as waits:
        review_services.application_assign_experts(
            actor=city_officer, application=application, experts=experts[:3]
        )
    assert "2027" in waits.value.message
    clock.pin(dt.date(2027, 1, 4))
    application = review_services.application_assign_experts(
        actor=city_officer, application=application, experts=experts[:3]
    )
    assert application.status == ApplicationStatus.CITY_REVIEW


def test_the_deadline_is_the_end_of_february_in_a_leap_year(db):
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    assert scheme.district_deadline(2028) == dt.date(2028, 2, 29)
    assert scheme.review_round(dt.date(2028, 2, 29)) == 2028
    assert scheme.review_round(dt.date(2028, 3, 1)) == 2029


# --- city and experts ------------------------------------------------------------------------------


def test_fewer_than_three_experts_is_refused(recommended, city_officer, experts):
    with pytest.raises(InvalidInput) as refused:
        review_services.application_assign_experts(
            actor=city_officer, application=recommended, experts=experts[:2]
        )
    assert "至少" in refused.value.message
    assert not ExpertReview.objects.exists()


def test_an_expert_with_a_conflict_or_membership_is_refused(recommended, city_officer, experts, provider_org):
    review_services.expert_conflict_declare(
        actor=experts[0], organization=provider_org, reason="曾任该单位顾问"
    )
    from sme.organizations.models import Membership

    Membership.objects.create(organization=provider_org, user=experts[1], role="member", status="active")
    with pytest.raises(InvalidInput) as refused:
        review_services.application_assign_experts(
            actor=city_officer, application=recommended, experts=experts
        )
    text = " ".join(refused.value.field_errors["experts"])
    assert "曾任该单位顾问" in text and "成员" in text
    assert not ExpertReview.objects.exists()


def test_scores_are_checked_against_the_form_and_final(recommended, city_officer, experts):
    application = review_services.application_assign_experts(
        actor=city_officer, application=recommended, experts=experts[:3]
    )
    item = application.scheme.expert_form["items"][0]
    too_many = {i["key"]: "1" for i in application.scheme.expert_form["items"]}
    too_many[item["key"]] = str(item["max_score"] + 1)
    with pytest.raises(InvalidInput) as refused:
        review_services.expert_review_submit(actor=experts[0], application=application, scores=too_many)
    assert f"scores.{item['key']}" in refused.value.field_errors
    ok = {i["key"]: "1" for i in application.scheme.expert_form["items"]}
    review = review_services.expert_review_submit(actor=experts[0], application=application, scores=ok)
    assert review.total == len(ok)
    with pytest.raises(Conflict):
        review_services.expert_review_submit(actor=experts[0], application=application, scores=ok)
    with pytest.raises(NotAllowed):
        review_services.expert_review_submit(actor=experts[3], application=application, scores=ok)


def test_the_notice_waits_for_every_score(recommended, city_officer, experts):
    application = review_services.application_assign_experts(
        actor=city_officer, application=recommended, experts=experts[:3]
    )
    _score_all(application, experts[:2])
    with pytest.raises(NotAllowed):
        review_services.application_city_decide(
            actor=city_officer, application=application, action="approve_notice"
        )
    _score_all(application, experts[2:3])
    application = review_services.application_city_decide(
        actor=city_officer, application=application, action="approve_notice"
    )
    assert application.status == ApplicationStatus.NOTICE
    notice = application.notices.get()
    assert notice.workdays == 7 and notice.starts_on > notice.published_on  # day one: the next working day


# --- notice dates on the working-day calendar --------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "day_one_is_publication", "start", "end"),
    [
        # National Day 2024: 10-01..10-07 off; Sunday 09-29 and Saturday 10-12 are 调休 working days.
        (dt.date(2024, 9, 27), False, dt.date(2024, 9, 29), dt.date(2024, 10, 12)),
        (dt.date(2024, 9, 27), True, dt.date(2024, 9, 27), dt.date(2024, 10, 11)),
        # Spring Festival 2025: 01-28..02-04 off; Sunday 01-26 and Saturday 02-08 are working days.
        (dt.date(2025, 1, 24), False, dt.date(2025, 1, 26), dt.date(2025, 2, 10)),
        # Published on a Saturday rest day with day one = publication day: counting starts Monday.
        (dt.date(2025, 3, 8), True, dt.date(2025, 3, 10), dt.date(2025, 3, 18)),
    ],
)
def test_notice_dates(db, published, day_one_is_publication, start, end):
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    scheme.notice_day_one_is_publication_day = day_one_is_publication
    assert notice_selectors.notice_dates(scheme, published) == (start, end)


def test_a_notice_into_an_uncovered_year_is_refused_clearly(recommended, city_officer, experts, monkeypatch):
    from sme.workdays.calendar import library_years

    last = library_years()[1]
    application = review_services.application_assign_experts(
        actor=city_officer, application=recommended, experts=experts[:3]
    )
    _score_all(application, experts[:3])
    with pytest.raises(CalendarNotCovered):
        notice_selectors.notice_dates(application.scheme, dt.date(last, 12, 28))
    with pytest.raises(InvalidInput) as refused:
        review_services.application_city_decide(
            actor=city_officer,
            application=application,
            action="approve_notice",
            published_on=dt.date(last, 12, 28),
        )
    assert str(last + 1) in refused.value.message
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CITY_REVIEW
    assert not Notice.objects.exists()


# --- objections and the title -----------------------------------------------------------------------


@pytest.fixture
def on_notice(recommended, city_officer, experts):
    application = review_services.application_assign_experts(
        actor=city_officer, application=recommended, experts=experts[:3]
    )
    _score_all(application, experts[:3])
    return review_services.application_city_decide(
        actor=city_officer, application=application, action="approve_notice"
    )


def test_the_title_is_granted_after_the_notice_with_a_number(on_notice, clock):
    notice = on_notice.notices.get()
    clock.pin(notice.ends_on)
    with pytest.raises(NotAllowed):
        title_services.application_grant(actor=None, application=on_notice)
    clock.pin(notice.ends_on + dt.timedelta(days=1))
    counts = daily.close_due_notices()
    assert counts == {"granted": 1, "waiting": 0}
    certification = Certification.objects.get(application=on_notice)
    assert certification.number == f"渝中小企信平〔{certification.granted_on.year}〕001号"
    assert certification.valid_until == dt.date(
        certification.granted_on.year + 3, certification.granted_on.month, certification.granted_on.day
    ) - dt.timedelta(days=1)
    assert certification.zone_key  # 万州区: a wing of 两翼
    assert Application.objects.get(pk=on_notice.pk).status == ApplicationStatus.CERTIFIED
    clock.pin(notice.ends_on + dt.timedelta(days=2))
    assert daily.close_due_notices() == {"granted": 0, "waiting": 0}


def test_an_open_objection_holds_the_title_and_upheld_sends_it_back(on_notice, city_officer, clock):
    notice = on_notice.notices.get()
    clock.pin(notice.starts_on)
    objection = notice_services.objection_file(
        notice=notice, name="某企业", contact="13800000000", text="该平台服务企业数量与实际不符，请核实。"
    )
    clock.pin(notice.ends_on + dt.timedelta(days=1))
    assert daily.close_due_notices() == {"granted": 0, "waiting": 1}
    notice_services.objection_resolve(
        actor=city_officer, objection=objection, uphold=True, resolution="经核实，服务数据有误"
    )
    application = Application.objects.get(pk=on_notice.pk)
    assert application.status == ApplicationStatus.CITY_REVIEW
    notice.refresh_from_db()
    assert notice.outcome == "withdrawn" and notice.closed_at
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    with pytest.raises(Conflict):
        notice_services.objection_resolve(
            actor=city_officer, objection=objection, uphold=False, resolution="重复处理"
        )


def test_a_dismissed_objection_lets_the_notice_run_on(on_notice, city_officer, clock):
    notice = on_notice.notices.get()
    clock.pin(notice.ends_on)
    objection = notice_services.objection_file(
        notice=notice, name="匿名群众", contact="a@example.com", text="我认为该平台规模不够大，不应认定。"
    )
    notice_services.objection_resolve(
        actor=city_officer, objection=objection, uphold=False, resolution="经核实，各项数据属实"
    )
    clock.pin(notice.ends_on + dt.timedelta(days=1))
    assert daily.close_due_notices()["granted"] == 1


def test_objections_outside_the_notice_are_refused(on_notice, clock):
    notice = on_notice.notices.get()
    clock.pin(notice.ends_on + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as refused:
        notice_services.objection_file(
            notice=notice, name="张三", contact="13800000000", text="我对该平台的服务质量有意见。"
        )
    assert "已于" in refused.value.message
    with pytest.raises(InvalidInput) as bad:
        notice_services.objection_file(notice=notice, name="", contact="", text="短")
    assert set(bad.value.field_errors) == {"name", "contact", "text"}


def test_only_the_deciding_authority_resolves_objections(on_notice, district_officer, clock):
    notice = on_notice.notices.get()
    clock.pin(notice.starts_on)
    objection = notice_services.objection_file(
        notice=notice, name="张三", contact="13800000000", text="我对该平台的服务质量有意见。"
    )
    with pytest.raises(NotAllowed):
        notice_services.objection_resolve(
            actor=district_officer, objection=objection, uphold=True, resolution="x"
        )


# --- schemes -------------------------------------------------------------------------------------------


def test_a_scheme_copied_into_a_district_one_and_revised_keeps_old_decisions(
    admin_user, wanzhou, recommended
):
    source = Scheme.objects.current().get(code="cq-2013-city")
    copy = scheme_services.scheme_copy_as_district(
        actor=admin_user,
        scheme=source,
        code="wanzhou-2026",
        name="万州区中小企业信息化服务平台认定办法",
        title="万州区中小企业信息化服务平台",
        district=wanzhou,
        issuing_authority="万州区经济和信息化委员会",
    )
    assert (copy.level, copy.region, copy.version, copy.copied_from) == ("district", wanzhou, 1, source)
    assert copy.categories == source.categories and copy.materials == source.materials
    revised = scheme_services.scheme_revise(actor=admin_user, scheme=copy, values={"notice_workdays": 5})
    copy.refresh_from_db()
    assert (revised.version, revised.is_current, copy.is_current, copy.notice_workdays) == (2, True, False, 7)
    # The application made under the city scheme still points at the version it applied.
    assert recommended.scheme_id == source.pk
    with pytest.raises(Conflict):
        scheme_services.scheme_revise(actor=admin_user, scheme=copy, values={"notice_workdays": 3})
    with pytest.raises(InvalidInput):
        scheme_services.scheme_revise(
            actor=admin_user, scheme=revised, values={"certificate_number_pattern": "{nope}"}
        )


def test_only_administrators_change_schemes(district_officer, wanzhou):
    source = Scheme.objects.current().get(code="cq-2013-city")
    with pytest.raises(NotAllowed):
        scheme_services.scheme_revise(actor=district_officer, scheme=source, values={"notice_workdays": 5})


def test_an_unreadable_extra_figure_is_left_out_not_a_crash():
    found = figures.figures_from_values(
        None, [], {"service_institutions": "六家", "free_or_low_fee_share": "0.3"}, dt.date(2026, 2, 10)
    )
    assert found == {"free_or_low_fee_share": Decimal("0.3")}


def test_audit_rows_say_what_their_record_is(on_notice, city_officer, clock):
    notice = on_notice.notices.get()
    clock.pin(notice.starts_on)
    objection = notice_services.objection_file(
        notice=notice, name="张三", contact="13800000000", text="我对该平台的服务质量有意见。"
    )
    labels = dict(
        AuditLog.objects.filter(object_type__startswith="certification.").values_list(
            "object_type", "object_label"
        )
    )
    assert {"certification.application", "certification.notice", "certification.objection"} <= set(labels)
    assert not [label for label in labels.values() if "object (" in label], labels
    assert labels["certification.notice"].startswith(f"认定公示 #{notice.pk}")
    assert labels["certification.objection"] == f"公示 #{notice.pk} 的异议 #{objection.pk}"
