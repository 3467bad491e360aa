"""The officers' Excel export of the demand list (``sme.exports``, registered in ``apps.py``): the list
page's filters (``forms.parse_officer_filters``) on the list page's selector
(``selectors.demands_in_scope``, which applies the officer's scope), so the workbook holds exactly the
filtered view.

Cells as officials read them: credit codes as text, dates as dates (the platform's spreadsheet
writer), budgets as numbers in 万元 (the unit in the header), yes/no in words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.errors import NotAllowed
from sme.core.money import WAN
from sme.core.spreadsheets import Money
from sme.exports.registry import Table

from . import selectors
from .forms import describe_officer_filters, parse_officer_filters
from .models import Demand
from .permissions import oversees_demands

LABEL = gettext_lazy("服务需求")
HEADER = (
    gettext_lazy("需求名称"),
    gettext_lazy("企业"),
    gettext_lazy("企业统一社会信用代码"),
    gettext_lazy("服务类别"),
    gettext_lazy("服务地点"),
    gettext_lazy("预算下限（万元）"),
    gettext_lazy("预算上限（万元）"),
    gettext_lazy("可见范围"),
    gettext_lazy("状态"),
    gettext_lazy("已屏蔽"),
    gettext_lazy("发布时间"),
    gettext_lazy("截止日期"),
    gettext_lazy("方案数"),
)
CHUNK = 2000


def _wan(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount / WAN


def _row(demand: Demand) -> Sequence[Any]:
    category = demand.category
    return (
        demand.title,
        demand.enterprise.name,
        demand.enterprise.uscc,
        f"{category.parent.name} · {category.name}" if category.parent_id else category.name,  # type: ignore[union-attr]
        demand.district.name,
        Money(_wan(demand.budget_min)),
        Money(_wan(demand.budget_max)),
        str(demand.get_visibility_display()),
        str(demand.get_status_display()),
        _("是") if demand.is_hidden else _("否"),
        demand.created_at,
        demand.deadline,
        getattr(demand, "proposal_count", 0),  # annotated by the selector
    )


def demands_table(user: Any, params: Mapping[str, str]) -> Table:
    """The demand list of an officer (district, city, administrator) with ``params`` as its filters."""
    if not oversees_demands(user):
        raise NotAllowed(_("只有主管部门可以导出服务需求。"))
    form, chosen = parse_officer_filters(params)
    demands = selectors.demands_in_scope(user, **chosen).select_related("category__parent")

    def rows() -> Iterator[Sequence[Any]]:
        for demand in demands.iterator(chunk_size=CHUNK):
            yield _row(demand)

    return Table(
        title=LABEL,
        header=[str(h) for h in HEADER],
        count=demands.count(),
        rows=rows,
        description=describe_officer_filters(form, chosen),
    )
