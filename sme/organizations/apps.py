from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "sme.organizations"
    label = "organizations"
    verbose_name = _("机构")

    def ready(self) -> None:
        from sme.core import todos

        from .todos import todos_for

        todos.register(todos_for)
