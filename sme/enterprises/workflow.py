"""The life of a registry import: uploaded → queued → running → done (or failed).

The importer confirms the column mapping and starts the run; the runner (a Celery task, or the
management command) takes it from there. Mirrored in docs/workflows/enterprise-import.md.
"""

from django.utils.translation import gettext_lazy

from sme.core.workflow import Workflow, transition

from .models import ImportStatus as S

# Relationship roles: computed per (user, import) by permissions.import_roles().
IMPORTER = "importer"
RUNNER = "runner"  # the background job acting for the importer

IMPORT = Workflow(
    name="enterprise_import",
    status_labels={s.value: s.label for s in S},
    role_labels={IMPORTER: gettext_lazy("导入人"), RUNNER: gettext_lazy("后台任务")},
    transitions=(
        transition("start", {S.UPLOADED}, S.QUEUED, {IMPORTER}, gettext_lazy("开始导入")),
        transition("begin", {S.QUEUED}, S.RUNNING, {RUNNER}, gettext_lazy("开始处理")),
        transition("finish", {S.RUNNING}, S.DONE, {RUNNER}, gettext_lazy("完成")),
        transition("fail", {S.QUEUED, S.RUNNING}, S.FAILED, {RUNNER}, gettext_lazy("失败")),
    ),
)
