"""The officers' Excel export of submitted assessments: the list as filtered on the page, in the
officer's scope, with dates as dates, credit codes as text and scores as numbers; audited."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from sme.assessment.models import AssessmentResponse, VerifiedScore
from sme.assessment.tests.factories import DMA, ResponseFactory, questionnaire
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.exports import services as exports
from sme.exports.models import ExportJob
from sme.testing.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "企业名称",
    "统一社会信用代码",
    "区县",
    "问卷",
    "问卷版本",
    "提交日期",
    "自评得分",
    "满分",
    "自评等级",
    "现场评定得分",
    "现场评定等级",
    "现场评定日期",
)


def _submitted(district, *, name=None, level=("L2", "二级"), total="52.5", code=None, on=None):
    org = OrganizationFactory(district=district, verified=True, **({"name": name} if name else {}))
    extra = {"questionnaire": questionnaire(code)} if code else {}
    return ResponseFactory(
        organization=org,
        submitted=True,
        total=Decimal(total),
        level_key=level[0],
        level_label=level[1],
        submitted_at=on or timezone.now(),
        **extra,
    )


@pytest.fixture
def responses(wanzhou, yuzhong, city_officer):
    wz = _submitted(wanzhou, name='=HYPERLINK("http://x")万州企业', level=("L3", "三级"), total="65")
    wz_low = _submitted(wanzhou, name="万州低分企业", level=("L1", "一级"), total="25.5")
    yz = _submitted(yuzhong, name="渝中科技企业", code=DMA, level=("average", "一般（Average）"), total="40")
    ResponseFactory(organization=OrganizationFactory(district=wanzhou, verified=True))  # a draft
    VerifiedScore.objects.create(
        response=wz,
        total=Decimal("61.25"),
        level_key="L3",
        level_label="三级",
        level_rank=3,
        level_rule_key="miit-2022-bands",
        evaluated_on=dt.date(2026, 3, 9),
        note="现场核查",
        recorded_by=city_officer,
    )
    return {"wz": wz, "wz_low": wz_low, "yz": yz}


def _export(client, user, query=""):
    login(client, user)
    response = client.post(
        "/exports/new/assessments/", {"query": query, "back": "/assessment/responses/?" + query}
    )
    job = ExportJob.objects.filter(requested_by=user).order_by("-pk").first()
    return response, job


def _rows(client, job):
    download = client.get(job.output.download_url)
    content = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return sheet, list(sheet.iter_rows(values_only=True))


def test_a_district_officer_exports_only_their_district(client, responses, district_officer):
    response, job = _export(client, district_officer)
    assert response.status_code == 302 and job is not None and job.status == "done"
    _sheet, rows = _rows(client, job)
    assert rows[0] == HEADER
    assert {r[0] for r in rows[1:]} == {responses["wz"].organization.name, "万州低分企业"}
    assert "万州区" in job.description


def test_a_city_officer_exports_every_district_and_the_filters_hold(client, responses, city_officer, yuzhong):
    _response, job = _export(client, city_officer)
    _sheet, rows = _rows(client, job)
    assert len(rows) == 4, "three submitted responses; the draft is not exported"
    _response, job = _export(client, city_officer, f"district={yuzhong.pk}&page=2")
    assert job.params == {"district": str(yuzhong.pk)}
    assert [r[0] for r in _rows(client, job)[1][1:]] == ["渝中科技企业"]
    _response, job = _export(client, city_officer, "level=L1")
    assert [r[0] for r in _rows(client, job)[1][1:]] == ["万州低分企业"]
    _response, job = _export(client, city_officer, "questionnaire=eu-jrc-dma-sme")
    assert [r[0] for r in _rows(client, job)[1][1:]] == ["渝中科技企业"]
    assert "问卷" in job.description
    _response, job = _export(client, city_officer, "verified=yes")
    assert [r[11] for r in _rows(client, job)[1][1:]] == [dt.datetime(2026, 3, 9)]
    _response, job = _export(client, city_officer, "q=低分")
    assert [r[0] for r in _rows(client, job)[1][1:]] == ["万州低分企业"]
    assert "低分" in job.description


def test_the_export_holds_what_the_list_shows(client, responses, city_officer):
    login(client, city_officer)
    html = client.get("/assessment/responses/?level=L3").content.decode()
    listed = {int(pk) for pk in re.findall(r'href="/assessment/(\d+)/"', html)}
    _response, job = _export(client, city_officer, "level=L3")
    names = {r[0] for r in _rows(client, job)[1][1:]}
    assert names == {r.organization.name for r in AssessmentResponse.objects.filter(pk__in=listed)}


def test_cells_are_typed_as_officials_expect(client, responses, city_officer):
    _response, job = _export(client, city_officer, "level=L3")
    sheet, rows = _rows(client, job)
    wz = responses["wz"]
    row = rows[1]
    cells = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    assert row[1] == wz.organization.uscc and cells[1].data_type == "s", "the credit code stays text"
    assert row[0].startswith("=HYPERLINK") and cells[0].data_type == "s", "no formula from a name"
    assert isinstance(row[5], dt.datetime) and cells[5].is_date and cells[5].number_format == "yyyy-mm-dd"
    assert row[5].date() == timezone.localdate(wz.submitted_at)
    assert (row[6], row[7], row[8]) == (65, 100, "三级")
    assert (row[9], row[10]) == (61.25, "三级")
    assert cells[11].is_date


def test_people_without_the_list_cannot_export(client, responses, enterprise_owner, provider_user, expert):
    for user in (enterprise_owner, provider_user, expert):
        response, job = _export(client, user)
        assert job is None and response.status_code == 302
        with pytest.raises(NotAllowed):
            exports.export_request(actor=user, kind="assessments", params={})
    assert not ExportJob.objects.exists()


def test_the_export_and_its_download_are_audited(client, responses, district_officer):
    _response, job = _export(client, district_officer, "level=L3")
    asked = AuditLog.objects.get(action="export.request", actor=district_officer)
    assert asked.changes["kind"] == "assessments" and asked.changes["params"] == {"level": "L3"}
    assert asked.changes["rows"] == 1
    _rows(client, job)
    assert AuditLog.objects.filter(action="file.download", actor=district_officer).count() == 1


def test_the_list_offers_the_export_with_its_filters(client, responses, city_officer):
    login(client, city_officer)
    html = client.get("/assessment/responses/?level=L3&q=万州").content.decode()
    assert 'action="/exports/new/assessments/"' in html
    assert 'name="query" value="level=L3&amp;q=%E4%B8%87%E5%B7%9E"' in html


def test_writing_rows_takes_a_fixed_number_of_queries(
    responses, wanzhou, city_officer, django_assert_max_num_queries
):
    from sme.exports.registry import get

    for _n in range(20):
        _submitted(wanzhou)
    table = get("assessments").build(city_officer, {})
    with django_assert_max_num_queries(3):
        rows = list(table.rows())
    assert len(rows) == table.count == 23
