"""The certificate and dossier PDFs (real CJK text, checksums) and the officers' Excel export."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import login
from sme.certification import documents
from sme.certification.models import Application
from sme.certification.selectors.register import platform_key
from sme.core.models import AuditLog, TransitionLog
from sme.organizations.models import Organization

from . import public_fixtures as f

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def embedded_fonts(data: bytes) -> set[str]:
    """The names of the fonts whose glyphs the file carries (a font program in the descriptor)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font: Any = ref.get_object()
            for descendant in font.get("/DescendantFonts", []):
                cid_font: Any = descendant.get_object()
                descriptor = cid_font["/FontDescriptor"].get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font["/BaseFont"]))
    return names


# --- the certificate --------------------------------------------------------------------------


@pytest.fixture
def title(db):
    app = f.application(f.provider("500101", name="重庆三峡云服信息技术有限公司"), status="certified")
    return f.certification(app, granted_on=dt.date(2025, 6, 1), number="渝中小企信平〔2025〕007号")


def test_certificate_is_an_a4_landscape_pdf_with_the_chinese_name_extractable(title):
    data = documents.certificate_pdf(title)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert abs(float(box.width) - 841.89) < 1 and abs(float(box.height) - 595.28) < 1  # A4
    text = squeezed(pdf_text(data))
    for expected in (
        title.platform_name,
        "重庆三峡云服信息技术有限公司",
        title.title,
        "渝中小企信平〔2025〕007号",
        title.scheme.document_number,
        title.scheme.issuing_authority,
        "2025年6月1日",
        "2028年5月31日",
    ):
        assert squeezed(expected) in text, expected
    assert "已撤销" not in text
    assert any("Noto-Serif-CJK-SC" in name for name in embedded_fonts(data))  # not a reader's font


@pytest.mark.parametrize(("status", "mark"), [("revoked", "已撤销"), ("expired", "已过期")])
def test_certificate_of_a_title_not_in_force_is_marked(title, status, mark):
    type(title).objects.filter(pk=title.pk).update(status=status)
    title.refresh_from_db()
    assert mark in squeezed(pdf_text(documents.certificate_pdf(title)))


def test_certificate_is_served_publicly_revoked_ones_too(client, title):
    response = client.get(f"/certification/platforms/{platform_key(title)}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert title.platform_name in squeezed(pdf_text(response.content))
    type(title).objects.filter(pk=title.pk).update(status="revoked")
    response = client.get(f"/certification/platforms/{title.pk}/certificate.pdf")
    assert response.status_code == 200 and "已撤销" in squeezed(pdf_text(response.content))
    assert client.get("/certification/platforms/none/certificate.pdf").status_code == 404


# --- the dossier ------------------------------------------------------------------------------


@pytest.fixture
def dossier_app(provider_user):
    org = Organization.objects.get(memberships__user=provider_user)
    app = f.application(
        org, status="submitted", platform_name="三峡中小企业云服务平台", created_by=provider_user
    )
    f.material(app, "business_license", b"first license scan", version=1, current=False)
    f.material(app, "business_license", b"second license scan", version=2)
    f.material(app, "financial_statements", b"2025 statements")
    TransitionLog.objects.create(
        workflow="certification_application",
        object_id=str(app.pk),
        action="submit",
        from_status="draft",
        to_status="submitted",
        actor=provider_user,
        note="首次提交",
    )
    return app


def test_dossier_holds_the_report_figures_materials_and_history(dossier_app):
    import hashlib

    text = pdf_text(documents.dossier_pdf(dossier_app))
    flat = squeezed(text)
    for expected in (
        dossier_app.reference,
        "三峡中小企业云服务平台",
        dossier_app.organization.name,
        dossier_app.organization.uscc,
        "万州经开区中小企业集聚区",  # a report field
        "王建国",  # the declaration
        "2026-01-10",
        "2023",
        "2025",
        "1202.00",  # revenue of the latest year
        "首次提交",  # history note
        "提交区县审查",  # the transition's label
    ):
        assert squeezed(expected) in flat, expected
    labels = {c["key"]: c["label"] for c in dossier_app.scheme.categories}
    assert squeezed(labels["market"]) in flat
    for content in (b"first license scan", b"second license scan", b"2025 statements"):
        assert hashlib.sha256(content).hexdigest() in flat  # every version's checksum, the replaced one too
    # The eligibility check of the scheme ran on the report's figures.
    assert "符合" in flat


def test_dossier_lists_what_is_missing_when_the_check_cannot_run(provider_user):
    org = Organization.objects.get(memberships__user=provider_user)
    app = f.application(org, status="submitted", with_years=False)
    flat = squeezed(pdf_text(documents.dossier_pdf(app)))
    assert "申报数据不全，无法核验" in flat


def dossier_url(app: Application) -> str:
    return f"/certification/applications/{app.pk}/dossier.pdf"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("provider_user", 200),  # the applicant
        ("district_officer", 200),  # 万州区, the application's district
        ("admin_user", 200),
        ("other_district_officer", 404),  # 渝中区
        ("enterprise_owner", 404),  # another organization
        ("city_officer", 404),  # not recommended to the city yet
        ("expert", 404),  # not assigned
    ],
)
def test_dossier_is_for_those_who_can_see_the_application(client, dossier_app, persona, status, request):
    user = request.getfixturevalue(persona)
    login(client, user)
    response = client.get(dossier_url(dossier_app))
    assert response.status_code == status
    downloads = AuditLog.objects.filter(
        action="certification_application.dossier", object_id=str(dossier_app.pk)
    )
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert dossier_app.reference in squeezed(pdf_text(response.content))
        assert downloads.get().actor == user
    else:
        assert not downloads.exists()


def test_dossier_reaches_the_city_once_recommended(client, dossier_app, city_officer):
    Application.objects.filter(pk=dossier_app.pk).update(
        status="recommended", recommended_at=dossier_app.submitted_at
    )
    login(client, city_officer)
    assert client.get(dossier_url(dossier_app)).status_code == 200


def test_dossier_needs_a_login(client, dossier_app):
    response = client.get(dossier_url(dossier_app))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the Excel export -------------------------------------------------------------------------

EXPORT = "/certification/applications/export.xlsx"


@pytest.fixture
def applications(db):
    wz, yz = f.provider("500101"), f.provider("500103")
    return {
        "wz_submitted": f.application(wz, status="submitted", platform_name="万州待审平台"),
        "wz_submitted_2025": f.application(
            wz, status="submitted", platform_name="万州上年平台", round_year=2025
        ),
        "wz_recommended": f.application(wz, status="recommended", platform_name="万州已推荐平台"),
        "wz_draft": f.application(wz, status="draft", platform_name="万州草稿平台"),
        "yz_submitted": f.application(yz, status="submitted", platform_name="渝中待审平台"),
        "yz_recommended": f.application(yz, status="recommended", platform_name="渝中已推荐平台"),
    }


def sheet_rows(response) -> list[list]:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def exported_names(response) -> set[str]:
    rows = sheet_rows(response)
    return {r[1] for r in rows[1:] if r and r[1]}


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        ("district_officer", "", {"万州待审平台", "万州上年平台"}),  # the queue: waiting for the district
        ("district_officer", "?round_year=2026", {"万州待审平台"}),
        ("district_officer", "?status=recommended", {"万州已推荐平台"}),
        ("district_officer", "?status=all", {"万州待审平台", "万州上年平台", "万州已推荐平台"}),
        ("other_district_officer", "?status=all", {"渝中待审平台", "渝中已推荐平台"}),
        ("city_officer", "?status=all", {"万州已推荐平台", "渝中已推荐平台"}),
        ("city_officer", "", {"万州已推荐平台", "渝中已推荐平台"}),
    ],
)
def test_export_rows_match_the_officers_scope(client, applications, persona, query, expected, request):
    user = request.getfixturevalue(persona)
    login(client, user)
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert exported_names(response) == expected
    log = AuditLog.objects.get(action="certification_application.export")
    assert log.actor == user and log.changes["rows"] == len(expected)


def test_export_row_holds_the_main_facts_and_latest_figures(client, applications, district_officer):
    login(client, district_officer)
    rows = sheet_rows(client.get(EXPORT + "?round_year=2026"))
    header, row = rows[0], rows[1]
    assert header[0] == "申报编号" and "服务中小企业数（家）" in header
    values = dict(zip(header, row, strict=True))
    app = applications["wz_submitted"]
    assert values["申报编号"] == app.reference
    assert values["申报单位"] == app.organization.name
    assert values["所在区县"] == "万州区"
    assert values["状态"] == "区县审查中"
    assert values["最近年度"] == 2025
    assert values["服务中小企业数（家）"] == 110
    assert values["资产总额（万元）"] == 370.0


@pytest.mark.parametrize("persona", ["enterprise_owner", "provider_user", "expert"])
def test_export_is_for_authorities_only(client, applications, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(EXPORT).status_code == 403
    assert not AuditLog.objects.filter(action="certification_application.export").exists()


def test_export_needs_a_login(client, applications):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_export_is_capped_and_says_so(applications):
    export = documents.applications_xlsx(Application.objects.order_by("pk"), limit=2)
    rows = [
        list(r) for r in load_workbook(export.file, read_only=True).worksheets[0].iter_rows(values_only=True)
    ]
    assert export.rows == 2 and export.capped
    data = [r for r in rows[1:] if r and r[0]]
    assert len(data) == 3  # two applications, then the note
    assert "仅导出前 2 条" in data[-1][0]
    uncapped = documents.applications_xlsx(Application.objects.all(), limit=10)
    assert uncapped.rows == 6 and not uncapped.capped
