from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "sme.orders"
    label = "orders"
    verbose_name = _("服务订单")

    def ready(self) -> None:
        from sme.core import todos

        from .todos import todos_for

        todos.register(todos_for)
