"""The report's radar chart on a phone (390 px wide) and on a laptop: every axis name, and the
legend, lies inside the chart's box, for both questionnaires (four and six axes).

ECharts draws on a <canvas>, so the names are not in the DOM: the test asks ECharts' renderer for
the box of every text it drew (in the chart's own pixels) and compares it with the chart's size.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import DMA, MIIT, lowest_answers, questionnaire
from sme.assessment.tests.test_views import take
from sme.browser_tests.test_assessment import log_in
from sme.organizations.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN_TEXTS = """() => {
  const el = document.getElementById('radar-chart');
  const chart = echarts.getInstanceByDom(el);
  const texts = [];
  for (const shape of chart.getZr().storage.getDisplayList(true)) {
    if (!shape.style || typeof shape.style.text !== 'string' || !shape.style.text.trim()) continue;
    const box = shape.getBoundingRect().clone();
    const transform = shape.getComputedTransform();
    if (transform) box.applyTransform(transform);
    texts.push({text: shape.style.text, left: box.x, top: box.y, right: box.x + box.width,
                bottom: box.y + box.height});
  }
  return {width: el.clientWidth, height: el.clientHeight, texts};
}"""


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["phone", "laptop"]
)
@pytest.mark.parametrize("code_version", [MIIT, DMA], ids=["miit", "dma"])
def test_radar_axis_names_stay_inside_the_chart(
    page: Page, enterprise_owner, viewport, code_version, screenshot
):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    done = take(
        enterprise_owner, org, lowest_answers(instrument_for(questionnaire(code_version))), code_version
    )
    axes = [d["name"] for d in done.result["dimensions"] if d.get("percent") is not None]
    log_in(page, enterprise_owner.username)
    page.goto(f"/assessment/{done.pk}/")
    chart = page.get_by_test_id("radar-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    chart.scroll_into_view_if_needed()
    screenshot("radar")
    drawn = page.evaluate(DRAWN_TEXTS)
    texts = "".join(t["text"] for t in drawn["texts"])
    for name in axes:
        assert name in texts.replace("\n", ""), f"{name} is not drawn"
    outside = [
        t
        for t in drawn["texts"]
        if t["left"] < 0 or t["top"] < 0 or t["right"] > drawn["width"] or t["bottom"] > drawn["height"]
    ]
    assert not outside, f"clipped in a {drawn['width']}×{drawn['height']} chart: {outside}"
