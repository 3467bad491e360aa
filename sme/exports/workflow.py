"""An export's life: asked for → (queued) → being written → done, or failed with the reason."""

from django.utils.translation import gettext_lazy as _

from sme.core.workflow import START, Workflow, transition

from .models import ExportStatus as S

REQUESTER = "requester"
WORKER = "worker"

EXPORT = Workflow(
    name="export",
    status_labels=dict(S.choices),
    transitions=(
        transition("request", [START], S.QUEUED, [REQUESTER], _("申请导出")),
        transition("start", [S.QUEUED], S.RUNNING, [WORKER], _("开始生成")),
        transition("finish", [S.RUNNING], S.DONE, [WORKER], _("生成完成")),
        transition("fail", [S.QUEUED, S.RUNNING], S.FAILED, [WORKER], _("生成失败"), note=True),
    ),
    role_labels={REQUESTER: _("申请人"), WORKER: _("后台任务")},
)
