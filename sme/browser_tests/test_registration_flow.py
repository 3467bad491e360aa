"""The issue's scenario, end to end in Chromium: an enterprise registers with a wrong credit code and is
told in Chinese what is wrong, corrects it, is verified (or sent back and resubmits) by the officer of
万州区, and lands on the right page. Plus the login lock-out and a phone-size dashboard.

Run with ``make test-browser`` (or ``pytest -m browser sme/browser_tests``).
"""

from __future__ import annotations

import random
import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from sme.accounts.models import User
from sme.organizations import uscc
from sme.organizations.models import Organization
from sme.testing.factories import TEST_PASSWORD, OrganizationFactory, UserFactory, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = re.compile(r"/dashboard/$")
NEW_PASSWORD = "Blue-Sky-2026!"
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


# --- helpers -------------------------------------------------------------------------------------------


def log_in(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录", exact=True).first).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)


def expect_styled(page: Page) -> None:
    """Bootstrap and site.css were served (by the live server's static files handler) and applied."""
    navbar = page.locator("nav.navbar")
    expect(navbar).to_have_css("background-color", BOOTSTRAP_PRIMARY)
    expect(page.locator("body")).to_have_css("font-family", re.compile("Noto Sans CJK SC"))


def wrong_check_character(code: str) -> str:
    """``code`` with its 18th character replaced by another character of the credit-code charset."""
    wrong = uscc.CHARSET[(uscc.VALUE[code[-1]] + 1) % len(uscc.CHARSET)]
    return code[:-1] + wrong


def fill_registration(page: Page, data: dict[str, str]) -> None:
    page.get_by_role("radio", name="企业", exact=True).check()
    page.get_by_role("radio", name="注册新机构").check()
    for name, value in data.items():
        if name == "district":
            page.locator("#id_district").select_option(label=value)
        else:
            page.locator(f"#id_{name}").fill(value)


# --- the scenario of the issue ---------------------------------------------------------------------


def test_enterprise_registers_fixes_code_is_verified_and_lands_on_its_page(page: Page, screenshot, wanzhou):
    good_code = uscc.make("500101", rng=random.Random(20260101))
    bad_code = wrong_check_character(good_code)
    assert not uscc.check(bad_code).valid
    data = {
        "uscc": bad_code,
        "name": "重庆万州云帆科技有限公司",
        "legal_representative": "王磊",
        "district": "万州区",
        "address": "重庆市万州区太白路88号",
        "contact_name": "王磊",
        "contact_phone": "023-58000000",
        "username": "yunfan_wz",
        "real_name": "王磊",
        "mobile": "13800138001",
        "email": "wanglei@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    users_before, orgs_before = User.objects.count(), Organization.objects.count()

    # 1. The registration page, in Chinese, styled.
    page.goto("/accounts/register/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="企业 / 服务机构注册")).to_be_visible()
    expect_styled(page)
    fill_registration(page, data)
    # While typing, the live check (htmx) already explains the code and marks the wrong character.
    live = page.locator("#uscc-live")
    expect(live.get_by_test_id("uscc-errors")).to_contain_text("第18位（校验码）应为")
    expect(live.locator(".uscc-char-bad")).to_have_text(bad_code[-1])
    expect(live).to_contain_text("万州区")
    screenshot("register-filled")

    # 2. A wrong check character: the form comes back with the reason beside the credit-code field.
    page.get_by_test_id("register-submit").click()
    error = page.locator("#row-uscc").get_by_test_id("error-uscc")
    expect(error).to_contain_text("第18位（校验码）应为")
    expect(error).to_contain_text(f"应为 {good_code[-1]}，而不是 {bad_code[-1]}")
    expect(page.locator("#id_uscc")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator(".invalid-feedback")).to_have_count(1)  # nothing else was wrong
    expect(page.locator("#id_uscc")).to_have_value(bad_code)
    expect(page.locator("#id_name")).to_have_value(data["name"])
    expect(page.locator("#id_password1")).to_have_value("")  # passwords are not sent back
    screenshot("register-wrong-code")
    assert User.objects.count() == users_before
    assert Organization.objects.count() == orgs_before
    assert not User.objects.filter(username=data["username"]).exists()
    assert not Organization.objects.filter(uscc__in=[bad_code, good_code]).exists()

    # 3. Corrected: registered, logged in, on the dashboard with the pending verification as a to-do.
    page.locator("#id_uscc").fill(good_code)
    expect(page.locator("#uscc-live").get_by_test_id("uscc-result")).to_have_attribute("data-valid", "true")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_test_id("register-submit").click()
    expect(page).to_have_url(DASHBOARD)
    expect(page.get_by_test_id("dashboard-heading")).to_have_text("工作台")
    expect(page.get_by_role("alert").filter(has_text="注册成功")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("王磊")
    expect(page.get_by_test_id("current-user")).to_contain_text("企业用户")
    expect(page.get_by_test_id("todo-list")).to_contain_text("机构认证审核中")
    expect(page.get_by_test_id("todo-list")).to_contain_text(data["name"])
    screenshot("enterprise-dashboard-pending")
    org = Organization.objects.get(uscc=good_code)
    assert (org.name, org.district_id, org.verification_status) == (data["name"], wanzhou.pk, "pending")
    assert User.objects.get(username=data["username"]).role == "enterprise"
    log_out(page)

    # 4. The district officer of 万州区 sees it waiting, opens it and verifies it.
    officer("district_officer", wanzhou, username="officer_wz_e2e", real_name="刘审核")
    log_in(page, "officer_wz_e2e")
    expect(page).to_have_url(DASHBOARD)
    expect(page.get_by_test_id("current-user")).to_contain_text("区县主管部门")
    todo = page.get_by_test_id("todo-list").get_by_role("link").filter(has_text="机构认证待审核")
    expect(todo.locator(".badge")).to_have_text("1")
    screenshot("officer-dashboard")
    todo.click()
    expect(page.get_by_test_id("organization-table")).to_contain_text(good_code)
    page.get_by_test_id("organization-table").get_by_role("link", name=data["name"]).click()
    expect(page.get_by_role("heading", name=data["name"])).to_be_visible()
    expect(page.get_by_test_id("verification-status")).to_have_text("待审核")
    page.get_by_test_id("action-verify").click()
    expect(page.get_by_test_id("verification-status")).to_have_text("已认证")
    expect(page.get_by_role("alert").filter(has_text="已认证通过")).to_be_visible()
    expect(page.get_by_test_id("action-verify")).to_have_count(0)
    screenshot("officer-verified")
    org.refresh_from_db()
    assert org.verification_status == "verified"
    log_out(page)

    # 5. The enterprise user logs in again: the enterprise landing page, nothing pending any more.
    log_in(page, data["username"], NEW_PASSWORD)
    expect(page).to_have_url(DASHBOARD)
    expect(page.get_by_test_id("dashboard-heading")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("企业用户")
    expect(page.locator("main")).not_to_contain_text("机构认证审核中")
    screenshot("enterprise-dashboard-verified")
    page.goto("/organizations/mine/")
    expect(page.get_by_test_id("verification-status")).to_have_text("已认证")


def test_rejected_enterprise_edits_and_resubmits(page: Page, screenshot, wanzhou):
    owner = UserFactory(username="qiye_bh", role="enterprise", real_name="赵敏")
    org = OrganizationFactory.create(
        district=wanzhou, owner=owner, name="重庆万州百禾农业有限公司", address="万州区某路"
    )
    officer("district_officer", wanzhou, username="officer_wz_e2e")
    reason = "地址不完整，请补充门牌号。"

    # The officer sends it back with a reason.
    log_in(page, "officer_wz_e2e")
    expect(page).to_have_url(DASHBOARD)
    page.goto(f"/organizations/{org.pk}/")
    expect(page.get_by_test_id("verification-status")).to_have_text("待审核")
    note = page.get_by_label("退回理由")
    page.get_by_test_id("action-reject").click()  # without a reason: the browser refuses (required)
    assert note.evaluate("el => el.validity.valueMissing")
    expect(page.get_by_test_id("verification-status")).to_have_text("待审核")
    note.fill(reason)
    page.get_by_test_id("action-reject").click()
    expect(page.get_by_test_id("verification-status")).to_have_text("已退回")
    expect(page.get_by_test_id("history")).to_contain_text(reason)
    screenshot("officer-rejected")
    log_out(page)

    # The enterprise user sees the reason on the dashboard and on the organization's page.
    log_in(page, "qiye_bh")
    expect(page).to_have_url(DASHBOARD)
    todo = page.get_by_test_id("todo-list").get_by_role("link").filter(has_text="机构认证被退回")
    expect(todo).to_contain_text(reason)
    screenshot("enterprise-dashboard-rejected")
    todo.click()
    expect(page.get_by_test_id("rejection")).to_contain_text(reason)
    expect(page.get_by_test_id("verification-status")).to_have_text("已退回")

    # ... fixes the address, then resubmits.
    page.get_by_role("link", name="修改信息").click()
    expect(page.get_by_role("heading", name="修改机构信息")).to_be_visible()
    page.locator("#id_address").fill("重庆市万州区高笋塘路18号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="机构信息已保存")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("重庆市万州区高笋塘路18号")
    expect(page.get_by_test_id("verification-status")).to_have_text("已退回")
    page.get_by_test_id("action-resubmit").click()
    expect(page.get_by_test_id("verification-status")).to_have_text("待审核")
    expect(page.get_by_role("alert").filter(has_text="已重新提交")).to_be_visible()
    expect(page.get_by_test_id("rejection")).to_have_count(0)
    screenshot("enterprise-resubmitted")
    org.refresh_from_db()
    assert (org.verification_status, org.address) == ("pending", "重庆市万州区高笋塘路18号")

    page.goto("/dashboard/")
    expect(page.get_by_test_id("todo-list")).to_contain_text("机构认证审核中")
    expect(page.get_by_test_id("todo-list")).not_to_contain_text("机构认证被退回")


# --- login lock-out --------------------------------------------------------------------------------


def test_login_locks_after_repeated_wrong_passwords(page: Page, screenshot):
    UserFactory(username="locky", real_name="孙锁")
    limit = settings.LOGIN_FAILURE_LIMIT
    errors = page.get_by_test_id("form-errors")
    for attempt in range(1, limit + 1):
        log_in(page, "locky", "Wrong-Pass-0000")
        if attempt < limit:
            expect(errors).to_contain_text(f"再输错{limit - attempt}次")
    expect(errors).to_contain_text("已被锁定")
    expect(page.get_by_test_id("lockout-notice")).to_be_visible()
    screenshot("locked")

    log_in(page, "locky")  # the right password, while locked
    expect(errors).to_contain_text("已被锁定")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    assert User.objects.get(username="locky").is_locked()


# --- phone size --------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["phone"])
def test_dashboard_on_a_phone(page: Page, screenshot, enterprise_owner):
    log_in(page, enterprise_owner.username)
    expect(page).to_have_url(DASHBOARD)
    expect(page.get_by_test_id("dashboard-heading")).to_be_visible()
    expect_styled(page)
    toggler = page.get_by_role("button", name="展开导航")
    expect(toggler).to_be_visible()
    logout = page.get_by_role("button", name="退出")
    expect(logout).to_be_hidden()  # collapsed behind the toggler
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
    screenshot("phone-dashboard")
    toggler.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # the slide-down has ended
    expect(logout).to_be_in_viewport()
    expect(page.get_by_test_id("current-user")).to_contain_text("企业用户")
    screenshot("phone-menu-open")
