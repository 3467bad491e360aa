"""The landing page in Chromium: the officers' figures drawn as charts beside their to-dos (on a
laptop and on a phone), and the navigation bar on one line on a 1366 px laptop in English, for
every role."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from sme.browser_tests.test_assessment import log_in
from sme.core import clock
from sme.stats.services import figures_rebuild
from sme.stats.tests import rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["enterprise_owner", "provider_user", "district_officer", "city_officer", "expert", "admin_user"]

# Every entry of the bar (brand, links, drop-downs, language, notifications, user, sign out) with
# its box: on one line they share a middle and none is taller than one line of text.
BAR_ENTRIES = """() => {
  const nav = document.querySelector('nav.navbar');
  const shown = [...nav.querySelectorAll('.navbar-brand, .nav-link, .navbar-text, form .btn')]
    .filter(e => e.offsetParent !== null);
  return {
    height: nav.getBoundingClientRect().height,
    entries: shown.map(e => {
      const r = e.getBoundingClientRect();
      return {text: e.textContent.trim().slice(0, 30), middle: r.top + r.height / 2, height: r.height,
              right: r.right};
    }),
    width: document.documentElement.clientWidth,
  };
}"""


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}])
@pytest.mark.parametrize("who", ROLES)
def test_the_english_navbar_is_one_line_at_1366(page: Page, request, viewport, who, screenshot):
    user = request.getfixturevalue(who)
    log_in(page, user.username)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("dashboard-heading")).to_have_text("Dashboard")
    screenshot("navbar")
    bar = page.evaluate(BAR_ENTRIES)
    middles = [e["middle"] for e in bar["entries"]]
    assert len(bar["entries"]) >= 5
    assert max(middles) - min(middles) <= 4, f"entries on more than one line: {bar['entries']}"
    tall = [e for e in bar["entries"] if e["height"] > 42]
    assert not tall, f"entries wrapped inside: {tall}"
    assert bar["height"] <= 64, bar
    assert max(e["right"] for e in bar["entries"]) <= bar["width"]
    # what the bar leaves out at this width is still there for those who look: the role in the
    # tooltip, the notifications link named
    with translation.override("en"):
        role = str(user.get_role_display())
    expect(page.get_by_test_id("current-user")).to_have_attribute("title", f"{user.display_name} · {role}")
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 768}])
def test_the_chinese_navbar_stays_one_line_and_the_phone_menu_names_everything(
    page: Page, viewport, city_officer
):
    log_in(page, city_officer.username)
    bar = page.evaluate(BAR_ENTRIES)
    middles = [e["middle"] for e in bar["entries"]]
    assert max(middles) - min(middles) <= 4, bar["entries"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="展开导航").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("市级主管部门")
    expect(page.get_by_test_id("notification-badge")).to_contain_text("通知")


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["laptop", "phone"]
)
def test_a_district_officer_sees_the_figures_of_the_district_as_charts(
    page: Page, viewport, district_officer, wanzhou, screenshot
):
    for size_class in ("small", "small", "micro", "medium"):
        rows.enterprise(wanzhou, size_class, verified=True)
    provider = rows.provider(wanzhou)
    rows.service(provider)
    rows.closed_ticket(provider, rows.moment(clock.today()), on_time=True)
    figures_rebuild()
    log_in(page, district_officer.username)
    figures = page.get_by_test_id("figures")
    expect(figures).to_contain_text("万州区数据概览")
    expect(page.get_by_test_id("figure-catalog.published")).to_contain_text("1")
    for key in (
        "enterprises.size_class",
        "organizations.verified",
        "tickets.on_time",
        "assessment.miit_levels",
    ):
        chart = page.locator(f'[data-figure="{key}"]')
        expect(chart).to_have_attribute("data-rendered", "true")
        box = chart.locator("canvas").bounding_box()
        assert box is not None and box["width"] > 150 and box["height"] > 150, key
    todo = page.get_by_test_id("todo-empty").or_(page.get_by_test_id("todo-list"))
    expect(todo).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], "nothing runs past the screen"
    screenshot("figures")
