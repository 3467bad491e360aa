"""The application and objection state machines, walked for every (status, action, role).

The expected table is written out here from the issue's workflow, independently of workflow.py, so a
change to the table that the issue does not allow makes this test fail.
"""

import itertools

import pytest

from sme.certification.models import ApplicationStatus as S
from sme.certification.models import ObjectionStatus as O
from sme.certification.workflow import (
    APPLICANT,
    APPLICATION,
    CITY_REVIEWER,
    DISTRICT_REVIEWER,
    OBJECTION,
    PUBLIC,
    SYSTEM,
)
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.workflow import START

# (action, from status) -> (to status, roles allowed)
EXPECTED = {
    ("submit", S.DRAFT): (S.SUBMITTED, {APPLICANT}),
    ("resubmit", S.RETURNED): (S.SUBMITTED, {APPLICANT}),
    ("withdraw", S.DRAFT): (S.WITHDRAWN, {APPLICANT}),
    ("withdraw", S.SUBMITTED): (S.WITHDRAWN, {APPLICANT}),
    ("withdraw", S.RETURNED): (S.WITHDRAWN, {APPLICANT}),
    ("district_return", S.SUBMITTED): (S.RETURNED, {DISTRICT_REVIEWER}),
    ("district_reject", S.SUBMITTED): (S.REJECTED, {DISTRICT_REVIEWER}),
    ("recommend", S.SUBMITTED): (S.RECOMMENDED, {DISTRICT_REVIEWER}),
    ("assign_experts", S.RECOMMENDED): (S.CITY_REVIEW, {CITY_REVIEWER}),
    ("city_return", S.RECOMMENDED): (S.RETURNED, {CITY_REVIEWER}),
    ("city_return", S.CITY_REVIEW): (S.RETURNED, {CITY_REVIEWER}),
    ("city_reject", S.RECOMMENDED): (S.REJECTED, {CITY_REVIEWER}),
    ("city_reject", S.CITY_REVIEW): (S.REJECTED, {CITY_REVIEWER}),
    ("approve_notice", S.CITY_REVIEW): (S.NOTICE, {CITY_REVIEWER}),
    ("uphold_objection", S.NOTICE): (S.CITY_REVIEW, {CITY_REVIEWER}),
    ("grant", S.NOTICE): (S.CERTIFIED, {CITY_REVIEWER, SYSTEM}),
}
NOTE_REQUIRED = {"district_return", "district_reject", "city_return", "city_reject", "uphold_objection"}
ACTIONS = sorted({action for action, _status in EXPECTED})
ROLES = [APPLICANT, DISTRICT_REVIEWER, CITY_REVIEWER, SYSTEM, "nobody"]


@pytest.mark.parametrize(("status", "action", "role"), list(itertools.product(S.values, ACTIONS, ROLES)))
def test_every_status_action_role(status, action, role):
    expected = EXPECTED.get((action, status))
    if expected is not None and role in expected[1]:
        transition = APPLICATION.check(action, status, {role})
        assert transition.target == expected[0]
        assert transition.note_required == (action in NOTE_REQUIRED)
        return
    with pytest.raises((Conflict, NotAllowed)) as refused:
        APPLICATION.check(action, status, {role})
    message = refused.value.message
    if expected is None:
        assert isinstance(refused.value, Conflict)
        assert "当前状态为" in message  # says the status it is in, so the user knows why
    else:
        assert isinstance(refused.value, NotAllowed)
        assert "无权" in message


def test_the_table_has_nothing_the_issue_does_not_name():
    actual = {(t.action, s): (t.target, set(t.roles)) for t in APPLICATION.transitions for s in t.sources}
    assert actual == EXPECTED


def test_an_unknown_action_is_refused():
    with pytest.raises(InvalidInput):
        APPLICATION.check("approve_everything", S.SUBMITTED, {CITY_REVIEWER})


# --- objections to a public notice ----------------------------------------------------------------

# (action, from status) -> (to status, roles allowed, reason required). Written out, not derived.
OBJECTION_EXPECTED = {
    ("file", START): (O.OPEN, {PUBLIC}, False),
    ("uphold", O.OPEN): (O.UPHELD, {CITY_REVIEWER}, True),
    ("dismiss", O.OPEN): (O.DISMISSED, {CITY_REVIEWER}, True),
}


def test_the_objection_table_is_the_one_written_here():
    actual = {
        (t.action, s): (t.target, set(t.roles), t.note_required)
        for t in OBJECTION.transitions
        for s in t.sources
    }
    assert actual == OBJECTION_EXPECTED


@pytest.mark.parametrize(
    ("status", "action", "role"),
    list(itertools.product([START, *O.values], ["file", "uphold", "dismiss"], [*ROLES, PUBLIC])),
)
def test_every_objection_status_action_role(status, action, role):
    expected = OBJECTION_EXPECTED.get((action, status))
    if expected is not None and role in expected[1]:
        assert OBJECTION.check(action, status, {role}).target == expected[0]
        return
    with pytest.raises(Conflict if expected is None else NotAllowed):
        OBJECTION.check(action, status, {role})


def test_the_rules_that_read_the_database_are_the_rows_guards():
    guarded = {t.action for t in APPLICATION.transitions if t.guard is not None}
    assert guarded == {"submit", "resubmit", "approve_notice", "grant"}
    assert {t.action for t in OBJECTION.transitions if t.guard is not None} == {"file"}
