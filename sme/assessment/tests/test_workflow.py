"""The response state machine, walked for every (status, action, actor), and its documentation."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from sme.assessment import services
from sme.assessment.models import AssessmentResponse, ResponseStatus
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import ResponseFactory, highest_answers, questionnaire
from sme.assessment.workflow import ENTERPRISE_MEMBER, RESPONSE
from sme.core.errors import Conflict, NotAllowed
from sme.core.models import TransitionLog
from sme.organizations.models import Organization

ACTORS = [
    "member",
    "provider_user",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "admin_user",
]
ALLOWED = {("draft", "submit"): {"member"}}


def test_the_table_is_the_one_written_here():
    """One move only: a draft is submitted by a member of the enterprise; nothing leaves "submitted"."""
    rows = {(t.action, t.sources, t.target, t.roles) for t in RESPONSE.transitions}
    assert rows == {("submit", frozenset({"draft"}), "submitted", frozenset({ENTERPRISE_MEMBER}))}
    assert [s.value for s in ResponseStatus] == ["draft", "submitted"]


@pytest.mark.parametrize(("status", "actor"), list(itertools.product(["draft", "submitted"], ACTORS)))
def test_transition_table(request, enterprise_owner, status, actor):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    response = ResponseFactory(
        organization=org,
        answers=highest_answers(instrument_for(questionnaire())),
        **({"submitted": True} if status == "submitted" else {}),
    )
    user = enterprise_owner if actor == "member" else request.getfixturevalue(actor)
    if actor in ALLOWED.get((status, "submit"), set()):
        done = services.response_submit(actor=user, response=response, pledge=True)
        assert done.status == "submitted"
        assert TransitionLog.objects.get(object_id=str(done.pk)).to_status == "submitted"
    else:
        expected = NotAllowed if actor != "member" else Conflict
        with pytest.raises(expected):
            services.response_submit(actor=user, response=response, pledge=True)
        assert AssessmentResponse.objects.get(pk=response.pk).status == status
        assert not TransitionLog.objects.exists()


def test_every_table_row_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs/workflows/assessment-response.md").read_text()
    for t in RESPONSE.transitions:
        assert f"`{t.action}`" in doc, t.action
