"""The service categories: a small table, kept per process for a minute."""

from __future__ import annotations

import threading
import time
from typing import Any

from ..models import ServiceCategory

_categories_lock = threading.Lock()
_categories: dict[str, ServiceCategory] | None = None
_categories_read_at = 0.0
CATEGORIES_KEPT_SECONDS = 60.0


def forget_categories(**_signal: Any) -> None:
    """Read the categories afresh on next use (the loader, and saves in this process, call it;
    other processes see a change within ``CATEGORIES_KEPT_SECONDS``)."""
    global _categories
    with _categories_lock:
        _categories = None


def categories_by_key() -> dict[str, ServiceCategory]:
    """Every active category by key, in display order (functions before their sub-categories)."""
    global _categories, _categories_read_at
    found = _categories
    if found is None or time.monotonic() - _categories_read_at > CATEGORIES_KEPT_SECONDS:
        rows = list(ServiceCategory.objects.filter(is_active=True).order_by("sort_order", "id"))
        found = {c.key: c for c in rows}
        with _categories_lock:
            _categories, _categories_read_at = found, time.monotonic()
    return found


def category_tree() -> list[tuple[ServiceCategory, list[ServiceCategory]]]:
    """The functions, each with its sub-categories."""
    cats = list(categories_by_key().values())
    tops = [c for c in cats if c.parent_id is None]
    return [(top, [c for c in cats if c.parent_id == top.pk]) for top in tops]


def category_by_id(pk: int | None) -> ServiceCategory | None:
    if pk is None:
        return None
    return next((c for c in categories_by_key().values() if c.pk == pk), None)
