"""The report state machine, as a table (docs/workflows/ticket.md, section 内容举报).

``officer``: a district officer covering the report's district, a city officer, or an administrator.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import Transition, Workflow

from .models import ReportStatus as S

OFFICER = "officer"

REPORT = Workflow(
    name="moderation_report",
    status_labels={s.value: s.label for s in S},
    role_labels={OFFICER: _("对象所在区县主管部门、市级主管部门或平台管理员")},
    transitions=(
        Transition(
            "hide", frozenset({S.OPEN}), S.HIDDEN, frozenset({OFFICER}), _("屏蔽"), note_required=True
        ),
        Transition("dismiss", frozenset({S.OPEN}), S.DISMISSED, frozenset({OFFICER}), _("不予处理")),
    ),
)
