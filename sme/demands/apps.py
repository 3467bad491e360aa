from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "sme.demands"
    label = "demands"
    verbose_name = _("需求对接")

    def ready(self) -> None:
        from sme.notifications.services import register_events

        register_events({"demands": _("需求对接")})
        from sme.core import navigation as n

        n.register(
            n.link(_("我的需求"), "demands:mine", {n.ENTERPRISE}, 2, "my_business"),
            n.link(_("需求大厅"), "demands:list", {n.PROVIDER}, 3, "provider_business"),
            n.link(_("需求对接"), "demands:list", {n.OFFICER}, 6, "supervision"),
        )
        from sme.core import audit, daily

        daily.register(
            "demands", "sme.demands.services.daily.demands_daily", order=20, label=_("截止的需求自动关闭")
        )

        audit.register_actions(
            {
                "demand.hide": _("隐藏需求"),
                "demand.unhide": _("恢复显示需求"),
                "demand_proposal.revise": _("修改响应方案"),
                "demand_proposal.shortlist": _("列入候选方案"),
                "demand_proposal.unshortlist": _("移出候选方案"),
            }
        )
        from sme.core import todos
        from sme.exports import registry as exports

        from . import exports as demand_exports
        from .todos import todos_for

        todos.register(todos_for)
        exports.register("demands", demand_exports.LABEL, demand_exports.demands_table)
