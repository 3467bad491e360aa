from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "sme.enterprises"
    label = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        from .loader import load_after_migrate

        post_migrate.connect(load_after_migrate, sender=self)
