from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "sme.organizations"
    label = "organizations"
    verbose_name = _("机构")

    def ready(self) -> None:
        from sme.notifications.services import register_events

        register_events({"organizations": _("机构与成员")})
        from sme.core import navigation as n

        n.register(
            n.link(_("我的机构"), "organizations:mine", {n.ENTERPRISE}, 1, "my_enterprise"),
            n.link(_("机构信息"), "organizations:mine", {n.PROVIDER}, 1, "my_organization"),
            n.link(_("机构管理"), "organizations:list", {n.OFFICER}, 1, "review"),
        )
        from sme.core import audit

        # The workflows register their own moves: "membership.<action>", "organization_verification.<action>".
        from . import workflow  # noqa: F401

        audit.register_actions(
            {
                "organization.create": _("创建机构"),
                "organization.update": _("修改机构信息"),
            }
        )
        from sme.core import todos

        from .todos import todos_for

        todos.register(todos_for)
        from sme.exports import registry

        from .exports import KIND, LABEL, organizations_table

        registry.register(KIND, LABEL, organizations_table)
