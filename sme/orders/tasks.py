"""Background jobs of orders. Schedule ``orders_daily`` once a day and ``provider_figures_rebuild`` once a
night (Celery beat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task


@shared_task(name="sme.orders.tasks.orders_daily")
def orders_daily(today: str | None = None) -> dict[str, Any]:
    """The same job as ``manage.py orders_daily``: flag orders not answered in time (idempotent)."""
    from .services import orders_daily as run

    day = dt.date.fromisoformat(today) if today else None
    return run(today=day)


@shared_task(name="sme.orders.tasks.provider_figures_rebuild")
def provider_figures_rebuild(year: int | None = None) -> dict[str, int]:
    """The same job as ``manage.py provider_figures_rebuild``: every provider's yearly figures."""
    from .figures import rebuild

    result = rebuild([year] if year else None)
    return {str(k): v for k, v in result.items()}
