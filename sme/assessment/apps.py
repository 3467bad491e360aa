from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "sme.assessment"
    label = "assessment"
    verbose_name = _("数字化水平评测")

    def ready(self) -> None:
        from sme.core import todos

        from .loader import load_after_migrate
        from .todos import todos_for

        post_migrate.connect(load_after_migrate, sender=self)
        todos.register(todos_for)
