from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "sme.moderation"
    label = "moderation"
    verbose_name = _("内容举报")

    def ready(self) -> None:
        from sme.notifications.services import register_events

        register_events({"moderation": _("内容举报")})
        from sme.core import navigation as n

        n.register(
            n.link(_("举报处理"), "moderation:queue", {n.OFFICER}, 8, "supervision"),
        )
        from sme.core import todos

        from .todos import todos_for

        todos.register(todos_for)
