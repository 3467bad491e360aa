"""Background jobs of 需求对接. Schedule ``demands.daily`` once a day, shortly after midnight (Celery beat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task


@shared_task(name="demands.daily")
def demands_daily(today: str | None = None) -> dict[str, Any]:
    """The same job as ``manage.py demands_daily``: open demands past their deadline close themselves."""
    from .services import demands_daily as run

    day = dt.date.fromisoformat(today) if today else None
    return run(today=day).as_dict()
