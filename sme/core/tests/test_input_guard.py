"""A NUL byte in a parameter is a 400 naming the field, before any view or query runs."""

from __future__ import annotations

import pytest

from sme.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_the_query_string_is_refused_on_pages_and_the_api(client):
    page = client.get("/catalog/", {"q": "软件\x00开发"})
    assert page.status_code == 400
    assert "q" in page.content.decode() and "控制字符" in page.content.decode()
    api = client.get("/api/v1/catalog/services", {"kind": "a\x00b"})
    assert api.status_code == 400
    assert api.json()["errors"] == {"kind": ["含有控制字符"]}


def test_a_nul_byte_in_a_posted_form_changes_nothing(client):
    before = AuditLog.objects.count()
    response = client.post("/accounts/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400
    assert AuditLog.objects.count() == before, "the login view never ran"


def test_ordinary_text_passes(client):
    assert client.get("/catalog/", {"q": "软件开发"}).status_code == 200
