"""Attachments: checked by content when uploaded, served by the one audited download view
(``sme.core.files``) — public while the service is published and the file current, otherwise only to
the service's provider and its officers; a refused download is a 404 that leaves no audit row."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from sme.catalog import services
from sme.catalog.models import ServiceAttachment
from sme.catalog.tests.factories import draft_service, published_service
from sme.core.errors import InvalidInput, NotAllowed
from sme.core.models import AuditLog

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(user, service, name="服务手册.pdf", content=PDF):
    return services.attachment_add(
        actor=user,
        service=service,
        kind="brochure",
        upload=SimpleUploadedFile(name, content, "application/pdf"),
    )


def downloads():
    return AuditLog.objects.filter(action="file.download", object_type="catalog.serviceattachment")


def test_upload_is_checked_by_content_and_audited(provider_user, enterprise_owner):
    service = draft_service(provider_user)
    attachment = upload(provider_user, service)
    assert (attachment.label, attachment.file_kind, attachment.size) == ("服务手册.pdf", "pdf", len(PDF))
    assert attachment.uploaded_by == provider_user and len(attachment.sha256) == 64
    assert AuditLog.objects.filter(
        action="catalog_service.attachment_add", object_id=str(service.pk)
    ).exists()
    with pytest.raises(InvalidInput) as refused:
        upload(provider_user, service, name="手册.pdf", content=b"MZ\x90\x00" + b"\x00" * 100)
    assert "file" in refused.value.field_errors
    with pytest.raises(NotAllowed):
        upload(enterprise_owner, service)
    assert ServiceAttachment.objects.count() == 1


def test_a_draft_services_attachment_only_to_its_people(
    client, provider_user, district_officer, other_district_officer, enterprise_owner
):
    service = draft_service(provider_user)
    url = upload(provider_user, service).download_url
    for outsider in (None, enterprise_owner, other_district_officer):
        client.logout()
        if outsider is not None:
            login(client, outsider)
        assert client.get(url).status_code == 404
    assert not downloads().exists()
    for insider in (provider_user, district_officer):
        login(client, insider)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        # the Chinese name as RFC 5987 filename*, which browsers keep (not an RFC 2047 encoded word)
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('服务手册.pdf')}"
    assert list(downloads().order_by("id").values_list("actor", flat=True)) == [
        provider_user.pk,
        district_officer.pk,
    ]


def test_a_published_services_current_attachment_is_public(client, provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    attachment = upload(provider_user, service)
    page = client.get(f"/catalog/services/{service.pk}/").content.decode()
    assert attachment.download_url in page
    api = client.get(f"/api/v1/catalog/services/{service.pk}").json()
    assert api["attachments"][0]["url"] == attachment.download_url
    assert client.get(attachment.download_url).status_code == 200
    row = downloads().get()
    assert (row.object_id, row.actor, row.object_label) == (str(attachment.pk), None, "服务手册.pdf")
    services.attachment_remove(actor=provider_user, attachment=attachment)
    assert client.get(attachment.download_url).status_code == 404  # removed: no longer public
    assert downloads().count() == 1
    login(client, provider_user)
    assert client.get(attachment.download_url).status_code == 200
