"""Background jobs of the platform core: the daily jobs every app registered (sme.core.daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task


@shared_task(name="core.run_daily")
def run_daily(today: str | None = None) -> dict[str, Any]:
    """The same as ``manage.py run_daily``: every registered daily job, in order, for one day."""
    from .daily import run_all

    return run_all(today=dt.date.fromisoformat(today) if today else None).as_dict()
