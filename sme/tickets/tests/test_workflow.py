"""The ticket tables walked row by row: every (status, action, role) either moves or is refused."""

import pytest

from sme.core.errors import Conflict, NotAllowed
from sme.tickets.models import HandlingLevel, TicketStatus
from sme.tickets.workflow import CITY, FILER, HANDLER, HANDLING, SYSTEM, TICKET

ROLES = (FILER, HANDLER, CITY, SYSTEM)

EXPECTED = {
    ("acknowledge", TicketStatus.FILED, HANDLER): TicketStatus.ACKNOWLEDGED,
    ("answer", TicketStatus.ACKNOWLEDGED, HANDLER): TicketStatus.ANSWERED,
    ("confirm", TicketStatus.ANSWERED, FILER): TicketStatus.CLOSED,
    ("close", TicketStatus.ANSWERED, HANDLER): TicketStatus.CLOSED,
    ("reopen", TicketStatus.ANSWERED, FILER): TicketStatus.ACKNOWLEDGED,
    ("withdraw", TicketStatus.FILED, FILER): TicketStatus.WITHDRAWN,
    ("withdraw", TicketStatus.ACKNOWLEDGED, FILER): TicketStatus.WITHDRAWN,
}
ACTIONS = sorted({t.action for t in TICKET.transitions})


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", list(TicketStatus))
@pytest.mark.parametrize("role", ROLES)
def test_ticket_table(action, status, role):
    expected = EXPECTED.get((action, status, role))
    if expected is not None:
        assert TICKET.check(action, status, [role]).target == expected
        return
    movable_by_someone = any(key[:2] == (action, status) for key in EXPECTED)
    with pytest.raises(NotAllowed if movable_by_someone else Conflict):
        TICKET.check(action, status, [role])


@pytest.mark.parametrize(
    ("action", "role", "allowed"),
    [
        ("escalate", SYSTEM, True),
        ("escalate", HANDLER, False),
        ("escalate", CITY, False),
        ("take_over", CITY, True),
        ("take_over", HANDLER, False),
        ("take_over", FILER, False),
    ],
)
def test_handling_table(action, role, allowed):
    if allowed:
        assert HANDLING.check(action, HandlingLevel.DISTRICT, [role]).target == HandlingLevel.CITY
    else:
        with pytest.raises(NotAllowed):
            HANDLING.check(action, HandlingLevel.DISTRICT, [role])
    with pytest.raises(Conflict):
        HANDLING.check(action, HandlingLevel.CITY, [role])


def test_reopen_guard_allows_once():
    reopen = next(t for t in TICKET.transitions if t.action == "reopen")
    assert reopen.note_required

    class Fresh:
        reopened_at = None

    class Reopened:
        reopened_at = "2026-10-09"

    assert reopen.guard(Fresh(), None, "理由") is None
    assert "只能" in reopen.guard(Reopened(), None, "理由") or "不能" in reopen.guard(
        Reopened(), None, "理由"
    )
