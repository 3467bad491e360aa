"""Exports: the filtered view in the caller's scope, written at once or by the worker with progress,
downloadable only by the person who asked, every step audited."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from conftest import login
from sme.core.models import AuditLog, TransitionLog
from sme.exports import registry, services
from sme.exports.models import ExportJob, ExportStatus
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory, officer

pytestmark = pytest.mark.django_db


def organizations_table(user, params):
    rows = Organization.objects.filter(name__contains=params.get("q", "")).order_by("id")
    if params.get("explode"):

        def broken():
            yield ["ok"]
            raise RuntimeError("磁盘已满")

        return registry.Table("机构", ["名称"], rows.count(), broken)
    return registry.Table(
        "机构",
        ["名称", "信用代码"],
        rows.count(),
        lambda: ([o.name, o.uscc] for o in rows.iterator()),
        description=f"名称含“{params.get('q', '')}”",
    )


@pytest.fixture(autouse=True)
def exporter():
    registry.register("test-orgs", "测试机构名录", organizations_table)
    yield
    registry._EXPORTERS.pop("test-orgs", None)


def _sheet(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_small_export_downloads_at_once_with_the_filtered_rows(client, city_officer):
    OrganizationFactory(name="重庆甲科技有限公司")
    OrganizationFactory(name="重庆乙贸易有限公司")
    login(client, city_officer)
    response = client.post("/exports/new/test-orgs/", {"query": "q=科技&page=3"})
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.params == {"q": "科技"}, "the page number is not a filter"
    assert response.status_code == 302 and response["Location"] == job.output.download_url
    rows = _sheet(client.get(job.output.download_url))
    assert rows[0] == ("名称", "信用代码")
    assert [r[0] for r in rows[1:]] == ["重庆甲科技有限公司"]
    moves = list(TransitionLog.objects.filter(workflow="export").values_list("action", flat=True))
    assert moves == ["request", "start", "finish"]
    assert AuditLog.objects.filter(action="file.download", actor=city_officer).count() == 1


def test_nobody_else_sees_or_downloads_someone_elses_export(client, city_officer):
    OrganizationFactory(name="重庆甲科技有限公司")
    job = services.export_request(actor=city_officer, kind="test-orgs", params={})
    other = officer("city_officer", city_officer.jurisdiction, username="another_city_officer")
    login(client, other)
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    refused = client.get(job.output.download_url)
    assert refused.status_code == 404
    assert not AuditLog.objects.filter(action="file.download").exists()
    assert "测试机构名录" not in client.get("/exports/").content.decode()


def test_a_large_export_goes_to_the_worker_and_shows_progress(
    client, city_officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BACKGROUND_ABOVE", 2)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    for i in range(4):
        OrganizationFactory(name=f"重庆第{i}科技有限公司")
    login(client, city_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/exports/new/test-orgs/", {"query": ""})
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'data-status="queued"' in page and "hx-get" in page, "the page polls while the job runs"
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 4, 4)
    partial = client.get(f"/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in partial and 'data-testid="export-download"' in partial
    assert len(_sheet(client.get(job.output.download_url))) == 5


def test_a_failing_export_says_why_and_leaves_no_file(city_officer):
    OrganizationFactory()
    job = services.export_request(actor=city_officer, kind="test-orgs", params={"explode": "1"})
    assert job.status == ExportStatus.FAILED
    assert "磁盘已满" in job.error
    assert not hasattr(job, "output") or job.output is None
    assert TransitionLog.objects.filter(workflow="export", action="fail").exists()


def test_unknown_kind_or_nothing_to_export_is_refused_and_creates_nothing(client, city_officer):
    login(client, city_officer)
    response = client.post("/exports/new/nosuch/", {"query": "", "back": "/organizations/"}, follow=True)
    assert "没有这种导出" in response.content.decode()
    response = client.post("/exports/new/test-orgs/", {"query": "q=不存在", "back": "//evil.example/"})
    assert response["Location"] == "/", "never back to another site"
    assert not ExportJob.objects.exists()


def test_the_export_button_carries_the_current_filters(rf, city_officer):
    from django.template import Context, Template

    request = rf.get("/organizations/?q=科技&district=3")
    request.user = city_officer
    html = Template('{% include "exports/_button.html" with kind="test-orgs" %}').render(
        Context({"request": request})
    )
    assert 'action="/exports/new/test-orgs/"' in html
    assert "q=%E7%A7%91%E6%8A%80&amp;district=3" in html
