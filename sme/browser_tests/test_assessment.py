"""The issue's assessment scenario in Chromium: an enterprise takes the MIIT assessment page by page
(saving a draft and resuming it), makes the truthfulness pledge, sees its level and the radar chart
drawn, and downloads the PDF report.

Run with ``.venv/bin/pytest -q -m browser sme/browser_tests/test_assessment.py``.
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from playwright.sync_api import Page, expect

from sme.assessment.models import AssessmentResponse
from sme.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENARIOS = [
    "产品设计",
    "工艺设计",
    "营销管理",
    "售后服务",
    "计划排程",
    "生产管控",
    "质量管理",
    "设备管理",
    "安全生产",
    "能耗管理",
    "采购管理",
    "仓储物流",
    "财务管理",
    "人力资源",
    "协同办公",
    "决策支持",
]


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def item(page: Page, key: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id(f"item-{key}")


def drawn_pixels(page: Page) -> int:
    """Non-transparent pixels on the chart's canvas (ECharts draws on a <canvas>)."""
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('#radar-chart canvas');
            if (!canvas) return 0;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            return n;
        }"""
    )


def test_enterprise_takes_the_miit_assessment(page: Page, screenshot, enterprise_owner):
    log_in(page, enterprise_owner.username)
    expect(page.get_by_test_id("todo-list")).to_contain_text("开展数字化水平评测")
    page.goto("/assessment/")
    expect(page.get_by_role("heading", name="数字化水平评测", exact=True)).to_be_visible()
    page.get_by_test_id("start-miit-manufacturing").click()

    # Page 1, 数字化基础. The "none" option clears the others as soon as it is ticked.
    expect(page.get_by_role("heading", name="1. 数字化基础")).to_be_visible()
    network = item(page, "network")
    network.get_by_label("办公区域实现有线或无线网络覆盖").check()
    network.get_by_label("以上均未实现").check()
    expect(network.get_by_label("办公区域实现有线或无线网络覆盖")).not_to_be_checked()
    network.get_by_label("办公区域实现有线或无线网络覆盖").check()
    expect(network.get_by_label("以上均未实现")).not_to_be_checked()
    network.get_by_label("生产区域实现网络覆盖（如工业以太网、Wi-Fi、5G）").check()  # 2 × 2 = 4
    page.get_by_label("数字化生产设备数（台/套）").fill("45")  # 45 / 100 = 45 % → 4.5
    page.get_by_label("生产设备总数（台/套）").fill("100")
    page.get_by_label("已联网的数字化设备数（台/套）").fill("20")
    page.get_by_label("数字化设备总数（台/套）").fill("45")  # 20 / 45 ≈ 44 % → 4.5
    screenshot("page-1-filled")
    page.get_by_test_id("go-save").click()
    expect(page.get_by_role("alert").filter(has_text="已保存草稿")).to_be_visible()

    # Later: back to the list, resume the draft; what was saved is still there.
    page.goto("/assessment/")
    page.get_by_test_id("resume-miit-manufacturing").click()
    expect(
        item(page, "network").get_by_label("生产区域实现网络覆盖（如工业以太网、Wi-Fi、5G）")
    ).to_be_checked()
    expect(page.get_by_label("数字化设备总数（台/套）")).to_have_value("45")
    links = item(page, "data_collection_links")
    for name in ("产品设计", "生产管控", "人力资源"):  # 0.7 + 0.7 + 0.9 = 2.3
        links.get_by_label(name, exact=True).check()
    item(page, "information_systems_coverage").get_by_label("在两个及以上业务环节使用").check()  # 5
    item(page, "network_security").get_by_label("部署防火墙、入侵防范等边界防护措施").check()
    item(page, "network_security").get_by_label("终端安装防病毒等安全软件并及时更新").check()  # 2.5
    item(page, "data_security").get_by_label("重要数据定期备份并验证可恢复").check()  # 1.25
    page.get_by_test_id("go-next").click()

    # Page 2, the 16 scenarios: every one at level 3 (rated, not scored).
    expect(page.get_by_role("heading", name="2. 数字化经营")).to_be_visible()
    for name in SCENARIOS:
        page.get_by_label(f"{name} 三级", exact=True).check()
    screenshot("page-2-scenarios")
    page.get_by_test_id("go-next").click()

    # Page 3, 数字化管理.
    expect(page.get_by_role("heading", name="3. 数字化管理")).to_be_visible()
    item(page, "plan_implementation").get_by_label("已制定书面的数字化转型规划").check()  # 3
    item(page, "management_mechanism").get_by_label("明确数字化转型的分管领导或负责部门").check()  # 1.875
    item(page, "talent").get_by_label("配备专职的信息化或数字化人员").check()
    item(page, "talent").get_by_label("定期组织员工数字技能培训").check()  # 3
    page.get_by_label("近三年年均数字化投入（万元）").fill("500")
    page.get_by_label("近三年年均营业收入（万元）").fill("2000")  # 25 % → (20%, 40%]: 3.75
    page.get_by_test_id("go-next").click()

    # Page 4, 数字化成效; then to the pledge.
    expect(page.get_by_role("heading", name="4. 数字化成效")).to_be_visible()
    item(page, "green_trend").get_by_label("改善（下降）").check()  # 7
    item(page, "quality_trend").get_by_label("改善").check()  # 7
    item(page, "market_trend").get_by_label("基本持平").check()  # 1.5
    item(page, "value_trend").get_by_label("基本持平").check()  # 1.5
    page.get_by_test_id("go-next").click()

    # The pledge is required.
    expect(page.get_by_test_id("all-answered")).to_be_visible()
    expect(page.get_by_test_id("pledge-text")).to_contain_text("如实填写")
    page.get_by_test_id("submit-response").click()
    expect(page.get_by_test_id("error-pledge")).to_contain_text("请阅读并勾选真实性承诺")
    assert AssessmentResponse.objects.get().is_draft
    page.get_by_label("我已阅读并作出以上承诺").check()
    page.get_by_test_id("submit-response").click()

    # The report: 24.05 + 11.625 + 17 = 52.675 → 二级 (40–60).
    expect(page.get_by_role("alert").filter(has_text="评测已提交")).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text("52.675")
    expect(page.get_by_test_id("level")).to_have_text("二级")
    expect(page.get_by_test_id("level-rule")).to_contain_text("二级：≥ 40 分")
    expect(page.locator("main")).not_to_contain_text("待核实")
    expect(page.get_by_test_id("dimension-foundation")).to_contain_text("24.05 / 50")
    expect(page.get_by_test_id("dimension-operations")).to_contain_text("平均 3 级")
    expect(page.get_by_test_id("t0-badge")).to_be_visible()
    chart = page.get_by_test_id("radar-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.locator("canvas").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    assert drawn_pixels(page) > 5000, "the radar chart is blank"
    expect(page.get_by_test_id("peer-district")).to_contain_text("不足5家")
    expect(page.get_by_test_id("recommendations")).to_contain_text("发展战略咨询")
    screenshot("report")
    done = AssessmentResponse.objects.get()
    assert (done.status, str(done.total), done.level_label) == ("submitted", "52.675", "二级")

    # The PDF.
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"assessment-{done.pk}-")
    data = open(download.path(), "rb").read()  # noqa: SIM115
    assert data.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "数字化水平评测报告" in text and "二级" in text and "52.675 / 100" in text
    assert "（场景等级）" in text  # an axis label of the radar chart drawn in the PDF
