"""The report state machine, as a table (docs/workflows/ticket.md, section 内容举报).

- ``reporter``: any active, logged-in user (reports are filed with the creation row from ``START``);
- ``officer``: a district officer covering the report's district, a city officer, or an administrator.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import START, Workflow, transition

from .models import ReportStatus as S

REPORTER = "reporter"
OFFICER = "officer"

REPORT = Workflow(
    name="moderation_report",
    status_labels={START: _("新建"), **{s.value: s.label for s in S}},
    role_labels={
        REPORTER: _("举报人"),
        OFFICER: _("对象所在区县主管部门、市级主管部门或平台管理员"),
    },
    transitions=(
        transition("file", [START], S.OPEN, [REPORTER], _("举报内容")),
        transition("hide", [S.OPEN], S.HIDDEN, [OFFICER], _("屏蔽"), note=True),
        transition("dismiss", [S.OPEN], S.DISMISSED, [OFFICER], _("不予处理")),
    ),
)
