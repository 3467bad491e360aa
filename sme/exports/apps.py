from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "sme.exports"
    label = "exports"
    verbose_name = _("数据导出")

    def ready(self) -> None:
        from sme.core import files
        from sme.core import navigation as n

        from . import workflow  # noqa: F401  (registers the audit codes of its table)
        from .models import ExportFile

        files.register(ExportFile, can_read=lambda user, row: row.job.requested_by_id == user.pk)
        n.register(n.link(_("我的导出"), "exports:list", {n.OFFICER}, 99, "supervision"))
