"""The assessment's date rules read the platform clock (``sme.core.clock``): the questionnaires in
use, the level rule a submission is graded by, the latest date of an on-site evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from sme.assessment import services
from sme.assessment.selectors import instrument_for, questionnaire_for, questionnaires_in_force
from sme.assessment.tests.factories import highest_answers, questionnaire
from sme.assessment.tests.test_services import fill_all
from sme.core.errors import InvalidInput
from sme.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_the_questionnaires_in_use_are_those_of_the_clocks_day(clock):
    clock.pin(dt.date(2024, 6, 1))  # the MIIT questionnaire took effect on 2024-09-04
    assert [q.code for q in questionnaires_in_force()] == ["eu-jrc-dma-sme"]
    assert questionnaire_for("miit-manufacturing") is None
    clock.pin(dt.date(2024, 9, 4))
    assert {q.code for q in questionnaires_in_force()} == {"eu-jrc-dma-sme", "miit-manufacturing"}


def test_a_questionnaire_not_yet_in_use_cannot_be_started(clock, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    clock.pin(dt.date(2024, 6, 1))
    with pytest.raises(InvalidInput):
        services.response_start(actor=enterprise_owner, organization=org, questionnaire=questionnaire())


def test_submission_and_on_site_dates_follow_the_clock(clock, enterprise_owner, district_officer, yuzhong):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    miit = questionnaire()
    instrument = instrument_for(miit)
    clock.pin(dt.date(2030, 5, 6))
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=miit)
    draft = fill_all(enterprise_owner, draft, highest_answers(instrument), instrument)
    submitted = services.response_submit(actor=enterprise_owner, response=draft, pledge=True)
    assert submitted.submitted_at.date() == dt.date(2030, 5, 6)
    assert submitted.level_rule_key == "miit-2022-bands"
    officer = district_officer.__class__.objects.create(
        username="yz_officer_clock", role="district_officer", jurisdiction=yuzhong
    )
    with pytest.raises(InvalidInput) as exc:
        services.verified_score_record(
            actor=officer, response=submitted, total=80, evaluated_on=dt.date(2030, 5, 7), note="现场核查"
        )
    assert "evaluated_on" in exc.value.field_errors
    clock.advance(days=1)
    verified = services.verified_score_record(
        actor=officer, response=submitted, total=80, evaluated_on=dt.date(2030, 5, 7), note="现场核查"
    )
    assert verified.evaluated_on == dt.date(2030, 5, 7)
