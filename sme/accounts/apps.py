from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sme.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from sme.core import todos

        from . import signals  # noqa: F401
        from .todos import todos_for

        todos.register(todos_for)
