from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "sme.orders"
    label = "orders"
    verbose_name = _("服务订单")

    def ready(self) -> None:
        from sme.catalog import ordering, reputation
        from sme.certification import measured
        from sme.core import audit, daily, files, todos
        from sme.core import navigation as n
        from sme.exports import registry as exports
        from sme.notifications.services import register_events

        from . import exports as order_exports
        from . import permissions, selectors
        from .models import OrderFile
        from .todos import todos_for

        register_events({"orders": _("服务订单")})
        n.register(
            n.link(_("我的订单"), "orders:list", {n.ENTERPRISE}, 1, "my_business"),
            n.link(_("收到的订单"), "orders:list", {n.PROVIDER}, 2, "provider_business"),
            n.link(_("服务订单"), "orders:list", {n.OFFICER}, 4, "supervision"),
            n.link(_("订单预警"), "orders:flags", {n.OFFICER}, 5, "supervision"),
        )
        daily.register(
            "orders", "sme.orders.services.overdue.orders_daily", order=40, label=_("超时未响应的订单预警")
        )
        audit.register_actions(
            {
                # retired: order file downloads before the one download view (now "file.download")
                "order.file_download": _("下载订单文件"),
                "order.flag_overdue": _("标记订单逾期"),
                "order.rate": _("评价订单"),
                "order.rating_hide": _("隐藏评价"),
                "order.rating_reply": _("回复评价"),
                "order.rating_reply_hide": _("隐藏评价回复"),
                "order.rating_unhide": _("恢复显示评价"),
            }
        )
        files.register(OrderFile, can_read=selectors.order_file_readable)
        # the catalogue shows ratings and yearly figures without importing this app
        reputation.register(
            service_ratings=selectors.ratings_shown_with_service, provider_figures=selectors.figures_since
        )
        measured.register(selectors.certification_figures)
        # the catalogue offers 「订购此服务」 by the order service's own rule
        ordering.register(may_order=permissions.may_order)
        exports.register("orders", order_exports.LABEL, order_exports.orders_table)
        todos.register(todos_for)
