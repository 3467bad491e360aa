from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "sme.catalog"
    label = "catalog"
    verbose_name = _("服务目录")

    def ready(self) -> None:
        from sme.core import todos

        from .loader import load_after_migrate
        from .models import ServiceCategory
        from .search import connect_signals
        from .selectors import forget_categories
        from .todos import todos_for

        todos.register(todos_for)
        connect_signals()
        post_migrate.connect(load_after_migrate, sender=self)
        # an edit in the admin shows at once in this process, within a minute in the others
        post_save.connect(forget_categories, sender=ServiceCategory, dispatch_uid="catalog_forget_categories")
        post_delete.connect(
            forget_categories, sender=ServiceCategory, dispatch_uid="catalog_forget_categories"
        )
