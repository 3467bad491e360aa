"""The audit log's hash chain: each row carries SHA-256 of its own content and of the row before it.

Rows are sealed as they are written (:func:`seal`, called by :func:`sme.core.audit.record` inside a
transaction that first locks the one :class:`~.models.AuditChainHead` row, so two writers never link
to the same predecessor). :func:`verify` walks the log in id order and reports the first link that
does not hold: a changed row (its content no longer gives its hash), a removed or inserted row (the
next row's ``prev_hash`` no longer matches). ``manage.py audit_verify`` and the daily job run it.

The content is a canonical JSON of every column but the id and the hashes, with times in UTC and JSON
values as the database gives them back, so the same row hashes the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import django.dispatch
from django.db.models import F

GENESIS = "0" * 64

# Sent by the daily check when a link does not hold (``broken``: a :class:`Break`); the notifications
# app tells the platform administrators.
chain_broken = django.dispatch.Signal()
_FIELDS = (
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "summary",
    "summary_message",
    "changes",
    "ip",
    "user_agent",
    "result",
)


def normalised_json(value: Any) -> Any:
    """``value`` as it will come back from a JSON column (floats and key order settle here)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def normalised_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return value


def _canonical(row: Any) -> str:
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(row, name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif name == "ip":
            value = normalised_ip(value)
        values[name] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_hash(row: Any, prev_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{_canonical(row)}".encode()).hexdigest()


def seal(row: Any) -> None:
    """Fill ``row``'s ``prev_hash`` and ``row_hash`` before it is inserted. Call inside a transaction."""
    from .models import AuditChainHead, AuditLog

    locked = AuditChainHead.objects.filter(pk=1).update(sealed=F("sealed") + 1)
    if not locked:  # a database created without the migration's head row
        AuditChainHead.objects.get_or_create(pk=1)
        AuditChainHead.objects.filter(pk=1).update(sealed=F("sealed") + 1)
    last = AuditLog.objects.order_by("-id").values_list("row_hash", flat=True).first()
    row.prev_hash = last or GENESIS
    row.row_hash = row_hash(row, row.prev_hash)


@dataclass(frozen=True)
class Break:
    """The first link that does not hold."""

    row_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit row {self.row_id}: {self.reason}"


@dataclass(frozen=True)
class Verification:
    checked: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(batch: int) -> Iterator[Any]:
    from .models import AuditLog

    last_id = 0
    while True:
        chunk = list(AuditLog.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1].id


def verify(*, batch: int = 5000) -> Verification:
    previous = GENESIS
    checked = 0
    for row in _rows(batch):
        if row.prev_hash != previous:
            return Verification(
                checked,
                Break(
                    row.id,
                    "prev_hash does not match the previous row (a row was removed, inserted or changed before it)",
                ),
            )
        if row.row_hash != row_hash(row, row.prev_hash):
            return Verification(
                checked, Break(row.id, "content does not match its hash (the row was changed)")
            )
        previous = row.row_hash
        checked += 1
    return Verification(checked, None)


def daily_check(*, today: dt.date) -> dict[str, Any]:
    """The daily job: verify the whole chain; on a break, record it and alert (``chain_broken``)."""
    from . import audit

    result = verify()
    if result.broken is not None:
        audit.record(
            "audit.chain_broken",
            summary=str(result.broken),
            changes={"row_id": result.broken.row_id, "checked": result.checked},
            result="failure",
        )
        chain_broken.send(sender=Break, broken=result.broken, checked=result.checked)
    return {"checked": result.checked, "broken_at": result.broken.row_id if result.broken else None}
