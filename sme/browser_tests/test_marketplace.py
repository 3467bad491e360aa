"""The service marketplace in Chromium. An enterprise in 渝中区 finds a 万州区 provider's service by the
Chinese keyword 财务, orders it, the provider accepts, starts and delivers it with a note and a PDF, the
enterprise confirms and rates it, and the rating shows on the public service page. And a demand posted
by an enterprise, answered by two providers, one of whose proposals is accepted: it becomes an order
already accepted at the proposal's price, and the other provider sees its proposal was not selected.

The services, people and organizations are set up with the apps' own services and factories; every step
the scenario names is done on the real pages.

Run with ``.venv/bin/pytest -q -m browser sme/browser_tests/test_marketplace.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sme.browser_tests.test_registration_flow import log_in, log_out
from sme.catalog.models import Service, ServiceCategory
from sme.catalog.tests.factories import published_service
from sme.core.models import AuditLog
from sme.demands.models import Demand, DemandStatus, Proposal, ProposalStatus
from sme.demands.tests.factories import provider
from sme.orders.models import Order, OrderStatus, Rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = re.compile(r"/dashboard/$")
ORDER_PAGE = re.compile(r"/orders/(\d+)/$")
FINANCE_TITLE = "财务管理软件实施服务"
TESTING_TITLE = "工业产品检验检测服务"
# The order pages format money with their own filter ("8,000.00元", "52,500.00元") where the catalogue
# and demand pages use sme.core.money ("8,000 元", "5.25 万元"); accept either on the order pages.
ORDER_8000 = re.compile(r"^\s*8,000(\.00)? ?元\s*$")
ORDER_52500 = re.compile(r"^\s*(52,500(\.00)? ?元|5\.25 ?万元)\s*$")


def sign_in(page: Page, username: str) -> None:
    log_in(page, username)
    expect(page).to_have_url(DASHBOARD)


def small_pdf(path: Path) -> Path:
    """A real one-page PDF (pypdf writes it), small enough for any upload limit."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "交付报告"})
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


# --- 1. find by a Chinese keyword, order, deliver, confirm, rate ---------------------------------------


@pytest.fixture
def catalogue(enterprise_owner, provider_user, district_officer, wanzhou, yuzhong):
    """Two services of the 万州 provider serving 万州区 and 渝中区, published through the catalogue's own
    workflow (so the search index is real): the finance one that 财务 must find, and one that shares no
    word with it."""
    served = [wanzhou.pk, yuzhong.pk]
    finance = published_service(provider_user, district_officer, district_ids=served)
    testing = published_service(
        provider_user,
        district_officer,
        district_ids=served,
        title=TESTING_TITLE,
        category=ServiceCategory.objects.get(key="testing").pk,
        summary="对机械零部件开展尺寸与强度检验",
        content="按国家标准抽样检验机械零部件，出具检验报告。",
        deliverables="检验报告",
        quality_standard="GB/T 2828.1 抽样检验",
        fee_amount="3000",
    )
    assert finance.title == FINANCE_TITLE and finance.status == "published"
    assert testing.status == "published"
    return {"finance": finance, "testing": testing}


def test_an_sme_finds_orders_and_rates_a_service(
    page: Page, screenshot, catalogue, enterprise_owner, provider_user, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    finance: Service = catalogue["finance"]
    pdf = small_pdf(tmp_path / "交付报告.pdf")

    # The enterprise searches the catalogue for 财务: the finance service, not the testing one.
    sign_in(page, enterprise_owner.username)
    page.goto("/catalog/")
    results = page.get_by_test_id("catalog-results")
    expect(results.get_by_role("link", name=TESTING_TITLE)).to_be_visible()
    page.get_by_role("searchbox", name="关键词").fill("财务")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=%E8%B4%A2%E5%8A%A1"))
    expect(results.get_by_role("link", name=FINANCE_TITLE)).to_be_visible()
    expect(results.get_by_role("link", name=TESTING_TITLE)).to_have_count(0)
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    screenshot("search-results")

    # Its page shows the five disclosures; order it: the form, then the confirmation with the price.
    results.get_by_role("link", name=FINANCE_TITLE).click()
    expect(page.get_by_test_id("service-title")).to_have_text(FINANCE_TITLE)
    expect(page.get_by_test_id("provider-link")).to_have_text("重庆万州测试服务有限公司")
    expect(page.get_by_test_id("service-fee")).to_contain_text("8,000 元")
    page.get_by_test_id("order-button").click()
    expect(page).to_have_url(re.compile(rf"/orders/new/{finance.pk}/$"))
    form = page.get_by_test_id("order-form")
    form.get_by_label("需求说明").fill("全公司12名员工，需要在月底前完成财务软件上线。")
    form.get_by_label("联系人").fill("陈静")
    form.get_by_label("联系电话").fill("13800001234")
    page.get_by_test_id("preview-order").click()
    expect(page.get_by_test_id("quote-price")).to_have_text(ORDER_8000)
    screenshot("order-confirmation")
    page.get_by_test_id("confirm-order").click()
    expect(page).to_have_url(ORDER_PAGE)
    order = Order.objects.get(service=finance)
    expect(page.get_by_role("alert").filter(has_text=order.number)).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("待接单")
    expect(page.get_by_test_id("agreed-price")).to_have_text(ORDER_8000)
    page.goto("/orders/")
    expect(page.get_by_test_id("order-row").filter(has_text=order.number)).to_contain_text("待接单")
    log_out(page)

    # The provider accepts, starts and delivers, with a note and a PDF.
    sign_in(page, provider_user.username)
    page.goto("/orders/")
    page.get_by_role("link", name=order.number).click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))
    expect(page.get_by_test_id("agreement")).to_contain_text("月底前完成财务软件上线")
    page.get_by_test_id("action-accept").click()
    expect(page.get_by_test_id("status")).to_have_text("已接单")
    page.get_by_test_id("action-start").click()
    expect(page.get_by_test_id("status")).to_have_text("服务中")
    page.get_by_label("交付说明").fill("财务系统已上线，期初数据已导入，培训记录见附件。")
    page.get_by_label("交付文件（选填，可多选）").set_input_files(str(pdf))
    page.get_by_test_id("action-deliver").click()
    expect(page.get_by_test_id("status")).to_have_text("待验收")
    expect(page.get_by_test_id("delivery-note")).to_contain_text("期初数据已导入")
    expect(page.get_by_test_id("files")).to_contain_text("交付报告.pdf")
    screenshot("delivered")
    log_out(page)

    # The enterprise downloads the delivered file, confirms, and rates the service.
    sign_in(page, enterprise_owner.username)
    page.goto(f"/orders/{order.pk}/")
    download = page.request.get(
        page.get_by_test_id("files").get_by_role("link", name="交付报告.pdf").get_attribute("href") or ""
    )
    assert download.ok and download.body().startswith(b"%PDF-")
    page.get_by_test_id("action-confirm").click()
    expect(page.get_by_test_id("status")).to_have_text("已完成")
    rating_form = page.get_by_test_id("rating-form")
    rating_form.get_by_label("服务质量").select_option("5")
    rating_form.get_by_label("及时性").select_option("4")
    rating_form.get_by_label("服务态度").select_option("5")
    rating_form.get_by_label("满意", exact=True).check()
    rating_form.get_by_label("评价内容").fill("实施顾问专业负责，培训细致，系统已正常使用。")
    page.get_by_test_id("submit-rating").click()
    expect(page.get_by_role("alert").filter(has_text="感谢您的评价")).to_be_visible()
    expect(page.get_by_test_id("rating")).to_contain_text("实施顾问专业负责")
    expect(page.get_by_test_id("rating-form")).to_have_count(0)
    log_out(page)

    # Anyone sees the rating on the public service page.
    page.goto(f"/catalog/services/{finance.pk}/")
    expect(page.get_by_test_id("rating-summary")).to_contain_text("平均 4.7 分，共 1 条评价")  # (5+4+5)/3
    public_rating = page.get_by_test_id("rating")
    expect(public_rating).to_have_count(1)
    expect(public_rating).to_contain_text("实施顾问专业负责")
    expect(public_rating).to_contain_text("质量 5 · 及时 4 · 态度 5")
    expect(public_rating).to_contain_text("满意")
    screenshot("public-rating")

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.agreed_price == 8000
    assert order.snapshot["title"] == FINANCE_TITLE
    assert order.delivered_on_time is True
    assert order.files.count() == 1
    rating = Rating.objects.get(order=order)
    assert (rating.quality, rating.timeliness, rating.attitude, rating.satisfied) == (5, 4, 5, True)
    assert rating.rated_by == enterprise_owner and rating.service_id == finance.pk
    finance.refresh_from_db()
    assert (finance.rating_count, finance.orders_completed) == (1, 1)
    done = list(
        AuditLog.objects.filter(object_type="orders.order", object_id=str(order.pk))
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert done == [
        ("order.place", enterprise_owner.username),
        ("order.accept", provider_user.username),
        ("order.start", provider_user.username),
        ("order.deliver", provider_user.username),
        ("order.confirm", enterprise_owner.username),
    ]
    # the delivered file was downloaded through the one audited download view
    assert AuditLog.objects.filter(
        action="file.download", object_type="orders.orderfile", actor=enterprise_owner
    ).exists()
    assert AuditLog.objects.filter(
        action="order.rate", object_id=str(rating.pk), actor=enterprise_owner
    ).exists()


# --- 2. a demand answered by two providers, one accepted ------------------------------------------------


@pytest.fixture
def two_providers(wanzhou, yuzhong):
    return {
        "winner": provider(wanzhou, name="重庆万州数智科技有限公司", username="provider_win"),
        "other": provider(yuzhong, name="重庆渝中企服科技有限公司", username="provider_other"),
    }


def submit_proposal(page: Page, username: str, title: str, price: str, days: str, approach: str) -> None:
    sign_in(page, username)
    page.goto("/demands/")
    page.get_by_test_id("demand-table").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    form = page.get_by_test_id("proposal-form")
    form.get_by_label("报价（元）").fill(price)
    form.get_by_label("交付时间（工作日）").fill(days)
    form.get_by_label("服务方案").fill(approach)
    form.get_by_role("button", name="提交方案").click()
    expect(page.get_by_role("alert").filter(has_text="方案已提交")).to_be_visible()
    expect(page.get_by_test_id("own-proposal")).to_contain_text("已提交")
    log_out(page)


def test_a_demand_answered_by_two_providers_one_accepted(
    page: Page, screenshot, enterprise_owner, two_providers
):
    title = "进销存与财务一体化系统建设"
    deadline = timezone.localdate() + dt.timedelta(days=14)
    winner_user, winner_org = two_providers["winner"]
    other_user, other_org = two_providers["other"]

    # The enterprise posts the demand.
    sign_in(page, enterprise_owner.username)
    page.goto("/demands/mine/")
    page.get_by_test_id("new-demand").click()
    expect(page).to_have_url(re.compile(r"/demands/new/$"))
    form = page.get_by_test_id("demand-form")
    form.get_by_label("需求名称").fill(title)
    form.get_by_label("服务类别").select_option(label="管理咨询 · 企业资源计划")
    form.get_by_label("需求描述").fill(
        "我司约80人，需要上线进销存和财务一体化系统，含历史数据迁移和全员培训。"
    )
    form.get_by_label("预算下限（元）").fill("30000")
    form.get_by_label("预算上限（元）").fill("80000")
    form.get_by_label("截止日期").fill(deadline.isoformat())
    form.get_by_label("所有服务机构").check()
    form.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="需求已发布")).to_be_visible()
    expect(page.get_by_test_id("demand-status")).to_have_text("征集中")
    expect(page.get_by_test_id("no-proposals")).to_be_visible()
    demand = Demand.objects.get(title=title)
    assert demand.enterprise.memberships.filter(user=enterprise_owner).exists()
    assert demand.deadline == deadline and demand.district_id == demand.enterprise.district_id
    log_out(page)

    # Two providers each find it in the list and send a proposal.
    submit_proposal(
        page, winner_user.username, title, "52500", "20", "分三阶段：调研、实施与数据迁移、培训验收。"
    )
    submit_proposal(page, other_user.username, title, "48000", "25", "采用标准化产品，两周完成部署。")

    # The enterprise compares both and accepts the first one, after the confirmation page.
    sign_in(page, enterprise_owner.username)
    page.goto("/demands/mine/")
    expect(page.get_by_test_id("new-proposals")).to_be_visible()
    page.get_by_role("link", name=title).click()
    rows = page.get_by_test_id("proposal-row")
    expect(rows).to_have_count(2)
    winning_row = rows.filter(has_text=winner_org.name)
    expect(winning_row.get_by_test_id("proposal-price")).to_have_text("5.25 万元")
    expect(rows.filter(has_text=other_org.name).get_by_test_id("proposal-price")).to_have_text("4.8 万元")
    screenshot("two-proposals")
    winning_row.get_by_test_id("accept-link").click()
    expect(page).to_have_url(re.compile(r"/demands/proposals/\d+/accept/$"))
    expect(page.get_by_test_id("confirm-price")).to_have_text("5.25 万元")
    expect(page.get_by_text("其余 1 份方案将标记为未中选")).to_be_visible()
    screenshot("accept-confirmation")
    page.get_by_test_id("accept-confirm").click()
    expect(page).to_have_url(ORDER_PAGE)
    expect(page.get_by_role("alert").filter(has_text=winner_org.name)).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已接单")
    expect(page.get_by_test_id("agreed-price")).to_have_text(ORDER_52500)
    page.goto(f"/demands/{demand.pk}/")
    expect(page.get_by_test_id("demand-status")).to_have_text("已选定")
    expect(page.get_by_test_id("order-link")).to_be_visible()
    log_out(page)

    won = Proposal.objects.get(demand=demand, provider=winner_org)
    lost = Proposal.objects.get(demand=demand, provider=other_org)
    assert won.status == ProposalStatus.ACCEPTED and lost.status == ProposalStatus.NOT_SELECTED
    assert won.order is not None
    order = Order.objects.get(pk=won.order.pk)
    assert (order.status, order.agreed_price, order.provider_id) == (
        OrderStatus.ACCEPTED,
        won.price,
        winner_org.pk,
    )
    assert order.agreed_price == 52500 and order.enterprise_id == demand.enterprise_id
    assert not Order.objects.filter(provider=other_org).exists()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.AWARDED

    # The provider that lost sees it on the demand and in its list of proposals.
    sign_in(page, other_user.username)
    page.goto(f"/demands/{demand.pk}/")
    expect(page.get_by_test_id("own-proposal")).to_contain_text("未中选")
    expect(page.get_by_test_id("proposal-form")).to_have_count(0)
    page.goto("/demands/")
    expect(page.get_by_test_id("my-proposals").get_by_role("row").filter(has_text=title)).to_contain_text(
        "未中选"
    )
    log_out(page)

    # The winner sees its order.
    sign_in(page, winner_user.username)
    page.goto(f"/demands/{demand.pk}/")
    expect(page.get_by_test_id("own-proposal")).to_contain_text("已中选")
    page.get_by_test_id("own-order-link").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))
    expect(page.get_by_test_id("status")).to_have_text("已接单")
    expect(page.get_by_test_id("action-start")).to_be_visible()
