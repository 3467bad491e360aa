"""The ticket tables walked row by row against tables written out here: every (status, action, role)
either moves where this file says or is refused. Nothing below is derived from ``workflow.py``."""

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.tickets.workflow import CITY, FILER, HANDLER, HANDLING, SYSTEM, TICKET, reopen_once

ROLES = ("filer", "handler", "city", "system")
STATUSES = ("created", "filed", "acknowledged", "answered", "closed", "withdrawn")
ACTIONS = ("file", "acknowledge", "answer", "confirm", "close", "reopen", "withdraw")

# (action, status, role) -> (target, note required)
EXPECTED = {
    ("file", "created", "filer"): ("filed", False),
    ("acknowledge", "filed", "handler"): ("acknowledged", False),
    ("answer", "acknowledged", "handler"): ("answered", True),
    ("confirm", "answered", "filer"): ("closed", False),
    ("close", "answered", "handler"): ("closed", False),
    ("reopen", "answered", "filer"): ("acknowledged", True),
    ("withdraw", "filed", "filer"): ("withdrawn", False),
    ("withdraw", "acknowledged", "filer"): ("withdrawn", False),
}
LEVELS = ("district", "city")
HANDLING_EXPECTED = {
    ("escalate", "district", "system"): ("city", True),
    ("take_over", "district", "city"): ("city", False),
}


def test_role_names_are_the_ones_written_here():
    assert (FILER, HANDLER, CITY, SYSTEM) == ROLES


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_ticket_table(action, status, role):
    expected = EXPECTED.get((action, status, role))
    if expected is not None:
        row = TICKET.check(action, status, [role])
        assert (row.target, row.note_required) == expected
        return
    movable_by_someone = any(key[:2] == (action, status) for key in EXPECTED)
    with pytest.raises(NotAllowed if movable_by_someone else Conflict):
        TICKET.check(action, status, [role])


@pytest.mark.parametrize("action", ("escalate", "take_over"))
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_handling_table(action, level, role):
    expected = HANDLING_EXPECTED.get((action, level, role))
    if expected is not None:
        row = HANDLING.check(action, level, [role])
        assert (row.target, row.note_required) == expected
        return
    movable_by_someone = any(key[:2] == (action, level) for key in HANDLING_EXPECTED)
    with pytest.raises(NotAllowed if movable_by_someone else Conflict):
        HANDLING.check(action, level, [role])


@pytest.mark.parametrize(("workflow", "expected"), [(TICKET, EXPECTED), (HANDLING, HANDLING_EXPECTED)])
def test_the_tables_hold_exactly_the_rows_written_here(workflow, expected):
    rows = {
        (t.action, source, role): (t.target, t.note_required)
        for t in workflow.transitions
        for source in t.sources
        for role in t.roles
    }
    assert rows == expected


def test_unknown_action_is_refused():
    with pytest.raises(InvalidInput):
        TICKET.check("escalate", "filed", ["system"])


def test_guards_sit_on_reopen_and_take_over():
    guarded = {(w.name, t.action) for w in (TICKET, HANDLING) for t in w.transitions if t.guard}
    assert guarded == {("ticket", "reopen"), ("ticket_handling", "take_over")}
    assert TICKET.creation_actions == {"file"}


def test_reopen_guard_allows_once():
    class Fresh:
        reopened_at = None

    class Reopened:
        reopened_at = "2026-10-09"

    assert reopen_once(Fresh(), None, "理由") is None
    assert "不能再次重新提出" in reopen_once(Reopened(), None, "理由")
