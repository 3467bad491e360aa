from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sme.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from . import receivers
        from .services import register_events

        register_events({receivers.SECURITY: _("安全告警")})
        receivers.connect()
        from sme.core import todos

        from .selectors import todos_for

        todos.register(todos_for)
