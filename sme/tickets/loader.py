"""Loads the ticket types shipped in ``data/ticket_types.json``; run after every ``migrate``.

An upsert by ``key``: a new key is created, an existing one brought in line with the file. Tickets copy
their limits when filed, so updating a type never moves the deadlines of tickets already filed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import connections, transaction

from .models import TicketType

DATA_FILE = Path(__file__).resolve().parent / "data" / "ticket_types.json"
DATE_FIELDS = ("effective_from", "effective_until")


def type_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "key"}
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    return values


@transaction.atomic
def load_ticket_types(path: Path | None = None) -> int:
    """Apply the data file; returns how many types were created or changed."""
    rows = json.loads((path or DATA_FILE).read_text(encoding="utf-8"))
    changed = 0
    for row in rows:
        values = type_values(row)
        existing = TicketType.objects.filter(key=row["key"]).first()
        if existing is None:
            TicketType.objects.create(key=row["key"], **values)
            changed += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            TicketType.objects.filter(pk=existing.pk).update(**values)
            changed += 1
    return changed


def load_after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **kwargs: Any
) -> None:
    if "tickets_tickettype" not in connections[using].introspection.table_names():
        return
    changed = load_ticket_types()
    if verbosity >= 2:
        print(f"  ticket types: {changed} changed")
