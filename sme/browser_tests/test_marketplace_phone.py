"""The marketplace lists on a phone (390 px wide, as an iPhone 12–15): the order list, and the other
lists with the same kind of table, become stacked cards, so no text cell is squeezed to a column one
or two characters wide.

Run with ``.venv/bin/pytest -q -m browser sme/browser_tests/test_marketplace_phone.py``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sme.browser_tests.test_registration_flow import log_in
from sme.orders.models import Order
from sme.orders.tests.factories import completed_order, provider_with_owner
from sme.organizations.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The narrowest a cell holding text may be, in characters of its own font size.
MIN_CHARACTERS = 4

# Each text cell of the table's body: its content width (padding excluded) in its font's em.
CELL_WIDTHS = """(selector) => Array.from(document.querySelectorAll(selector + ' tbody td'))
  .filter((td) => td.innerText.trim() !== '' && td.offsetParent !== null)
  .map((td) => {
    const style = getComputedStyle(td);
    const inner = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text: td.innerText.trim().slice(0, 30), chars: inner / parseFloat(style.fontSize)};
  })"""


def too_narrow(page: Page, table: str) -> list[dict]:
    cells = page.evaluate(CELL_WIDTHS, table)
    assert cells, f"no text cells in {table}"
    return [c for c in cells if c["chars"] < MIN_CHARACTERS]


@pytest.fixture
def orders(enterprise_owner) -> list[Order]:
    """Orders of the 渝中 enterprise persona with long, real-looking names on both sides."""
    sme = Organization.objects.get(memberships__user=enterprise_owner)
    sme.name = "重庆渝中区山城智能制造科技股份有限公司"
    sme.save()
    moment = timezone.now() - dt.timedelta(days=3)
    made = []
    for i in range(3):
        provider, _owner = provider_with_owner("500101")
        provider.name = f"重庆万州三峡数字化转型服务中心第{i + 1}分公司"
        provider.save()
        order = completed_order(enterprise=sme, provider=provider, completed_at=moment)
        order.title = "财务管理软件实施与人员培训服务（含期初数据导入）"
        order.save()
        made.append(order)
    return made


@pytest.mark.parametrize("viewport", [PHONE])
def test_the_order_list_is_readable_on_a_phone(page: Page, enterprise_owner, orders, screenshot):
    log_in(page, enterprise_owner.username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto("/orders/")
    expect(page.get_by_test_id("order-row")).to_have_count(3)
    screenshot("orders-phone")
    assert too_narrow(page, '[data-testid="orders"]') == []
    # Each card still says what each value is: the column's name leads each line.
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="order-row"]:first-child td'))
          .map((td) => getComputedStyle(td, '::before').content)"""
    )
    assert '"服务机构"' in labels and '"约定价格"' in labels, labels
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}])
def test_on_a_wide_screen_the_order_list_stays_a_table(page: Page, enterprise_owner, orders):
    log_in(page, enterprise_owner.username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto("/orders/")
    expect(page.locator('[data-testid="orders"] thead')).to_be_visible()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"order-row\"]')).display")
        == "table-row"
    )


@pytest.mark.parametrize("viewport", [PHONE])
def test_the_other_marketplace_lists_are_readable_on_a_phone(
    page: Page, district_officer, orders, screenshot
):
    """The district officer of 万州区 sees the same orders, and the 诉求 and demand lists."""
    from sme.demands.tests import factories as demand_factories
    from sme.tickets.tests.factories import file_order_complaint

    owner = orders[0].enterprise.memberships.get().user
    file_order_complaint(owner, orders[0], subject="交付延误，约定的期初数据导入至今未完成")
    demand_factories.demand(
        owner, title="进销存与财务一体化系统选型与实施", district=orders[0].provider.district
    )
    log_in(page, district_officer.username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    for url, table in [
        ("/orders/", '[data-testid="orders"]'),
        ("/tickets/", '[data-testid="ticket-table"]'),
        ("/demands/", '[data-testid="demand-table"]'),
    ]:
        page.goto(url)
        screenshot(url.strip("/"))
        assert too_narrow(page, table) == [], url
