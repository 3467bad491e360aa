from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "sme.tickets"
    label = "tickets"
    verbose_name = _("企业诉求")

    def ready(self) -> None:
        from sme.notifications.services import register_events

        register_events({"tickets": _("企业诉求")})
        from sme.core import navigation as n

        n.register(
            n.link(_("我的诉求"), "tickets:list", {n.ENTERPRISE}, 3, "my_business"),
            n.link(_("企业诉求"), "tickets:list", {n.OFFICER}, 7, "supervision"),
            n.link(_("诉求办理公开数据"), "tickets:figures", {n.ANONYMOUS}, 13),
            n.link(_("诉求办理公开数据"), "tickets:figures", {n.SIGNED_IN}, 3, "public"),
        )
        from sme.core import audit, daily

        daily.register(
            "tickets", "sme.tickets.services.daily.tickets_daily", order=80, label=_("超期诉求升级与月度数据")
        )

        audit.register_actions(
            {
                "ticket.rate": _("评价诉求办理"),
                "tickets.ticket_type_save": _("修改诉求类型"),
                "tickets.ticket_type_delete": _("删除诉求类型"),
            }
        )
        from sme.core import files, todos
        from sme.exports import registry as exports

        from . import exports as ticket_exports
        from .loader import load_after_migrate
        from .models import TicketAttachment
        from .selectors import may_read_attachment
        from .todos import todos_for

        todos.register(todos_for)
        files.register(TicketAttachment, can_read=may_read_attachment)
        exports.register("tickets", ticket_exports.LABEL, ticket_exports.tickets_table)
        post_migrate.connect(load_after_migrate, sender=self)
