"""Loads the service categories (``data/categories.json``) after every ``migrate``.

An upsert by ``key``: new categories are created, changed names, parents and order are updated.
A category the file no longer lists is switched off (``is_active`` False), never deleted: services,
orders and subsidy caps may point at it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import connections, transaction

from .models import ServiceCategory
from .selectors import forget_categories

DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


def read_categories(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The category tree as the file states it (functions with ``children``)."""
    return list(json.loads(path.read_text(encoding="utf-8"))["categories"])


@transaction.atomic
def load_categories(path: Path = DATA_FILE, model: Any = None) -> int:
    """Apply the file; returns how many categories it lists. Idempotent."""
    model = model or ServiceCategory
    existing = {c.key: c for c in model.objects.all()}
    listed: set[str] = set()
    order = 0

    def sync(row: dict[str, Any], parent: Any) -> Any:
        nonlocal order
        order += 1
        values = {
            "name": row["name"],
            "parent_id": parent.pk if parent is not None else None,
            "description": row.get("description", ""),
            "source": row.get("source", ""),
            "sort_order": order,
            "is_active": True,
        }
        listed.add(row["key"])
        found = existing.get(row["key"])
        if found is None:
            return model.objects.create(key=row["key"], **values)
        changed = {k: v for k, v in values.items() if getattr(found, k) != v}
        if changed:
            model.objects.filter(pk=found.pk).update(**changed)
            for k, v in changed.items():
                setattr(found, k, v)
        return found

    for top in read_categories(path):
        parent = sync(top, None)
        for child in top.get("children", []):
            sync(child, parent)
    model.objects.exclude(key__in=listed).filter(is_active=True).update(is_active=False)
    forget_categories()
    return len(listed)


def load_after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **kwargs: Any
) -> None:
    if "catalog_servicecategory" not in connections[using].introspection.table_names():
        return
    count = load_categories()
    if verbosity >= 2:
        print(f"  catalog: {count} service categories")
