"""The pieces every state machine of the platform is built from.

An app's ``workflow.py`` declares a :class:`Workflow` as a table of rows made with
:func:`transition`; it is pure (no I/O) so it can be read, documented and tested as a table. Two
functions write, and nothing else changes a workflow's status:

- :func:`start_transition` for a record just created: the table's row from :data:`START` to the
  record's first status, checked like any other, leaves the creation row in the transition log and
  the audit row;
- :func:`apply_transition` for every later move: it checks the table (status, role, note, guard),
  updates with compare-and-set, and leaves a transition-log row and an audit row.

A guard is where a rule that reads the database belongs ("all experts have scored", "no request is
pending"): it runs inside the transition, after the table's own checks, so a service does not check
the same thing again before calling. Notifications are the calling service's business (sent on
commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, clock
from .errors import Conflict, InvalidInput, NotAllowed
from .models import TransitionLog

# A guard looks at (record, actor, note) and answers why the move is refused, or None to allow it. It
# may also raise a ServiceError of its own (InvalidInput for a bad note, Conflict for a stale read).
Guard = Callable[[Any, Any, str], "str | None"]
M = TypeVar("M", bound=models.Model)

# The pseudo status a new record comes from: the source of a workflow's creation rows.
START = "created"
START_LABEL = gettext_lazy("新建")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: Any  # str or a lazy translation
    note_required: bool = False
    guard: Guard | None = None


def transition(
    action: str,
    sources: Iterable[str],
    target: str,
    roles: Iterable[str],
    label: Any,
    *,
    note: bool = False,
    guard: Guard | None = None,
) -> Transition:
    """One row of a workflow's table: ``action`` moves a record from any of ``sources`` to ``target``
    for a user holding one of ``roles``; ``note=True`` makes the reason mandatory."""
    return Transition(
        action, frozenset(sources), target, frozenset(roles), label, note_required=note, guard=guard
    )


@dataclass(frozen=True)
class Workflow:
    name: str
    status_labels: dict[str, Any]
    transitions: tuple[Transition, ...]
    role_labels: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The audit log names each move "<workflow>.<action>" and labels it with the table's label.
        audit.register_actions({f"{self.name}.{t.action}": t.label for t in self.transitions})

    @property
    def creation_actions(self) -> frozenset[str]:
        """Actions that create a record (from :data:`START`): written by services, never offered."""
        return frozenset(t.action for t in self.transitions if START in t.sources)

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


def _checked(
    workflow: Workflow, obj: Any, action: str, status: str, actor: Any, roles: Iterable[str], note: str
) -> Transition:
    row = workflow.check(action, status, roles)
    if row.note_required and not note:
        raise InvalidInput(_("请填写「%(action)s」的理由。") % {"action": row.label}, {"note": [_("必填")]})
    if row.guard is not None:
        problem = row.guard(obj, actor, note)
        if problem:
            raise NotAllowed(problem)
    return row


def _log(
    workflow: Workflow,
    obj: models.Model,
    *,
    action: str,
    actor: Any,
    source: str,
    target: str,
    note: str,
    status_field: str,
    changes: dict[str, Any] | None,
    summary: Any = None,
) -> None:
    TransitionLog.objects.create(
        workflow=workflow.name,
        object_id=str(obj.pk),
        action=action,
        from_status=source,
        to_status=target,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    audit.record(
        f"{workflow.name}.{action}",
        actor=actor,
        obj=obj,
        summary=summary
        if summary is not None
        else audit.transition_summary({START: START_LABEL, **workflow.status_labels}, source, target, note),
        changes={status_field: [source, target], **(changes or {})},
    )


def start_transition(
    *,
    workflow: Workflow,
    obj: M,
    action: str,
    actor: Any,
    roles: Iterable[str],
    note: str = "",
    status_field: str = "status",
    changes: dict[str, Any] | None = None,
    summary: Any = None,
) -> M:
    """The creation rows of ``obj``, a record the calling service has just inserted in its first status.

    The table must have ``action`` from :data:`START` to that status for one of ``roles`` (its guard,
    if any, runs too); the transition log gets the row ``created → status`` and the audit log its row,
    with ``changes`` added to the status change and ``summary`` (a message) instead of the plain
    "新建 → <status>" when given. Call it inside the service's transaction.
    """
    note = (note or "").strip()
    status = getattr(obj, status_field)
    row = _checked(workflow, obj, action, START, actor, roles, note)
    if row.target != status:
        raise ValueError(f"{workflow.name}.{action} starts in {row.target!r}, not {status!r}")
    _log(
        workflow,
        obj,
        action=action,
        actor=actor,
        source=START,
        target=status,
        note=note,
        status_field=status_field,
        changes=changes,
        summary=summary,
    )
    return obj


def apply_transition(
    *,
    workflow: Workflow,
    obj: M,
    action: str,
    actor: Any,
    roles: Iterable[str],
    note: str = "",
    status_field: str = "status",
    updates: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> M:
    """Move ``obj`` along ``workflow`` by ``action``, or raise without changing anything.

    The update is ``UPDATE … WHERE pk = … AND status = <status read by the caller>``: if someone
    else moved the record first, zero rows match and the caller gets :class:`Conflict`. ``updates``
    are further columns written in the same statement; ``changes`` further entries for the audit row.
    With ``expected_version`` the update also requires ``version = expected_version`` and bumps it,
    for records whose edits keep the status (a move read before such an edit is refused).
    """
    current = getattr(obj, status_field)
    note = (note or "").strip()
    row = _checked(workflow, obj, action, current, actor, roles, note)
    model = type(obj)
    values = {status_field: row.target, **(updates or {})}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        values.setdefault("updated_at", clock.now())
    with transaction.atomic():
        where: dict[str, Any] = {status_field: current}
        if expected_version is not None:
            where["version"] = expected_version
            values["version"] = models.F("version") + 1
        changed = model._default_manager.filter(pk=obj.pk, **where).update(**values)
        if changed == 0:
            raise Conflict(_("该记录刚刚已被他人处理，您的操作未生效。请刷新页面查看最新状态。"))
        _log(
            workflow,
            obj,
            action=action,
            actor=actor,
            source=current,
            target=row.target,
            note=note,
            status_field=status_field,
            changes=changes,
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
