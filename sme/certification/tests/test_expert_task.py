"""The expert's task page: every file named by the material it stands for (第八条's list, in the
scheme's words), and the full report and the dossier one click away — for the assigned experts only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from sme.certification.models import Application
from sme.certification.services import applications as application_services
from sme.certification.services import reviews as review_services
from sme.certification.tests.factories import TINY_PDF, filled_draft
from sme.organizations.models import Organization
from sme.testing.factories import UserFactory

DAY = dt.date(2026, 2, 10)
SAME_NAME = "申请材料.pdf"


@pytest.fixture
def case(clock, provider_user, district_officer, city_officer):
    """An application at city review whose every upload was sent under the same file name."""
    clock.pin(DAY)
    org = Organization.objects.get(memberships__user=provider_user)
    application = filled_draft(provider_user, org, materials=False)
    for spec in application.scheme.materials:
        if spec["provided_by"] == "upload":
            application_services.material_upload(
                actor=provider_user,
                application=application,
                slot=spec["key"],
                upload=SimpleUploadedFile(SAME_NAME, TINY_PDF, content_type="application/pdf"),
            )
    application = application_services.application_submit(
        actor=provider_user,
        application=application,
        declaration_name=application.legal_representative,
        declaration_date=DAY,
        declared=True,
    )
    application, _ = application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    experts = [UserFactory(username=f"task_expert_{i}", role="expert") for i in range(3)]
    application = review_services.application_assign_experts(
        actor=city_officer, application=application, experts=experts
    )
    return application, experts


def slot_block(page: str, key: str) -> str:
    match = re.search(rf'data-testid="material-slot-{key}"(.*?)</li>', page, re.S)
    assert match, key
    return match.group(1)


def test_each_file_is_labelled_by_its_material(client, case):
    application, experts = case
    login(client, experts[0])
    page = client.get(f"/certification/applications/{application.pk}/review/").content.decode()
    uploads = [s for s in application.scheme.materials if s["provided_by"] == "upload"]
    assert len(uploads) == 8  # 第八条（二）–（九）, the optional one uploaded too
    current = {m.slot: m for m in application.materials.filter(is_current=True)}
    positions = []
    for spec in application.scheme.materials:
        block = slot_block(page, spec["key"])
        assert spec["label"] in block and spec["article"] in block
        positions.append(page.index(f'data-testid="material-slot-{spec["key"]}"'))
        if spec["provided_by"] == "upload":
            material = current[spec["key"]]
            assert material.download_url in block
            assert f"下载「{spec['label']}」" in block  # the link says which material, not "申请材料.pdf"
    assert positions == sorted(positions)  # in the order of 第八条's list
    # The report (第八条（一）) and the declaration (（十）) are not files: said so, not left blank.
    assert f"/certification/applications/{application.pk}/#report" in slot_block(page, "application_report")
    assert "已在线声明" in slot_block(page, "declaration")


def test_the_task_links_the_full_report_and_the_dossier(client, case):
    application, experts = case
    login(client, experts[1])
    page = client.get(f"/certification/applications/{application.pk}/review/").content.decode()
    report_url = f"/certification/applications/{application.pk}/#report"
    dossier_url = f"/certification/applications/{application.pk}/dossier.pdf"
    assert f'href="{report_url}" data-testid="full-report"' in page
    assert f'href="{dossier_url}" data-testid="dossier"' in page
    report = client.get(report_url.split("#")[0])
    assert report.status_code == 200 and 'id="report"' in report.content.decode()
    dossier = client.get(dossier_url)
    assert dossier.status_code == 200 and dossier["Content-Type"] == "application/pdf"


def test_experts_not_assigned_reach_neither_the_task_nor_its_documents(client, case):
    application, _experts = case
    outsider = UserFactory(username="task_outsider", role="expert")
    login(client, outsider)
    for url in (
        f"/certification/applications/{application.pk}/review/",
        f"/certification/applications/{application.pk}/",
        f"/certification/applications/{application.pk}/dossier.pdf",
    ):
        assert client.get(url).status_code == 404, url
    material = application.materials.filter(is_current=True).first()
    assert material is not None
    assert client.get(material.download_url).status_code == 404


def test_the_dossier_lists_the_files_in_the_order_of_the_list(case):
    from sme.certification.documents import dossier_context

    application, _experts = case
    rows = dossier_context(Application.objects.get(pk=application.pk))["materials"]
    uploads = [s for s in application.scheme.materials if s["provided_by"] == "upload"]
    assert [r.slot_label for r in rows] == [f"{s['article']} {s['label']}" for s in uploads]
