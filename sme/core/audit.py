"""The one way to write to the audit log.

Each row says who did what to which record, from where, when and with what result. Rows are
append-only (see ``AppendOnlyModel``); nothing in the application edits or deletes them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from . import request_context
from .models import AuditLog


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": ""}
    return {"actor": actor, "actor_label": actor.get_username()[:150]}


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    result: str = AuditLog.Result.SUCCESS,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
) -> AuditLog:
    """Append one audit row. ``obj`` fills the object columns unless they are given explicitly."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    ctx = request_context.current()
    return AuditLog.objects.create(
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:255],
        summary=summary[:500],
        changes=changes or {},
        result=result,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        **_actor_fields(actor),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as ``{field: [old, new]}`` (values made JSON-friendly)."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)
