"""A district officer of 万州区 imports a registry .xlsx whose industry codes are written the way
registry and tax exports write them (``C3411``, ``I6513``, ``F5123``, ``I65``), in Chromium: the rows
are imported, the one with a letter that does not match its code is refused with the right spelling,
and the enterprises show in the list and on their pages with the 小类 and its name.

Run with ``make test-browser`` (or ``pytest -m browser sme/browser_tests/test_enterprise_import.py``).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.conf import settings
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from sme.organizations import uscc
from sme.organizations.models import Organization
from sme.testing.factories import TEST_PASSWORD, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = dt.date.today().year - 1
_rng = random.Random(341165)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def registry_file(path) -> dict[str, str]:
    """A registry export as officers get it: a title row, then the header, codes with their letters."""
    rows = {
        "重庆万州锅炉制造有限公司": "C3411",
        "重庆万州应用软件有限公司": "I6513",
        "重庆万州果蔬批发有限公司": "F5123",
        "重庆万州信息技术有限公司": "I65",
        "重庆万州字母写错有限公司": "C65",
    }
    wb = Workbook()
    ws = wb.active
    ws.append([f"{YEAR}年万州区企业名录"])
    ws.append(
        [
            "统一社会信用代码",
            "企业名称",
            "所在区县",
            "国民经济行业代码",
            "从业人员",
            "营业收入（万元）",
            "资产总额（万元）",
            "年度",
        ]
    )
    for name, code in rows.items():
        ws.append([uscc.make("500101", rng=_rng), name, "万州区", code, 50, 1500, 800, YEAR])
    wb.save(path)
    return rows


def test_a_district_officer_imports_letter_prefixed_industry_codes(page: Page, tmp_path, wanzhou, screenshot):
    officer("district_officer", wanzhou, username="officer_wz_import")
    path = tmp_path / "万州区企业名录.xlsx"
    rows = registry_file(path)

    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill("officer_wz_import")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    page.goto("/enterprises/imports/")
    page.get_by_label("名录文件").set_input_files(str(path))
    page.get_by_role("button", name="上传").click()
    mapping = page.get_by_test_id("mapping-form")
    expect(mapping).to_be_visible()
    expect(page.get_by_test_id("preview")).to_contain_text("C3411")
    expect(page.get_by_label("行业代码（GB/T 4754-2017）")).to_have_value("3")  # the 4th column
    screenshot("mapping")
    page.get_by_test_id("start-import").click()

    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-status", "done")
    counts = page.get_by_test_id("import-counts")
    expect(counts.locator('[data-count="inserted"]')).to_have_text("4")
    expect(counts.locator('[data-count="failed"]')).to_have_text("1")
    expect(page.get_by_test_id("import-report")).to_be_visible()
    expect(page.get_by_test_id("earlier-import")).to_have_count(0)
    screenshot("imported")

    stored = dict(Organization.objects.values_list("name", "enterprise_profile__industry_code"))
    assert stored == {
        "重庆万州锅炉制造有限公司": "3411",
        "重庆万州应用软件有限公司": "6513",
        "重庆万州果蔬批发有限公司": "5123",
        "重庆万州信息技术有限公司": "65",
    }
    assert set(stored) == set(rows) - {"重庆万州字母写错有限公司"}

    page.goto("/enterprises/")
    table = page.get_by_test_id("enterprise-table")
    for name in stored:
        expect(table).to_contain_text(name)
    table.get_by_role("link", name="重庆万州锅炉制造有限公司").click()
    expect(page.get_by_test_id("industry")).to_contain_text(
        "341 锅炉及原动设备制造 › 3411 锅炉及辅助设备制造"
    )
    expect(page.get_by_test_id("size-class")).to_contain_text("小型企业")
    expect(page.get_by_test_id("size-reasons")).to_contain_text(
        "行业代码 3411（锅炉及辅助设备制造）属于第2组“工业”"
    )
    screenshot("enterprise")
    assert settings.LANGUAGE_CODE == "zh-hans"
