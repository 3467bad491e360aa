"""The tickets' daily job (registered in ``apps.py``, run by ``manage.py run_daily``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sme.core import clock

from .figures import ticket_figures_rebuild
from .handling import tickets_escalate_overdue

FIGURES_MONTHS_REFRESHED = 13


@dataclass
class DailyReport:
    today: dt.date
    escalated: list[int]
    figure_rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "escalated": self.escalated, "figure_rows": self.figure_rows}


def tickets_daily(*, today: dt.date | None = None) -> DailyReport:
    """Escalate overdue tickets and refresh the monthly figures of the last 13 months. Idempotent."""
    today = today or clock.today()
    escalated = tickets_escalate_overdue(today=today)
    first = today.replace(day=1)
    for _i in range(FIGURES_MONTHS_REFRESHED - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    report = ticket_figures_rebuild(since=first)
    return DailyReport(today=today, escalated=escalated, figure_rows=report.rows)
