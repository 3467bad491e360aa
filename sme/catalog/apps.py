from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "sme.catalog"
    label = "catalog"
    verbose_name = _("服务目录")

    def ready(self) -> None:
        from sme.core import todos

        from .loader import load_after_migrate
        from .search import connect_signals
        from .todos import todos_for

        todos.register(todos_for)
        connect_signals()
        post_migrate.connect(load_after_migrate, sender=self)
