"""The state machine tables, walked for every (status, action, role) against tables written out here.

The expectations do not come from the tables they test: a row added, dropped or widened in
``workflow.py`` fails here until this file says the same.
"""

from __future__ import annotations

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.demands.workflow import DEMAND, DEMAND_OWNER, PROPOSAL, PROPOSER, SYSTEM

ROLES = ("demand_owner", "proposer", "system")
DEMAND_STATUSES = ("created", "open", "closed", "awarded", "withdrawn")
PROPOSAL_STATUSES = ("created", "submitted", "accepted", "not_selected", "withdrawn")

# (status, action) -> (target, roles allowed, note required); every other pair must be refused.
DEMAND_EXPECTED = {
    ("created", "create"): ("open", {"demand_owner"}, False),
    ("open", "award"): ("awarded", {"demand_owner"}, False),
    ("open", "close"): ("closed", {"demand_owner", "system"}, False),
    ("open", "withdraw"): ("withdrawn", {"demand_owner"}, False),
}
PROPOSAL_EXPECTED = {
    ("created", "submit"): ("submitted", {"proposer"}, False),
    ("submitted", "accept"): ("accepted", {"demand_owner"}, False),
    ("submitted", "not_select"): ("not_selected", {"demand_owner", "system"}, False),
    ("submitted", "withdraw"): ("withdrawn", {"proposer"}, False),
}
DEMAND_ACTIONS = ("create", "award", "close", "withdraw")
PROPOSAL_ACTIONS = ("submit", "accept", "not_select", "withdraw")


def test_role_names_are_the_ones_written_here():
    assert (DEMAND_OWNER, PROPOSER, SYSTEM) == ROLES


def _cases(workflow, expected, statuses, actions):
    for status in statuses:
        for action in actions:
            for role in ROLES:
                yield workflow, expected, status, action, role


@pytest.mark.parametrize(
    ("workflow", "expected", "status", "action", "role"),
    [
        *_cases(DEMAND, DEMAND_EXPECTED, DEMAND_STATUSES, DEMAND_ACTIONS),
        *_cases(PROPOSAL, PROPOSAL_EXPECTED, PROPOSAL_STATUSES, PROPOSAL_ACTIONS),
    ],
)
def test_every_status_action_role(workflow, expected, status, action, role):
    rule = expected.get((status, action))
    if rule is None:
        with pytest.raises(Conflict):
            workflow.check(action, status, {role})
    elif role in rule[1]:
        row = workflow.check(action, status, {role})
        assert (row.target, row.note_required) == (rule[0], rule[2])
    else:
        with pytest.raises(NotAllowed):
            workflow.check(action, status, {role})


@pytest.mark.parametrize(
    ("workflow", "expected", "actions"),
    [(DEMAND, DEMAND_EXPECTED, DEMAND_ACTIONS), (PROPOSAL, PROPOSAL_EXPECTED, PROPOSAL_ACTIONS)],
)
def test_the_tables_hold_exactly_the_rows_written_here(workflow, expected, actions):
    rows = {
        (source, t.action): (t.target, set(t.roles), t.note_required)
        for t in workflow.transitions
        for source in t.sources
    }
    assert rows == expected
    assert sorted(t.action for t in workflow.transitions) == sorted(actions)


def test_unknown_actions_are_refused():
    with pytest.raises(InvalidInput):
        DEMAND.check("reopen", "closed", {"demand_owner"})


def test_creation_rows_and_guards():
    assert DEMAND.creation_actions == {"create"}
    assert PROPOSAL.creation_actions == {"submit"}
    guarded = {(w.name, t.action) for w in (DEMAND, PROPOSAL) for t in w.transitions if t.guard}
    assert guarded == {("demand", "award"), ("demand_proposal", "withdraw")}


def test_final_statuses_have_no_way_out():
    for status in ("closed", "awarded", "withdrawn"):
        assert DEMAND.actions_from(status) == []
    for status in ("accepted", "not_selected", "withdrawn"):
        assert PROPOSAL.actions_from(status) == []
