from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "sme.demands"
    label = "demands"
    verbose_name = _("需求对接")

    def ready(self) -> None:
        from sme.core import todos

        from .todos import todos_for

        todos.register(todos_for)
