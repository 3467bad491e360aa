"""Writes to reports: filing one, and an officer's decision (hide the target with a reason, or dismiss).

A filed report gets its creation rows from ``start_transition``. Hiding goes through the target's owner (``targets.hide``); every report on the same target that is
still open is decided with it, each through ``apply_transition`` (compare-and-set, transition log,
audit row). Reporters are told the outcome after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify

from . import permissions, selectors, targets
from .models import Report, ReportReason, ReportStatus, TargetKind
from .workflow import OFFICER, REPORT

EVENT = "moderation"  # the notification category people may mute for e-mail
REASON_TEXT_MAX = 1000


@transaction.atomic
def report_file(*, actor: Any, kind: str, target_id: int, reason: str, reason_text: str = "") -> Report:
    """Any logged-in user reports a rating, a provider's reply or a demand; one open report each."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise NotAllowed(_("请先登录再举报。"))
    if kind not in TargetKind.values:
        raise InvalidInput(_("未知的举报对象类型。"), {"kind": [_("未知的举报对象类型。")]})
    try:
        target = targets.resolve(kind, int(target_id), viewer=actor)
    except (targets.TargetMissing, ValueError) as exc:
        raise InvalidInput(_("举报的内容不存在或已删除。")) from exc
    problems: dict[str, list[str]] = {}
    reason_text = (reason_text or "").strip()
    if reason not in ReportReason.values:
        problems["reason"] = [_("请选择举报理由。")]
    elif reason == ReportReason.OTHER and not reason_text:
        problems["reason_text"] = [_("选择“其他”时请说明举报理由。")]
    if len(reason_text) > REASON_TEXT_MAX:
        problems["reason_text"] = [_("补充说明不能超过%(n)s个字。") % {"n": REASON_TEXT_MAX}]
    if problems:
        raise InvalidInput(_("请修改标红的项目后再提交。"), problems)
    if target.is_hidden:
        raise Conflict(_("该内容已被屏蔽，无需再举报。"))
    if selectors.open_reports_on(kind, target.obj.pk).filter(reporter=actor).exists():
        raise Conflict(_("您已举报过该内容，主管部门正在处理。"))
    report = Report.objects.create(
        reporter=actor,
        target_kind=kind,
        target_id=target.obj.pk,
        district_id=target.district_id,
        target_excerpt=target.excerpt,
        reason=reason,
        reason_text=reason_text,
    )
    return start_transition(
        workflow=REPORT,
        obj=report,
        action="file",
        actor=actor,
        roles=permissions.reporter_roles(actor),
        changes={"reason": [None, reason]},
    )


@transaction.atomic
def report_decide(*, actor: Any, report: Report, decision: str, reason: str = "") -> list[Report]:
    """Hide the reported content (reason required) or dismiss the report; every open report on the same
    target is decided together. Returns the reports decided, this one first."""
    if decision not in ("hide", "dismiss"):
        raise InvalidInput(_("未知的处理方式。"))
    roles = permissions.roles_for(actor, report)
    if OFFICER not in roles:
        raise NotAllowed(_("只有对象所在区县的主管部门、市级主管部门或平台管理员可以处理该举报。"))
    reason = (reason or "").strip()
    if decision == "hide" and not reason:
        raise InvalidInput(_("请填写屏蔽理由。"), {"reason": [_("屏蔽时必须填写理由。")]})
    if report.status != ReportStatus.OPEN:
        raise Conflict(_("该举报已处理。"))
    if decision == "hide":
        try:
            target = targets.resolve(report.target_kind, report.target_id)
        except targets.TargetMissing as exc:
            raise Conflict(_("举报的内容已不存在。")) from exc
        if not target.is_hidden:
            targets.hide(target, actor=actor, reason=reason)
    now = timezone.now()
    others = list(selectors.open_reports_on(report.target_kind, report.target_id).exclude(pk=report.pk))
    decided: list[Report] = []
    for index, item in enumerate([report, *others]):
        try:
            with transaction.atomic():
                apply_transition(
                    workflow=REPORT,
                    obj=item,
                    action=decision,
                    actor=actor,
                    roles=roles,
                    note=reason,
                    updates={"decided_by": actor, "decided_at": now, "decision_reason": reason},
                )
        except Conflict:
            if index == 0:
                raise
            continue
        decided.append(item)
    outcome = msg("已屏蔽") if decision == "hide" else msg("经核查不予处理")
    for item in decided:
        notify(
            [item.reporter],
            title=msg("您的举报已处理：%(outcome)s", outcome=outcome),
            body=msg("举报内容：%(excerpt)s", excerpt=item.target_excerpt),
            event=EVENT,
        )
    return decided
