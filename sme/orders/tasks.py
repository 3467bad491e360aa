"""Background jobs of orders: ``provider_figures_rebuild`` once a night (Celery beat). The daily job
(overdue flags) runs with the others (``sme.core.daily``)."""

from __future__ import annotations

from celery import shared_task

from .figures import rebuild


@shared_task(name="sme.orders.tasks.provider_figures_rebuild")
def provider_figures_rebuild(year: int | None = None) -> dict[str, int]:
    """The same job as ``manage.py provider_figures_rebuild``: every provider's yearly figures."""
    result = rebuild([year] if year else None)
    return {str(k): v for k, v in result.items()}
