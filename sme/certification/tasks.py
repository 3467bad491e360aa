"""Background jobs of certification. Schedule ``certification_daily_task`` once a day (Celery beat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task


@shared_task(name="certification.daily")
def certification_daily_task(today: str | None = None) -> dict[str, Any]:
    """The same job as ``manage.py certification_daily``: notices, expiry, re-reviews, summary reminders."""
    from .lifecycle import certification_daily

    day = dt.date.fromisoformat(today) if today else None
    return certification_daily(today=day).as_dict()
