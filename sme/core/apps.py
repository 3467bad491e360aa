from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sme.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
