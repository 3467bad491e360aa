from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "sme.moderation"
    label = "moderation"
    verbose_name = _("内容举报")

    def ready(self) -> None:
        from sme.core import todos

        from .todos import todos_for

        todos.register(todos_for)
