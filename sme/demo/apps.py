from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "sme.demo"
    label = "demo"
    verbose_name = _("演示数据")

    def ready(self) -> None:
        from sme.core import audit

        audit.register_actions(
            {
                "demo.enterprises": _("生成演示企业"),
                "demo.load": _("加载演示数据"),
            }
        )
