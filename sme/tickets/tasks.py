"""Background jobs of 诉求. Schedule ``tickets_daily`` once a day (Celery beat, ``tickets.daily``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task


@shared_task(name="tickets.daily")
def tickets_daily(today: str | None = None) -> dict[str, Any]:
    """The same job as ``manage.py tickets_daily``: escalate overdue tickets, refresh the figures."""
    from .services import tickets_daily as run

    day = dt.date.fromisoformat(today) if today else None
    return run(today=day).as_dict()
