from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "sme.enterprises"
    label = "enterprises"
    verbose_name = _("企业")

    def ready(self) -> None:
        from sme.notifications.services import register_events

        register_events({"enterprises": _("企业名录与导入")})
        from sme.core import navigation as n

        n.register(
            n.link(_("企业档案"), "enterprises:mine", {n.ENTERPRISE}, 2, "my_enterprise"),
            n.link(_("企业名录"), "enterprises:list", {n.OFFICER}, 1, "supervision"),
            n.link(_("企业规模划型"), "size-class-tool", {n.ANONYMOUS}, 3, "tools"),
            n.link(_("企业规模划型"), "size-class-tool", {n.SIGNED_IN}, 6, "public"),
        )
        from sme.core import audit

        audit.register_actions(
            {
                "enterprise.figures_set": _("填报企业规模指标"),
                "enterprise.import_update": _("导入更新企业信息"),
                "enterprise.profile_update": _("修改企业信息"),
                "enterprise.reclassify_all": _("重新划型全部企业"),
                "enterprise_import.run": _("执行企业导入"),
                "enterprise_import.upload": _("上传企业导入文件"),
            }
        )
        from sme.exports import registry

        from .exports import KIND, LABEL, enterprises_table

        registry.register(KIND, LABEL, enterprises_table)
        from .loader import load_after_migrate

        post_migrate.connect(load_after_migrate, sender=self)
