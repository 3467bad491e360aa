"""Certification in Chromium: a provider in 万州区 fills the application from a blank draft, the
district recommends it, the city assigns three experts who score it, the notice runs on the working-day
calendar and the platform lands in the public register with its certificate. And an objection filed
on the public notice, upheld by the city, sends the case back to city review.

"Today" is pinned (the services' clock) so the district deadline and the notice fall on known dates.
And an expert opens the task: every file named by the material it stands for, the full report and the
dossier one click away, downloaded under their Chinese names.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from sme.browser_tests.test_registration_flow import log_in, log_out
from sme.certification import services
from sme.certification.models import Application, Certification, Notice
from sme.certification.tests.factories import REPORT, TINY_PDF, filled_draft, submitted, today_is
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory, UserFactory, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 2, 10)


@pytest.fixture
def world(db):
    from sme.regions.models import Region

    wanzhou = Region.objects.current().get(code="500101", level="district")
    city = Region.objects.current().get(code="500000")
    provider = UserFactory(username="provider_wz", role="provider", real_name="李强")
    org = OrganizationFactory(
        district=wanzhou,
        owner=provider,
        kind="service_provider",
        verification_status="verified",
        name="重庆万州云服务有限公司",
        legal_representative="王建国",
    )
    return {
        "provider": provider,
        "org": org,
        "district": officer("district_officer", wanzhou, username="officer_wz"),
        "city": officer("city_officer", city, username="officer_city"),
        "experts": [
            UserFactory(username=f"expert_{i}", role="expert", real_name=f"评审专家{i}") for i in range(3)
        ],
    }


def test_from_draft_to_the_register(page: Page, world, monkeypatch, tmp_path):
    today_is(monkeypatch, DAY)
    log_in(page, "provider_wz")
    page.goto("/certification/")
    page.get_by_test_id("start-application").click()
    expect(page).to_have_url(re.compile(r"/certification/applications/\d+/edit/$"))

    # The report, with live eligibility: too few assets for 两翼 first, then enough.
    for name, value in REPORT.items():
        if name != "legal_representative":
            page.locator(f"[name={name}]").fill(value)
    page.locator("#cat-market").check()
    page.locator("#cat-operations").check()
    for i, year in enumerate(services.report_years(DAY)):
        for field, value in {
            "smes_served": str(80 + 10 * i),
            "satisfaction_percent": "92",
            "revenue_wan": "600",
            "service_revenue_wan": "400",
            "staff_total": "25",
            "staff_qualified": "20",
            "assets_wan": "40",
        }.items():
            page.get_by_test_id(f"y{year}_{field}").fill(value)
    expect(page.locator('[data-criterion="total_assets"]')).to_have_attribute("data-met", "unmet")
    latest = services.report_years(DAY)[-1]
    page.get_by_test_id(f"y{latest}_assets_wan").fill("50")
    expect(page.locator('[data-criterion="total_assets"]')).to_have_attribute("data-met", "met")
    expect(page.get_by_test_id("eligibility-verdict")).to_contain_text("均已符合")
    page.get_by_test_id("save-and-back").click()

    # Materials: one file per required slot.
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(TINY_PDF)
    application = Application.objects.get(organization=world["org"])
    for spec in application.scheme.materials:
        if spec["provided_by"] == "upload" and spec["required"]:
            page.get_by_test_id(f"upload-{spec['key']}").set_input_files(str(pdf))
            page.get_by_test_id(f"upload-{spec['key']}").locator("xpath=..").get_by_role(
                "button", name="上传", exact=True
            ).click()
            expect(page.get_by_test_id(f"material-{spec['key']}")).to_be_visible()
    expect(page.get_by_test_id("submission-problems")).to_have_count(0)
    page.get_by_label(re.compile("本单位承诺")).check()
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("区县审查中")
    log_out(page)

    log_in(page, "officer_wz")
    page.goto("/certification/review/")
    page.get_by_role("link", name=application.reference).click()
    page.get_by_test_id("action-recommend").click()
    expect(page.locator(".alert-success").first).to_contain_text("2026年度")
    log_out(page)

    log_in(page, "officer_city")
    page.goto(f"/certification/applications/{application.pk}/")
    for expert in world["experts"]:
        page.get_by_label(expert.real_name).check()
    page.get_by_test_id("assign-experts").click()
    expect(page.get_by_test_id("status")).to_have_text("市级评审中")
    log_out(page)

    for expert in world["experts"]:
        log_in(page, expert.username)
        page.goto(f"/certification/applications/{application.pk}/review/")
        expect(page.get_by_test_id("others-hidden")).to_be_visible()
        for item in application.scheme.expert_form["items"]:
            page.locator(f"#score_{item['key']}").fill(str(int(item["max_score"] * 0.8)))
        page.get_by_test_id("submit-scores").click()
        expect(page.get_by_test_id("submitted")).to_be_visible()
        log_out(page)

    log_in(page, "officer_city")
    page.goto(f"/certification/applications/{application.pk}/")
    page.get_by_test_id("action-approve_notice").click()
    expect(page.get_by_test_id("status")).to_have_text("公示中")
    notice = Notice.objects.get(application=application)
    page.goto(f"/certification/notices/{notice.pk}/")
    expect(page.locator("body")).to_contain_text(
        f"{notice.ends_on.year}年{notice.ends_on.month}月{notice.ends_on.day}日"
    )

    today_is(monkeypatch, notice.ends_on + dt.timedelta(days=1))
    page.goto(f"/certification/applications/{application.pk}/")
    page.get_by_test_id("grant").click()
    expect(page.get_by_test_id("status")).to_have_text("已认定")
    certification = Certification.objects.get(application=application)
    log_out(page)

    page.goto("/certification/register/")
    expect(page.locator("body")).to_contain_text(certification.number)
    page.get_by_role("link", name=certification.platform_name).first.click()
    expect(page.locator("body")).to_contain_text(certification.title)
    certificate = page.get_by_test_id("certificate-link")
    expect(certificate).to_be_visible()
    response = page.request.get(certificate.get_attribute("href") or "")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_an_upheld_objection_sends_the_case_back(page: Page, world, monkeypatch):
    today_is(monkeypatch, DAY)
    application = submitted(world["provider"], world["org"])
    application, _ = services.application_district_decide(
        actor=world["district"], application=application, action="recommend"
    )
    application = services.application_assign_experts(
        actor=world["city"], application=application, experts=world["experts"]
    )
    for expert in world["experts"]:
        services.expert_review_submit(
            actor=expert,
            application=application,
            scores={i["key"]: "5" for i in application.scheme.expert_form["items"]},
        )
    application = services.application_city_decide(
        actor=world["city"], application=application, action="approve_notice"
    )
    notice = Notice.objects.get(application=application)
    today_is(monkeypatch, notice.starts_on)

    page.goto(f"/certification/notices/{notice.pk}/")
    page.get_by_label("异议人姓名或单位").fill("重庆某科技公司")
    page.get_by_label("联系方式").fill("023-61234567")
    page.get_by_label("异议内容").fill("该平台申报的服务企业数量与实际不符，请予核实。")
    page.get_by_role("button", name=re.compile("提交异议")).click()
    expect(page.get_by_test_id("objection-filed")).to_be_visible()

    log_in(page, "officer_city")
    page.goto(f"/certification/applications/{application.pk}/")
    objection = page.get_by_test_id("objection").first
    objection.get_by_label("异议成立，退回市级评审").check()
    objection.get_by_label("处理意见").fill("经核实，服务企业数量有误")
    objection.get_by_test_id("resolve-objection").click()
    expect(page.get_by_test_id("status")).to_have_text("市级评审中")
    assert Organization.objects.get(pk=world["org"].pk).certifications.count() == 0


def test_the_expert_opens_the_labelled_materials_and_the_dossier(page: Page, world, monkeypatch, tmp_path):
    today_is(monkeypatch, DAY)
    # Every upload sent as the same "申请材料.pdf": the page must tell them apart by their material.
    application = filled_draft(world["provider"], world["org"], materials=False)
    uploads = [spec for spec in application.scheme.materials if spec["provided_by"] == "upload"]
    for spec in uploads:
        services.material_upload(
            actor=world["provider"],
            application=application,
            slot=spec["key"],
            upload=SimpleUploadedFile("申请材料.pdf", TINY_PDF, content_type="application/pdf"),
        )
    application = services.application_submit(
        actor=world["provider"],
        application=application,
        declaration_name=application.legal_representative,
        declaration_date=DAY,
        declared=True,
    )
    application, _ = services.application_district_decide(
        actor=world["district"], application=application, action="recommend"
    )
    application = services.application_assign_experts(
        actor=world["city"], application=application, experts=world["experts"]
    )

    log_in(page, world["experts"][0].username)
    page.goto("/certification/expert/")
    page.get_by_test_id("expert-reviews").get_by_role("link", name=application.platform_name).click()
    expect(page).to_have_url(re.compile(rf"/certification/applications/{application.pk}/review/$"))

    materials = page.get_by_test_id("materials")
    for spec in application.scheme.materials:  # 第八条's list, in its order, each in the scheme's words
        slot = materials.get_by_test_id(f"material-slot-{spec['key']}")
        expect(slot).to_contain_text(spec["article"])
        expect(slot.get_by_test_id("material-label")).to_have_text(spec["label"])
    labels = materials.get_by_test_id("material-label").all_inner_texts()
    assert labels == [spec["label"] for spec in application.scheme.materials]
    assert len(set(labels)) == len(labels)

    # One material: the link names it, the file comes as uploaded.
    financial = next(spec for spec in uploads if spec["key"] == "financial_statements")
    with page.expect_download() as material_download:
        materials.get_by_role("link", name=f"下载「{financial['label']}」").click()
    assert material_download.value.suggested_filename == "申请材料.pdf"
    material_path = tmp_path / "material.pdf"
    material_download.value.save_as(material_path)
    assert material_path.read_bytes() == TINY_PDF

    # The dossier, under its Chinese name (RFC 5987: the browser keeps it).
    with page.expect_download() as dossier_download:
        page.get_by_test_id("dossier").click()
    name = unquote(dossier_download.value.suggested_filename)
    assert name == f"{application.reference} {application.platform_name} 申报材料汇编.pdf", name
    dossier_path = tmp_path / "dossier.pdf"
    dossier_download.value.save_as(dossier_path)
    assert dossier_path.read_bytes().startswith(b"%PDF-")

    # And the full report.
    page.get_by_test_id("full-report").click()
    expect(page).to_have_url(re.compile(rf"/certification/applications/{application.pk}/#report$"))
    expect(page.locator("#report")).to_be_visible()
    expect(page.locator("body")).to_contain_text(REPORT["service_area"])
