from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sme.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from sme.core import navigation as n

        n.register(
            n.link(_("首页"), "core:home", {n.ANONYMOUS}, 0),
            n.link(_("工作台"), "core:dashboard", {n.SIGNED_IN}, 0),
            n.link(_("信用代码校验"), "uscc-tool", {n.ANONYMOUS}, 2, "tools"),
            n.link(_("信用代码校验"), "uscc-tool", {n.SIGNED_IN}, 5, "public"),
            n.link(_("审计日志"), "audit:list", {n.ADMIN}, 2, "system"),
        )
        from sme.core import audit, daily

        daily.register(
            "audit_chain", "sme.core.audit_chain.daily_check", order=900, label=_("审计日志哈希链校验")
        )

        audit.register_actions(
            {
                "access.denied": _("拒绝越权访问"),
            }
        )
        from . import checks  # noqa: F401  (registers system checks)
