from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "sme.workdays"
    label = "workdays"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from sme.core import audit

        audit.register_actions(
            {
                "workdays.holiday_override_save": _("保存节假日调整"),
                "workdays.holiday_override_delete": _("删除节假日调整"),
                "workdays.covered_year_save": _("保存已录入完整的年份"),
                "workdays.covered_year_delete": _("删除已录入完整的年份"),
            }
        )
