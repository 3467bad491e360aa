from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sme.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from sme.core import navigation as n

        from .roles import audience_of

        n.register_audiences(audience_of)

        n.register(
            n.link(_("用户管理"), "accounts:staff-list", {n.ADMIN}, 1, "system"),
        )
        from sme.core import audit

        audit.register_actions(
            {
                "auth.locked": _("账号因多次输错密码被锁定"),
                "auth.login": _("登录"),
                "auth.login_failed": _("登录失败"),
                "auth.login_refused_locked": _("锁定期间拒绝登录"),
                "auth.logout": _("退出登录"),
                "auth.password_change": _("修改密码"),
                "auth.session_expired": _("会话超时退出"),
                "auth.token_issued": _("签发接口令牌"),
                "user.activate": _("启用账号"),
                "user.create": _("创建账号"),
                "user.deactivate": _("停用账号"),
                "user.register": _("注册账号"),
                "user.unlock": _("解除账号锁定"),
            }
        )
        from sme.core import todos

        from . import signals  # noqa: F401
        from .todos import todos_for

        todos.register(todos_for)
