"""The officers' Excel export of the order list (``sme.exports``, registered in ``apps.py``): the list
page's filters (``forms.parse_list_filters``) on the list page's selector (``selectors.order_list``,
which applies the officer's scope), so the workbook holds exactly the filtered view.

Cells as officials read them: order numbers and credit codes as text, times and dates as dates (the
platform's spreadsheet writer), sums as numbers in 元 (the unit in the header), yes/no in words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core import clock
from sme.core.errors import NotAllowed
from sme.core.spreadsheets import Money
from sme.exports.registry import Table

from . import selectors
from .forms import describe_list_filters, parse_list_filters
from .models import Order, OrderStatus
from .permissions import oversees_orders

LABEL = gettext_lazy("服务订单")
HEADER = (
    gettext_lazy("订单号"),
    gettext_lazy("服务名称"),
    gettext_lazy("服务类别"),
    gettext_lazy("企业"),
    gettext_lazy("企业统一社会信用代码"),
    gettext_lazy("企业所在区县"),
    gettext_lazy("服务机构"),
    gettext_lazy("服务机构统一社会信用代码"),
    gettext_lazy("服务机构所在区县"),
    gettext_lazy("数量"),
    gettext_lazy("约定价格（元）"),
    gettext_lazy("状态"),
    gettext_lazy("下单时间"),
    gettext_lazy("应答复日期"),
    gettext_lazy("超时未答复"),
    gettext_lazy("应交付日期"),
    gettext_lazy("完成时间"),
    gettext_lazy("按时交付"),
)
CHUNK = 2000


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("是") if value else _("否")


def _row(order: Order, today: Any) -> Sequence[Any]:
    waiting_late = (
        order.status == OrderStatus.SUBMITTED and order.respond_by is not None and order.respond_by < today
    )
    return (
        order.number,
        order.title,
        order.category.name if order.category else "",
        order.enterprise.name,
        order.enterprise.uscc,
        order.enterprise_district.name,
        order.provider.name,
        order.provider.uscc,
        order.provider_district.name,
        order.quantity,
        Money(order.agreed_price),
        str(order.get_status_display()),
        order.submitted_at,
        order.respond_by,
        _yes_no(waiting_late),
        order.deliver_by,
        order.completed_at,
        _yes_no(order.delivered_on_time),
    )


def orders_table(user: Any, params: Mapping[str, str]) -> Table:
    """The order list of an officer (district, city, administrator) with ``params`` as its filters."""
    if not oversees_orders(user):
        raise NotAllowed(_("只有主管部门可以导出订单。"))
    _form, chosen = parse_list_filters(params)
    orders = selectors.order_list(user, **chosen).select_related("enterprise_district")
    today = clock.today()

    def rows() -> Iterator[Sequence[Any]]:
        for order in orders.iterator(chunk_size=CHUNK):
            yield _row(order, today)

    return Table(
        title=LABEL,
        header=[str(h) for h in HEADER],
        count=orders.count(),
        rows=rows,
        description=describe_list_filters(chosen),
    )
