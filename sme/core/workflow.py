"""The pieces every state machine of the platform is built from.

An app's ``workflow.py`` declares a :class:`Workflow` as a table of :class:`Transition` rows; it is
pure (no I/O) so it can be read, documented and tested as a table. :func:`apply_transition` is the
single write path: it checks the table, updates with compare-and-set, and leaves a transition-log
row and an audit row. Notifications are the calling service's business (sent on commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from . import audit
from .errors import Conflict, InvalidInput, NotAllowed
from .models import TransitionLog

Guard = Callable[[Any, Any, str], "str | None"]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: Any  # str or a lazy translation
    note_required: bool = False
    guard: Guard | None = None


@dataclass(frozen=True)
class Workflow:
    name: str
    status_labels: dict[str, Any]
    transitions: tuple[Transition, ...]
    role_labels: dict[str, Any] = field(default_factory=dict)

    def action_label(self, action: str) -> str:
        return next((t.label for t in self.transitions if t.action == action), action)

    def actions_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if status in t.sources]

    def check(self, action: str, status: str, roles: Iterable[str]) -> Transition:
        """The transition for ``action`` from ``status`` if one of ``roles`` may take it; else why not."""
        candidates = [t for t in self.transitions if t.action == action]
        if not candidates:
            raise InvalidInput(_("未知的操作：%(action)s") % {"action": action})
        from_here = [t for t in candidates if status in t.sources]
        if not from_here:
            raise Conflict(
                _("当前状态为「%(status)s」，不能执行「%(action)s」。")
                % {"status": self.status_labels.get(status, status), "action": candidates[0].label}
            )
        role_set = set(roles)
        for t in from_here:
            if t.roles & role_set:
                return t
        raise NotAllowed(_("您无权执行「%(action)s」。") % {"action": from_here[0].label})

    def allowed_actions(self, status: str, roles: Iterable[str]) -> list[Transition]:
        role_set = set(roles)
        return [t for t in self.actions_from(status) if t.roles & role_set]


def apply_transition(
    *,
    workflow: Workflow,
    obj: models.Model,
    action: str,
    actor: Any,
    roles: Iterable[str],
    note: str = "",
    status_field: str = "status",
    updates: dict[str, Any] | None = None,
) -> models.Model:
    """Move ``obj`` along ``workflow`` by ``action``, or raise without changing anything.

    The update is ``UPDATE … WHERE pk = … AND status = <status read by the caller>``: if someone
    else moved the record first, zero rows match and the caller gets :class:`Conflict`.
    """
    current = getattr(obj, status_field)
    transition = workflow.check(action, current, roles)
    note = (note or "").strip()
    if transition.note_required and not note:
        raise InvalidInput(
            _("请填写「%(action)s」的理由。") % {"action": transition.label}, {"note": [_("必填")]}
        )
    if transition.guard is not None:
        problem = transition.guard(obj, actor, note)
        if problem:
            raise NotAllowed(problem)
    model = type(obj)
    values = {status_field: transition.target, **(updates or {})}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        from django.utils import timezone

        values.setdefault("updated_at", timezone.now())
    with transaction.atomic():
        changed = model._default_manager.filter(pk=obj.pk, **{status_field: current}).update(**values)
        if changed == 0:
            raise Conflict(_("该记录刚刚已被他人处理，您的操作未生效。请刷新页面查看最新状态。"))
        TransitionLog.objects.create(
            workflow=workflow.name,
            object_id=str(obj.pk),
            action=action,
            from_status=current,
            to_status=transition.target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            note=note,
        )
        audit.record(
            f"{workflow.name}.{action}",
            actor=actor,
            obj=obj,
            summary=f"{workflow.status_labels.get(current, current)} → "
            f"{workflow.status_labels.get(transition.target, transition.target)}"
            + (f"：{note}" if note else ""),
            changes={status_field: [current, transition.target]},
        )
    obj.refresh_from_db()
    return obj


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    actor: Any
    action: str
    label: Any  # str or a lazy translation
    from_status: str
    to_status: str
    note: str


def history(workflow: Workflow, obj: models.Model) -> list[HistoryEntry]:
    """The record's transitions, oldest first, with the table's labels."""
    rows = TransitionLog.objects.filter(workflow=workflow.name, object_id=str(obj.pk)).select_related("actor")
    return [
        HistoryEntry(
            at=r.created_at,
            actor=r.actor,
            action=r.action,
            label=workflow.action_label(r.action),
            from_status=workflow.status_labels.get(r.from_status, r.from_status),
            to_status=workflow.status_labels.get(r.to_status, r.to_status),
            note=r.note,
        )
        for r in rows
    ]
