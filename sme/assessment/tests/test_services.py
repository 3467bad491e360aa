"""Writes: start and resume a draft, save pages, submit with the pledge, delete a draft, record an
on-site score. Every refusal changes nothing; every state change leaves an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sme.assessment import selectors, services
from sme.assessment.models import AssessmentResponse, VerifiedScore
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import highest_answers, lowest_answers, questionnaire
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory


@pytest.fixture
def org(enterprise_owner):
    return Organization.objects.get(memberships__user=enterprise_owner)


@pytest.fixture
def miit(db):
    return questionnaire()


@pytest.fixture
def instrument(miit):
    return instrument_for(miit)


def fill_all(actor, response, answers, instrument):
    for dimension in instrument.dimensions:
        keys = [i.key for i in dimension.items]
        response = services.response_save_draft(
            actor=actor,
            response=response,
            answers={k: answers[k] for k in keys if k in answers},
            item_keys=keys,
            expected_version=response.version,
        )
    return response


def test_start_creates_one_draft_and_resumes_it(enterprise_owner, org, miit):
    first = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    again = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    assert first.pk == again.pk and first.is_draft
    assert (first.questionnaire_code, first.questionnaire_version) == ("miit-manufacturing", "2024")
    assert AuditLog.objects.filter(action="assessment_response.start", object_id=str(first.pk)).count() == 1


@pytest.mark.parametrize("who", ["provider_user", "district_officer", "city_officer", "expert", "admin_user"])
def test_only_enterprise_members_start(request, who, org, miit):
    with pytest.raises(NotAllowed):
        services.response_start(actor=request.getfixturevalue(who), organization=org, questionnaire=miit)
    assert not AssessmentResponse.objects.exists()


def test_another_enterprise_user_cannot_start_for_someone_elses_enterprise(org, miit, yuzhong):
    stranger = UserFactory(username="stranger", role="enterprise")
    OrganizationFactory(district=yuzhong, owner=stranger, verified=True)
    with pytest.raises(NotAllowed):
        services.response_start(actor=stranger, organization=org, questionnaire=miit)


def test_plain_member_may_take_it_but_a_pending_member_may_not(org, miit):
    member = UserFactory(username="member1", role="enterprise")
    pending = UserFactory(username="pending1", role="enterprise")
    Membership.objects.create(organization=org, user=member, role="member", status="active")
    Membership.objects.create(organization=org, user=pending, role="member", status="pending")
    assert services.response_start(actor=member, organization=org, questionnaire=miit).is_draft
    with pytest.raises(NotAllowed):
        services.response_start(actor=pending, organization=org, questionnaire=miit)


def test_draft_pages_save_and_replace_only_their_items(enterprise_owner, org, miit, instrument):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    page1 = [i.key for i in instrument.dimensions[0].items]
    draft = services.response_save_draft(
        actor=enterprise_owner,
        response=draft,
        answers={"network": ["office"], "equipment_digital_rate": {"numerator": "3", "denominator": "12"}},
        item_keys=page1,
        expected_version=draft.version,
    )
    assert draft.answers == {
        "network": ["office"],
        "equipment_digital_rate": {"numerator": 3, "denominator": 12},
    }
    page4 = [i.key for i in instrument.dimensions[3].items]
    draft = services.response_save_draft(
        actor=enterprise_owner,
        response=draft,
        answers={"green_trend": "better"},
        item_keys=page4,
        expected_version=draft.version,
    )
    # Saving page 1 again without the network answer clears it; page 4 is untouched.
    draft = services.response_save_draft(
        actor=enterprise_owner, response=draft, answers={}, item_keys=page1, expected_version=draft.version
    )
    assert draft.answers == {"green_trend": "better"}
    assert not AuditLog.objects.filter(action__contains="save").exists()  # draft saves are not audited


def test_bad_page_answers_are_refused_and_nothing_is_saved(enterprise_owner, org, miit, instrument):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    keys = [i.key for i in instrument.dimensions[0].items]
    with pytest.raises(InvalidInput) as exc:
        services.response_save_draft(
            actor=enterprise_owner,
            response=draft,
            answers={
                "network": ["none", "office"],
                "equipment_digital_rate": {"numerator": 5, "denominator": 0},
                "information_systems_coverage": "all",
            },
            item_keys=keys,
            expected_version=draft.version,
        )
    assert set(exc.value.field_errors) == {"network", "equipment_digital_rate"}
    draft.refresh_from_db()
    assert draft.answers == {} and draft.version == 1


def test_two_members_saving_the_same_version(enterprise_owner, org, miit, instrument):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    keys = [i.key for i in instrument.dimensions[0].items]
    stale = AssessmentResponse.objects.get(pk=draft.pk)
    services.response_save_draft(
        actor=enterprise_owner,
        response=draft,
        answers={"network": ["office"]},
        item_keys=keys,
        expected_version=1,
    )
    with pytest.raises(Conflict):
        services.response_save_draft(
            actor=enterprise_owner,
            response=stale,
            answers={"network": ["none"]},
            item_keys=keys,
            expected_version=1,
        )
    assert AssessmentResponse.objects.get(pk=draft.pk).answers == {"network": ["office"]}


def test_submit_needs_the_pledge(enterprise_owner, org, miit, instrument):
    draft = fill_all(
        enterprise_owner,
        services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit),
        highest_answers(instrument),
        instrument,
    )
    with pytest.raises(InvalidInput) as exc:
        services.response_submit(actor=enterprise_owner, response=draft, pledge=False)
    assert "真实性承诺" in exc.value.message and "pledge" in exc.value.field_errors
    draft.refresh_from_db()
    assert draft.is_draft and draft.total is None
    assert not TransitionLog.objects.exists()


def test_submit_needs_every_answer(enterprise_owner, org, miit, instrument):
    answers = highest_answers(instrument)
    del answers["talent"], answers["scenario_hr"]
    draft = fill_all(
        enterprise_owner,
        services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit),
        answers,
        instrument,
    )
    with pytest.raises(InvalidInput) as exc:
        services.response_submit(actor=enterprise_owner, response=draft, pledge=True)
    assert set(exc.value.field_errors) == {"talent", "scenario_hr"}
    assert "还有2题" in exc.value.message
    assert set(selectors.missing_items(draft)) == {"talent", "scenario_hr"}
    draft.refresh_from_db()
    assert draft.is_draft


def test_submit_scores_freezes_and_audits(enterprise_owner, org, miit, instrument):
    draft = fill_all(
        enterprise_owner,
        services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit),
        highest_answers(instrument),
        instrument,
    )
    done = services.response_submit(actor=enterprise_owner, response=draft, pledge=True)
    assert done.status == "submitted" and done.submitted_by == enterprise_owner
    assert (done.total, done.max_score, done.level_label, done.level_rule_key) == (
        Decimal(100),
        Decimal(100),
        "四级",
        "miit-2022-bands",
    )
    assert done.pledge_text == instrument.pledge and "如实填写" in done.pledge_text
    assert done.result["total"] == "100" and done.dimension_scores["foundation"] == 50
    assert done.is_latest and done.district_code == "500103"
    assert (done.size_class, done.size_group) == ("", None)  # no enterprise profile: left out of those peers
    log = TransitionLog.objects.get(object_id=str(done.pk))
    assert (log.from_status, log.to_status, log.actor) == ("draft", "submitted", enterprise_owner)
    assert AuditLog.objects.filter(action="assessment_response.submit", object_id=str(done.pk)).exists()
    # Immutable: no more saves, no second submission, no deletion.
    keys = [i.key for i in instrument.dimensions[0].items]
    with pytest.raises(Conflict):
        services.response_save_draft(
            actor=enterprise_owner, response=done, answers={}, item_keys=keys, expected_version=done.version
        )
    with pytest.raises(Conflict):
        services.response_submit(actor=enterprise_owner, response=done, pledge=True)
    with pytest.raises(Conflict):
        services.response_delete_draft(actor=enterprise_owner, response=done)
    done.refresh_from_db()
    assert done.answers == highest_answers(instrument) and done.total == 100


def test_reassessment_is_a_new_response_and_keeps_the_earlier_one(enterprise_owner, org, miit, instrument):
    def take(answers):
        draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
        return services.response_submit(
            actor=enterprise_owner,
            response=fill_all(enterprise_owner, draft, answers, instrument),
            pledge=True,
        )

    t0 = take(lowest_answers(instrument))
    t1 = take(highest_answers(instrument))
    assert t0.pk != t1.pk
    t0.refresh_from_db()
    assert (t0.total, t0.is_latest) == (0, False)
    assert (t1.total, t1.is_latest) == (100, True)


def test_delete_draft_is_audited(enterprise_owner, org, miit):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    services.response_delete_draft(actor=enterprise_owner, response=draft)
    assert not AssessmentResponse.objects.filter(pk=draft.pk).exists()
    row = AuditLog.objects.get(action="assessment_response.delete")
    assert row.object_id == str(draft.pk) and row.actor == enterprise_owner


def test_delete_draft_of_another_enterprise_is_refused(enterprise_owner, org, miit, provider_user):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    with pytest.raises(NotAllowed):
        services.response_delete_draft(actor=provider_user, response=draft)
    assert AssessmentResponse.objects.filter(pk=draft.pk).exists()


# --- on-site evaluation --------------------------------------------------------------------------------


@pytest.fixture
def submitted(enterprise_owner, org, miit, instrument):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    answers = highest_answers(instrument)
    return services.response_submit(
        actor=enterprise_owner, response=fill_all(enterprise_owner, draft, answers, instrument), pledge=True
    )


def test_officer_of_the_district_records_an_on_site_score(
    submitted, other_district_officer, enterprise_owner, django_capture_on_commit_callbacks
):
    from sme.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        verified = services.verified_score_record(
            actor=other_district_officer,  # 渝中区's officer: the enterprise is in 渝中区
            response=submitted,
            total="58.5",
            evaluated_on=timezone.localdate(),
            note="设备联网率现场核实为 35%，数据安全只落实了备份。",
        )
    assert (verified.total, verified.level_label, verified.level_rule_key) == (
        Decimal("58.5"),
        "二级",
        "miit-2022-bands",
    )
    submitted.refresh_from_db()
    assert submitted.total == 100 and submitted.level_label == "四级"  # the self-assessment is untouched
    row = AuditLog.objects.get(action="assessment_response.verified_score")
    assert row.actor == other_district_officer and "58.5" in row.summary
    assert Notification.objects.filter(recipient=enterprise_owner).exists()


def test_city_officer_may_record_too(submitted, city_officer):
    services.verified_score_record(
        actor=city_officer, response=submitted, total=70, evaluated_on=timezone.localdate(), note="抽查"
    )
    assert VerifiedScore.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["district_officer", "enterprise_owner", "provider_user", "expert", "admin_user"]
)
def test_others_may_not_record_an_on_site_score(request, submitted, who):
    # district_officer is 万州区's: the enterprise is in 渝中区
    with pytest.raises(NotAllowed):
        services.verified_score_record(
            actor=request.getfixturevalue(who),
            response=submitted,
            total=50,
            evaluated_on=timezone.localdate(),
            note="x",
        )
    assert not VerifiedScore.objects.exists()


@pytest.mark.parametrize(
    ("total", "on_offset", "note", "field"),
    [
        ("101", 0, "说明", "total"),
        ("-1", 0, "说明", "total"),
        ("abc", 0, "说明", "total"),
        ("50.1234", 0, "说明", "total"),
        ("50", 1, "说明", "evaluated_on"),
        ("50", -400, "说明", "evaluated_on"),
        ("50", 0, "  ", "note"),
    ],
)
def test_bad_on_site_scores_are_refused(submitted, other_district_officer, total, on_offset, note, field):
    with pytest.raises(InvalidInput) as exc:
        services.verified_score_record(
            actor=other_district_officer,
            response=submitted,
            total=total,
            evaluated_on=timezone.localdate() + dt.timedelta(days=on_offset),
            note=note,
        )
    assert field in exc.value.field_errors
    assert not VerifiedScore.objects.exists()
    assert not AuditLog.objects.filter(action="assessment_response.verified_score").exists()


def test_drafts_cannot_be_verified(enterprise_owner, org, miit, other_district_officer):
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    with pytest.raises(NotAllowed):
        services.verified_score_record(
            actor=other_district_officer, response=draft, total=1, evaluated_on=timezone.localdate(), note="x"
        )
