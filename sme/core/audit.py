"""The one way to write to the audit log.

Each row says who did what to which record, from where, when and with what result. Rows are
append-only (see ``AppendOnlyModel``); nothing in the application edits or deletes them.

Action codes are registered once, with their label (``register_actions``): a workflow registers its
own moves (``<workflow>.<action>``, labelled by its table), an app the rest in its ``AppConfig.ready``.
:func:`record` refuses a code nobody registered, so the audit page's action filter (a choice list)
knows every code the platform writes. A summary is best given as a :class:`~.messages.Message`, so
that it reads in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from . import audit_chain, request_context
from .messages import Message, as_message, msg
from .models import AuditLog

_ACTIONS: dict[str, Any] = {}


class UnknownAuditAction(LookupError):
    """An audit row was written with a code no app registered."""


def register_actions(actions: Mapping[str, Any]) -> None:
    """Register audit action codes with their labels (a text or a lazy translation).

    Registering the same code twice is allowed when the label is the same text (a module imported
    again); two different labels for one code is a programming error.
    """
    for code, label in actions.items():
        known = _ACTIONS.get(code)
        if known is not None and str(known) != str(label) and not _same_lazy(known, label):
            raise ValueError(f"audit action {code!r} registered twice with different labels")
        _ACTIONS[code] = label


def _same_lazy(a: Any, b: Any) -> bool:
    return as_message(a).text == as_message(b).text


def action_label(code: str) -> str:
    """The label of ``code`` in the active language (the code itself for rows of retired codes)."""
    label = _ACTIONS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """Every registered code with its label, sorted by code: the audit page's filter."""
    return [(code, str(label)) for code, label in sorted(_ACTIONS.items())]


def is_registered(code: str) -> bool:
    return code in _ACTIONS


def transition_summary(status_labels: Mapping[str, Any], source: str, target: str, note: str = "") -> Message:
    """ "<from> → <to>" (and the note) for a workflow move, in the reader's language."""
    source_label = as_message(status_labels.get(source, source))
    target_label = as_message(status_labels.get(target, target))
    if note:
        return msg("%(source)s → %(target)s：%(note)s", source=source_label, target=target_label, note=note)
    return msg("%(source)s → %(target)s", source=source_label, target=target_label)


register_actions(
    {
        "audit.export": gettext_lazy("导出审计日志"),
        "audit.chain_broken": gettext_lazy("审计日志哈希链校验失败"),
    }
)


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": ""}
    return {"actor": actor, "actor_label": actor.get_username()[:150]}


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    summary: str | Message = "",
    changes: dict[str, Any] | None = None,
    result: str = AuditLog.Result.SUCCESS,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
) -> AuditLog:
    """Append one audit row. ``obj`` fills the object columns unless they are given explicitly."""
    if action not in _ACTIONS:
        raise UnknownAuditAction(
            f"audit action {action!r} is not registered (sme.core.audit.register_actions)"
        )
    message: dict[str, Any] = {}
    if isinstance(summary, Message):
        message = summary.to_json()
        with translation.override(settings.LANGUAGE_CODE):
            summary = summary.render()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    ctx = request_context.current()
    row = AuditLog(
        created_at=timezone.now(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:255],
        summary=summary[:500],
        summary_message=audit_chain.normalised_json(message),
        changes=audit_chain.normalised_json(changes or {}),
        result=result,
        ip=audit_chain.normalised_ip(ctx.ip),
        user_agent=ctx.user_agent,
        **_actor_fields(actor),
    )
    with transaction.atomic():
        audit_chain.seal(row)
        row.save(force_insert=True)
    return row


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
