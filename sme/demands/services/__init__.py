"""Writes to demands and proposals, one module per seam.

- ``demands``: posting a demand, closing or withdrawing it, hiding it (moderation), the read marker;
- ``proposals``: sending, revising, withdrawing, shortlisting and accepting proposals;
- ``daily``: the daily job that closes demands past their deadline.

Every service checks role and scope, writes a new record's creation rows with
``sme.core.workflow.start_transition``, changes a status only through ``apply_transition``
(compare-and-set, transition log, audit row; the table's guards check the deadline and that the
demand is still open), changes other fields with ``sme.core.versioning.update_versioned`` plus an
audit row, and notifies the people concerned after commit. Nothing here takes a request.

Concurrency: accepting a proposal first moves the demand open → awarded with compare-and-set (the
demand row is the lock every decision goes through), then checks the proposal is still the version
the enterprise saw. Two tabs accepting two proposals: one wins, the other gets :class:`Conflict`.
"""

from .daily import DailyReport, demands_daily
from .demands import (
    demand_close,
    demand_create,
    demand_hide,
    demand_mark_seen,
    demand_unhide,
    demand_withdraw,
)
from .proposals import (
    proposal_accept,
    proposal_revise,
    proposal_shortlist,
    proposal_submit,
    proposal_withdraw,
    proposals_not_select,
)

__all__ = [
    "DailyReport",
    "demand_close",
    "demand_create",
    "demand_hide",
    "demand_mark_seen",
    "demand_unhide",
    "demand_withdraw",
    "demands_daily",
    "proposal_accept",
    "proposal_revise",
    "proposal_shortlist",
    "proposal_submit",
    "proposal_withdraw",
    "proposals_not_select",
]
