"""The officers' Excel export of the 诉求 list (``sme.exports``, registered in ``apps.py``): the list
page's filters (``forms.parse_list_filters``) on the list page's selector (``selectors.ticket_list``,
which applies the officer's scope), so the workbook holds exactly the filtered view.

Cells as officials read them: numbers and credit codes as text, times and dates as dates (the
platform's spreadsheet writer), yes/no in words, type names in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core import clock
from sme.core.errors import NotAllowed
from sme.exports.registry import Table

from . import selectors
from .forms import describe_list_filters, parse_list_filters
from .models import Ticket
from .permissions import oversees_tickets

LABEL = gettext_lazy("企业诉求")
HEADER = (
    gettext_lazy("诉求编号"),
    gettext_lazy("诉求类型"),
    gettext_lazy("标题"),
    gettext_lazy("企业"),
    gettext_lazy("企业统一社会信用代码"),
    gettext_lazy("所投诉服务机构"),
    gettext_lazy("所投诉订单号"),
    gettext_lazy("承办区县"),
    gettext_lazy("办理层级"),
    gettext_lazy("承办人"),
    gettext_lazy("状态"),
    gettext_lazy("提交时间"),
    gettext_lazy("应受理日期"),
    gettext_lazy("应答复日期"),
    gettext_lazy("应办结日期"),
    gettext_lazy("当前超时"),
    gettext_lazy("上报市级时间"),
    gettext_lazy("办结时间"),
    gettext_lazy("按时办结"),
    gettext_lazy("办理评价（星）"),
    gettext_lazy("是否满意"),
)
CHUNK = 2000


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("是") if value else _("否")


def _row(ticket: Ticket, today: dt.date) -> Sequence[Any]:
    return (
        ticket.number,
        ticket.ticket_type.display_name,
        ticket.subject,
        ticket.enterprise.name,
        ticket.enterprise.uscc,
        ticket.provider.name if ticket.provider else "",
        ticket.order.number if ticket.order else "",
        ticket.district.name,
        str(ticket.get_handling_level_display()),
        ticket.assigned_officer.display_name if ticket.assigned_officer else "",
        str(ticket.get_status_display()),
        ticket.filed_at,
        ticket.acknowledge_due,
        ticket.answer_due,
        ticket.close_due,
        _yes_no(ticket.is_overdue(today)) if ticket.is_open else "",
        ticket.escalated_at,
        ticket.closed_at,
        _yes_no(ticket.closed_on_time),
        ticket.satisfaction_stars,
        _yes_no(ticket.satisfied),
    )


def tickets_table(user: Any, params: Mapping[str, str]) -> Table:
    """The 诉求 list of an officer (district, city, administrator) with ``params`` as its filters."""
    if not oversees_tickets(user):
        raise NotAllowed(_("只有主管部门可以导出企业诉求。"))
    _form, chosen = parse_list_filters(params)
    today = clock.today()
    tickets = selectors.ticket_list(user, **chosen, today=today).select_related("order")

    def rows() -> Iterator[Sequence[Any]]:
        for ticket in tickets.iterator(chunk_size=CHUNK):
            yield _row(ticket, today)

    return Table(
        title=LABEL,
        header=[str(h) for h in HEADER],
        count=tickets.count(),
        rows=rows,
        description=describe_list_filters(chosen),
    )
