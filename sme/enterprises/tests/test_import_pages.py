"""The import pages: upload, mapping, start, progress (htmx polling), report download, scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from conftest import login
from sme.enterprises import services
from sme.enterprises.models import EnterpriseImport, ImportStatus
from sme.enterprises.tasks import run_import
from sme.enterprises.tests.helpers import code, csv_bytes, report_rows, upload
from sme.organizations.models import Organization

YEAR = dt.date.today().year - 1


def test_upload_map_start_and_see_the_result(client, district_officer, django_capture_on_commit_callbacks):
    login(client, district_officer)
    rows = [
        [code("500101"), "重庆万州甲企业", "万州区", "C", 10, 100, 100, YEAR],
        [code("500101"), "重庆万州乙企业", "万州区", "ZZ", 10, 100, 100, YEAR],
    ]
    response = client.post(
        "/enterprises/imports/", {"file": upload("名录.csv", csv_bytes(rows, encoding="gbk"))}
    )
    assert response.status_code == 302
    job = EnterpriseImport.objects.get()
    assert response["Location"] == f"/enterprises/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="mapping-form"' in page and "重庆万州甲企业" in page  # the preview
    assert 'name="col_uscc"' in page
    form = {"header_row": 1, "header_rows": 1, "default_year": "", "keep_good_rows": "on"}
    form.update({f"col_{k}": v for k, v in job.mapping.items()})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/enterprises/imports/{job.pk}/", form)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.inserted, job.failed) == (ImportStatus.DONE, 1, 1)
    page = client.get(f"/enterprises/imports/{job.pk}/").content.decode()
    assert 'data-status="done"' in page and 'data-count="inserted">1<' in page
    assert "hx-trigger" not in page.split('id="import-progress"')[1].split(">")[0]  # polling has stopped
    report = client.get(f"/enterprises/imports/{job.pk}/report/")
    assert report.status_code == 200
    assert "attachment" in report["Content-Disposition"]
    content = b"".join(report.streaming_content)
    assert content[:2] == b"PK"
    assert report_rows(job)[1][0] == 3


def test_a_missing_mapping_is_shown_on_the_form(client, district_officer):
    login(client, district_officer)
    client.post(
        "/enterprises/imports/",
        {"file": upload("a.csv", csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, YEAR]]))},
    )
    job = EnterpriseImport.objects.get()
    response = client.post(
        f"/enterprises/imports/{job.pk}/", {"header_row": 1, "header_rows": 1, "col_uscc": 0}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请选择“企业名称”所在的列" in body
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


def test_header_position_can_be_changed(client, district_officer):
    login(client, district_officer)
    content = "说明：2025年名录\n".encode() + csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]])
    client.post("/enterprises/imports/", {"file": upload("a.csv", content)})
    job = EnterpriseImport.objects.get()
    assert job.header_row == 2  # the one-cell title line is skipped
    response = client.post(
        f"/enterprises/imports/{job.pk}/", {"header_row": 1, "header_rows": 1, "reread": "1"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.header_row == 1 and job.columns[0].startswith("说明")


def test_bad_upload_is_shown_and_nothing_stored(client, district_officer):
    login(client, district_officer)
    response = client.post("/enterprises/imports/", {"file": upload("a.xlsx", b"not a workbook")})
    assert response.status_code == 200
    assert "内容不是 Excel" in response.content.decode()
    assert not EnterpriseImport.objects.exists()


def test_progress_partial_polls_while_running(client, city_officer):
    job = services.enterprise_import_upload(
        actor=city_officer,
        upload=io.BytesIO(csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="a.csv",
    )
    EnterpriseImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total=10, processed=4)
    login(client, city_officer)
    body = client.get(f"/enterprises/imports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in body and "40%" in body


def test_import_pages_are_scoped(
    client, district_officer, other_district_officer, city_officer, django_capture_on_commit_callbacks
):
    job = services.enterprise_import_upload(
        actor=district_officer,
        upload=io.BytesIO(csv_bytes([[code(), "x", "火星区", "C", 1, 1, 1, YEAR]])),
        file_name="a.csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_import_start(
            actor=district_officer, job=job, mapping=job.mapping, default_year=YEAR
        )
    login(client, other_district_officer)
    assert client.get(f"/enterprises/imports/{job.pk}/").status_code == 404
    assert client.get(f"/enterprises/imports/{job.pk}/report/").status_code == 404
    assert "a.csv" not in client.get("/enterprises/imports/").content.decode()
    login(client, city_officer)
    assert client.get(f"/enterprises/imports/{job.pk}/report/").status_code == 200
    assert "a.csv" in client.get("/enterprises/imports/").content.decode()
    # someone else's import that has not started: visible, but not theirs to configure
    fresh = services.enterprise_import_upload(
        actor=district_officer,
        upload=io.BytesIO(csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="b.csv",
    )
    assert (
        'data-testid="mapping-form"' not in client.get(f"/enterprises/imports/{fresh.pk}/").content.decode()
    )
    assert client.post(f"/enterprises/imports/{fresh.pk}/", {"header_row": 1}).status_code == 403


def test_task_runs_a_queued_import_once(city_officer):
    job = services.enterprise_import_upload(
        actor=city_officer,
        upload=io.BytesIO(csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="a.csv",
    )
    services.enterprise_import_start(
        actor=city_officer, job=job, mapping=job.mapping, default_year=YEAR, background=False
    )
    assert run_import(job.pk)["inserted"] == 1
    assert run_import(job.pk) == {"id": job.pk, "status": "done"}  # delivered twice: nothing more happens
    assert Organization.objects.filter(kind="enterprise").count() == 1


def test_a_crash_fails_the_import_with_a_reason(city_officer, monkeypatch):
    from sme.enterprises.importing import runner

    job = services.enterprise_import_upload(
        actor=city_officer,
        upload=io.BytesIO(csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="a.csv",
    )
    job = services.enterprise_import_start(
        actor=city_officer, job=job, mapping=job.mapping, default_year=YEAR, background=False
    )

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(runner, "_run", boom)
    job = runner.run_import(job)
    assert job.status == ImportStatus.FAILED
    assert "内部错误" in job.error


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_file_is_read_in_a_forked_process(city_officer, monkeypatch):
    """How production runs it (the task is not inside a transaction): the reading half forks."""
    from sme.enterprises.importing import runner

    forked = []
    original = runner._forked

    def spy(batches):
        forked.append(True)
        yield from original(batches)

    monkeypatch.setattr(runner, "_forked", spy)
    monkeypatch.setattr(runner, "BATCH_SIZE", 7)
    same = code()
    rows = [[code(), f"重庆企业{i}", "万州区", "C", 10 + i, 100, 100, YEAR] for i in range(20)]
    rows.insert(5, [same, "重庆重复甲", "万州区", "C", 1, 1, 1, YEAR])
    rows.insert(9, [same, "重庆重复乙", "万州区", "C", 1, 1, 1, YEAR])
    rows.insert(12, [code(), "重庆坏行业", "万州区", "ZZ", 1, 1, 1, YEAR])
    job = services.enterprise_import_upload(
        actor=city_officer, upload=io.BytesIO(csv_bytes(rows)), file_name="f.csv"
    )
    job = services.enterprise_import_start(
        actor=city_officer, job=job, mapping=job.mapping, default_year=None, background=False
    )
    job = runner.run_import(job)
    assert forked
    assert (job.status, job.inserted, job.failed, job.total) == ("done", 21, 2, 23)
    assert Organization.objects.filter(kind="enterprise").count() == 21
    lines = sorted(r[0] for r in report_rows(job)[1:])
    assert lines == [11, 14]
    again = services.enterprise_import_upload(
        actor=city_officer, upload=io.BytesIO(csv_bytes(rows)), file_name="f.csv"
    )
    again = services.enterprise_import_start(
        actor=city_officer, job=again, mapping=again.mapping, default_year=None, background=False
    )
    again = runner.run_import(again)
    assert (again.inserted, again.updated, again.unchanged, again.failed) == (0, 0, 21, 2)


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_reading_process_fails_the_import(city_officer, monkeypatch):
    from sme.enterprises.importing import runner

    def broken(line, values, ctx):
        raise ValueError("cannot read")

    monkeypatch.setattr(runner, "parse_row", broken)
    job = services.enterprise_import_upload(
        actor=city_officer,
        upload=io.BytesIO(csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="a.csv",
    )
    job = services.enterprise_import_start(
        actor=city_officer, job=job, mapping=job.mapping, default_year=YEAR, background=False
    )
    job = runner.run_import(job)
    assert job.status == ImportStatus.FAILED
    assert not Organization.objects.filter(kind="enterprise").exists()


def test_only_an_earlier_import_of_the_same_file_is_mentioned(
    client, district_officer, django_capture_on_commit_callbacks
):

    from sme.enterprises.tests.helpers import run

    content = csv_bytes([[code("500101"), "重庆万州甲企业", "万州区", "C3411", 10, 100, 100, YEAR]])
    login(client, district_officer)
    first = run(
        district_officer,
        "名录.csv",
        content,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert first.status == ImportStatus.DONE
    page = client.get(f"/enterprises/imports/{first.pk}/").content.decode()
    assert 'data-testid="earlier-import"' not in page, (
        "the first import of a file is not told it was imported"
    )
    EnterpriseImport.objects.filter(pk=first.pk).update(
        created_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    )
    second = run(
        district_officer,
        "名录-再次.csv",
        content,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    page = client.get(f"/enterprises/imports/{second.pk}/").content.decode()
    assert 'data-testid="earlier-import"' in page and "2026-03-02 17:30" in page
    page = client.get(f"/enterprises/imports/{first.pk}/").content.decode()
    assert 'data-testid="earlier-import"' not in page, "a later import is not an earlier one"
