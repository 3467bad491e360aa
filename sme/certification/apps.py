from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "sme.certification"
    label = "certification"
    verbose_name = _("公共服务平台认定")

    def ready(self) -> None:
        from sme.core import todos

        from .lifecycle import lifecycle_todos
        from .loader import load_after_migrate
        from .todos import todos_for

        todos.register(todos_for)
        todos.register(lifecycle_todos)

        # After the regions app: schemes name their region by code.
        post_migrate.connect(load_after_migrate, sender=self)
