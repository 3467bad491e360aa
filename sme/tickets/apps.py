from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "sme.tickets"
    label = "tickets"
    verbose_name = _("企业诉求")

    def ready(self) -> None:
        from sme.core import todos

        from .loader import load_after_migrate
        from .todos import todos_for

        todos.register(todos_for)
        post_migrate.connect(load_after_migrate, sender=self)
