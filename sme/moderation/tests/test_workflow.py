"""The report table walked for every (status, action, role) against a table written out here."""

import pytest

from sme.core.errors import Conflict, NotAllowed
from sme.moderation.workflow import OFFICER, REPORT, REPORTER

ROLES = ("reporter", "officer")
STATUSES = ("created", "open", "hidden", "dismissed")
ACTIONS = ("file", "hide", "dismiss")

# (action, status, role) -> (target, note required)
EXPECTED = {
    ("file", "created", "reporter"): ("open", False),
    ("hide", "open", "officer"): ("hidden", True),
    ("dismiss", "open", "officer"): ("dismissed", False),
}


def test_role_names_are_the_ones_written_here():
    assert (REPORTER, OFFICER) == ROLES


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_report_table(action, status, role):
    expected = EXPECTED.get((action, status, role))
    if expected is not None:
        row = REPORT.check(action, status, [role])
        assert (row.target, row.note_required) == expected
        return
    movable_by_someone = any(key[:2] == (action, status) for key in EXPECTED)
    with pytest.raises(NotAllowed if movable_by_someone else Conflict):
        REPORT.check(action, status, [role])


def test_the_table_holds_exactly_the_rows_written_here():
    rows = {
        (t.action, source, role): (t.target, t.note_required)
        for t in REPORT.transitions
        for source in t.sources
        for role in t.roles
    }
    assert rows == EXPECTED
    assert REPORT.creation_actions == {"file"}
