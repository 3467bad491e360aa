"""Columns of the listing that follow from other records: the orders app keeps the rating and the
completed-order counts of a service here (it tells, the catalogue writes), and the search index is
rebuilt from the published revisions."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F

from .. import search
from ..models import Service


def service_ratings_set(*, service_id: int, count: int, average: Decimal | None) -> None:
    """The service's visible rating count and average stars, as the orders app counted them."""
    Service.objects.filter(pk=service_id).update(rating_count=count, rating_average=average)


def service_order_completed(*, service_id: int) -> None:
    """One more completed order of the service (the listing's "成交最多" sort)."""
    Service.objects.filter(pk=service_id).update(orders_completed=F("orders_completed") + 1)


def reindex_all(batch: int = 5000) -> int:
    """Rebuild the whole search index (after a change of the segmentation); returns services seen."""
    ids: Iterable[int] = Service.objects.order_by("pk").values_list("pk", flat=True)
    chunk: list[int] = []
    seen = 0
    for pk in ids.iterator(chunk_size=batch):  # type: ignore[attr-defined]
        chunk.append(pk)
        if len(chunk) >= batch:
            search.index_services(chunk)
            seen += len(chunk)
            chunk = []
    if chunk:
        search.index_services(chunk)
        seen += len(chunk)
    return seen
