"""Every certification download keeps its Chinese name: ``Content-Disposition`` carries it as RFC 5987
``filename*=utf-8''…`` (what browsers read), never as an RFC 2047 ``=?utf-8?…?=`` header they drop."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from conftest import login
from sme.certification import documents
from sme.organizations.models import Organization

from . import public_fixtures as f

pytestmark = pytest.mark.django_db


def sent_name(response, disposition: str = "attachment") -> str:
    header = response["Content-Disposition"]
    assert "=?utf-8?" not in header.lower(), header  # no RFC 2047
    kind, _sep, rest = header.partition(";")
    assert kind == disposition, header
    assert rest.strip().startswith("filename*=utf-8''"), header
    return unquote(rest.strip().removeprefix("filename*=utf-8''"))


def test_the_certificate_is_sent_under_its_number_and_platform(client):
    title = f.certification(number="渝中小企信平〔2025〕001号")
    response = client.get(f"/certification/platforms/{title.number}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    name = sent_name(response, "inline")  # offered to view and check; saved under this name
    assert name == f"渝中小企信平〔2025〕001号 {title.platform_name} 证书.pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_dossier_is_sent_under_its_reference_and_platform(client, provider_user):
    org = Organization.objects.get(memberships__user=provider_user)
    app = f.application(org, platform_name="三峡中小企业云服务平台", created_by=provider_user)
    login(client, provider_user)
    response = client.get(f"/certification/applications/{app.pk}/dossier.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert sent_name(response) == f"{app.reference} 三峡中小企业云服务平台 申报材料汇编.pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_export_is_sent_under_a_chinese_name(client, clock, district_officer):
    clock.pin(dt.date(2026, 3, 2))
    login(client, district_officer)
    response = client.get("/certification/applications/export.xlsx", {"status": "all"})
    assert response.status_code == 200
    assert sent_name(response) == "认定申请清单 20260302.xlsx"


def test_a_material_keeps_its_uploaded_name(client, provider_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    org = Organization.objects.get(memberships__user=provider_user)
    app = f.application(org, created_by=provider_user)
    material = f.material(app, "business_license", b"%PDF-1.4 license")
    material.label = "营业执照副本.pdf"
    material.save()
    default_storage.save(material.file.name, ContentFile(b"%PDF-1.4 license"))
    login(client, provider_user)
    response = client.get(material.download_url)
    assert response.status_code == 200
    assert sent_name(response) == "营业执照副本.pdf"


def test_names_hold_no_path_or_quote():
    assert documents.file_name('a/b\\c:"d"*?<e>|\n f.pdf') == "a_b_c_d_e_ f.pdf"
    assert quote(documents.file_name("  申报材料汇编.pdf  ")) == quote("申报材料汇编.pdf")
