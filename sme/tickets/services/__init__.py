"""Writes to 诉求 tickets, one module per seam.

- ``filing``: an enterprise files a ticket (routed, limits and due dates copied, attachments stored);
- ``handling``: the handling steps, the city's take-over and the escalation of overdue tickets;
- ``rating``: the enterprise's rating of the handling;
- ``figures``: the public monthly figures;
- ``daily``: the daily job (escalation and the figures of the last 13 months).

Filing writes the creation rows with ``sme.core.workflow.start_transition``; every later status change
goes through ``apply_transition`` (compare-and-set on the status, transition log, audit row); the
handling level moves the same way through ``workflow.HANDLING``. People are told after commit, with
stored messages (``msg``) under the ``tickets`` event. Nothing here takes a request.
"""

from .daily import DailyReport, tickets_daily
from .figures import FiguresReport, ticket_figures_rebuild
from .filing import MAX_ATTACHMENTS, ticket_file
from .handling import (
    ticket_acknowledge,
    ticket_answer,
    ticket_close,
    ticket_confirm,
    ticket_reopen,
    ticket_take_over,
    ticket_withdraw,
    tickets_escalate_overdue,
)
from .rating import ticket_rate

__all__ = [
    "MAX_ATTACHMENTS",
    "DailyReport",
    "FiguresReport",
    "ticket_acknowledge",
    "ticket_answer",
    "ticket_close",
    "ticket_confirm",
    "ticket_figures_rebuild",
    "ticket_file",
    "ticket_rate",
    "ticket_reopen",
    "ticket_take_over",
    "ticket_withdraw",
    "tickets_daily",
    "tickets_escalate_overdue",
]
