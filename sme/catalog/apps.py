from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "sme.catalog"
    label = "catalog"
    verbose_name = _("服务目录")

    def ready(self) -> None:
        from sme.core import audit, files, todos
        from sme.core import navigation as n
        from sme.notifications.services import register_events

        from .loader import load_after_migrate
        from .models import ServiceAttachment, ServiceCategory
        from .search import connect_signals
        from .selectors import attachment_readable, forget_categories
        from .todos import todos_for

        register_events({"catalog": _("服务审核与发布")})
        n.register(
            n.link(_("服务目录"), "catalog:index", {n.ANONYMOUS, n.ENTERPRISE}, 10),
            n.link(_("服务目录"), "catalog:index", {n.PROVIDER}, 40),
            n.link(_("我的服务"), "catalog:mine", {n.PROVIDER}, 1, "provider_business"),
            n.link(_("服务审核"), "catalog:review", {n.OFFICER}, 3, "review"),
        )
        audit.register_actions(
            {
                "catalog_service.attachment_add": _("添加服务附件"),
                "catalog_service.attachment_remove": _("删除服务附件"),
                "catalog_service.create": _("新建服务"),
                "catalog_service.save_draft": _("保存服务草稿"),
                "catalog.category_save": _("保存服务类别"),
                "catalog.category_delete": _("删除服务类别"),
                "catalog.subsidy_cap_save": _("保存补贴上限"),
                "catalog.subsidy_cap_delete": _("删除补贴上限"),
            }
        )
        files.register(ServiceAttachment, can_read=attachment_readable)
        todos.register(todos_for)
        connect_signals()
        post_migrate.connect(load_after_migrate, sender=self)
        # an edit in the admin shows at once in this process, within a minute in the others
        post_save.connect(forget_categories, sender=ServiceCategory, dispatch_uid="catalog_forget_categories")
        post_delete.connect(
            forget_categories, sender=ServiceCategory, dispatch_uid="catalog_forget_categories"
        )
