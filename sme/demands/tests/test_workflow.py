"""The state machine tables, walked for every (status, action, role)."""

from __future__ import annotations

import pytest

from sme.core.errors import Conflict, NotAllowed
from sme.demands.workflow import DEMAND, DEMAND_OWNER, PROPOSAL, PROPOSER, SYSTEM

ROLES = (DEMAND_OWNER, PROPOSER, SYSTEM)

# (status, action) -> (target, roles allowed); every other pair must be refused.
DEMAND_EXPECTED = {
    ("open", "award"): ("awarded", {DEMAND_OWNER}),
    ("open", "close"): ("closed", {DEMAND_OWNER, SYSTEM}),
    ("open", "withdraw"): ("withdrawn", {DEMAND_OWNER}),
}
PROPOSAL_EXPECTED = {
    ("submitted", "accept"): ("accepted", {DEMAND_OWNER}),
    ("submitted", "not_select"): ("not_selected", {DEMAND_OWNER, SYSTEM}),
    ("submitted", "withdraw"): ("withdrawn", {PROPOSER}),
}


def _cases(workflow, expected):
    actions = sorted({t.action for t in workflow.transitions})
    for status in workflow.status_labels:
        for action in actions:
            for role in ROLES:
                yield workflow, expected, status, action, role


@pytest.mark.parametrize(
    ("workflow", "expected", "status", "action", "role"),
    [*_cases(DEMAND, DEMAND_EXPECTED), *_cases(PROPOSAL, PROPOSAL_EXPECTED)],
)
def test_every_status_action_role(workflow, expected, status, action, role):
    rule = expected.get((status, action))
    if rule is None:
        with pytest.raises(Conflict):
            workflow.check(action, status, {role})
    elif role in rule[1]:
        assert workflow.check(action, status, {role}).target == rule[0]
    else:
        with pytest.raises(NotAllowed):
            workflow.check(action, status, {role})


def test_final_statuses_have_no_way_out():
    for status in ("closed", "awarded", "withdrawn"):
        assert DEMAND.actions_from(status) == []
    for status in ("accepted", "not_selected", "withdrawn"):
        assert PROPOSAL.actions_from(status) == []
