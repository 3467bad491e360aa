"""Excel exports of the enterprise list: the officer's current filtered view, in
their scope, with headers and cell types as officials expect, audited."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import login
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.enterprises import services
from sme.enterprises.models import EnterpriseProfile
from sme.enterprises.tests.factories import EnterpriseProfileFactory, YearFiguresFactory
from sme.exports import services as exports
from sme.exports.models import ExportJob
from sme.testing.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1


def _sheet(client, response):
    assert response.status_code == 302, response
    download = client.get(response["Location"])
    content = b"".join(download.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def _enterprise(district, name, *, code="3411", section="C", employees=50, revenue="1500", size=True):
    org = OrganizationFactory(district=district, name=name, verification_status="verified")
    EnterpriseProfileFactory(organization=org, industry_code=code, industry_section=section)
    YearFiguresFactory(organization=org, year=YEAR - 1, employees=1, revenue_wan=Decimal(1))
    YearFiguresFactory(organization=org, year=YEAR, employees=employees, revenue_wan=Decimal(revenue))
    if size:
        profile = EnterpriseProfile.objects.get(organization=org)
        result = services._classification_for(
            code, services.latest_figures(org.pk), services.classifier_on(dt.date.today())
        )
        EnterpriseProfile.objects.filter(pk=profile.pk).update(**result.as_fields())
    return org


@pytest.fixture
def two_districts(wanzhou, yuzhong):
    return {
        "wz_small": _enterprise(wanzhou, "重庆万州锅炉有限公司"),
        "wz_micro": _enterprise(wanzhou, "重庆万州小微软件有限公司", code="6513", section="I", employees=3),
        "yz": _enterprise(yuzhong, "重庆渝中锅炉有限公司"),
    }


# --- enterprises --------------------------------------------------------------------------------


def test_a_district_officers_export_holds_only_their_district(client, district_officer, two_districts):
    login(client, district_officer)
    ws = _sheet(client, client.post("/exports/new/enterprises/", {"query": ""}))
    rows = list(ws.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"重庆万州锅炉有限公司", "重庆万州小微软件有限公司"}


def test_the_enterprise_export_carries_the_filters_and_formats_cells(
    client, city_officer, two_districts, wanzhou
):
    login(client, city_officer)
    query = f"size_class=small&district={wanzhou.pk}&page=2"
    ws = _sheet(client, client.post("/exports/new/enterprises/", {"query": query}))
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[:8] == [
        "企业名称",
        "统一社会信用代码",
        "所在区县",
        "区县代码",
        "行业门类",
        "行业代码",
        "行业名称",
        "企业规模",
    ]
    assert "营业收入（万元）" in header and "资产总额（万元）" in header and "从业人员（人）" in header
    assert len(rows) == 2, "the size and the district filter both apply; the page number does not"
    row = dict(zip(header, rows[1], strict=True))
    org = two_districts["wz_small"]
    assert row["企业名称"].value == "重庆万州锅炉有限公司"
    assert (row["统一社会信用代码"].value, row["统一社会信用代码"].data_type) == (org.uscc, "s")
    assert (row["区县代码"].value, row["区县代码"].data_type) == ("500101", "s")
    assert (row["行业代码"].value, row["行业代码"].data_type) == ("3411", "s")
    assert row["行业名称"].value == "锅炉及辅助设备制造"
    assert row["企业规模"].value == "小型" and row["划型行业组"].value == "第2组 工业"
    assert row["最新数据年度"].value == YEAR
    assert (row["从业人员（人）"].value, row["营业收入（万元）"].value) == (50, 1500)
    assert row["营业收入（万元）"].data_type == "n"
    assert row["登记日期"].is_date and row["登记日期"].value.date() == dt.date.today()
    job = ExportJob.objects.get()
    assert job.params == {"size_class": "small", "district": str(wanzhou.pk)}
    assert "企业规模：小型" in job.description and "区县：万州区" in job.description
    audit = AuditLog.objects.get(action="export.request")
    assert audit.actor == city_officer
    assert audit.changes["kind"] == "enterprises" and audit.changes["params"] == job.params
    assert audit.changes["rows"] == 1


def test_a_section_filter_and_a_keyword_are_carried(client, city_officer, two_districts):
    login(client, city_officer)
    ws = _sheet(client, client.post("/exports/new/enterprises/", {"query": "section=I&q=软件"}))
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["重庆万州小微软件有限公司"]


def test_who_may_not_browse_enterprises_may_not_export_them(enterprise_owner, two_districts):
    with pytest.raises(NotAllowed):
        exports.export_request(actor=enterprise_owner, kind="enterprises", params={})
    assert not ExportJob.objects.exists()


def test_the_enterprise_list_has_an_export_button_with_its_filters(client, district_officer, two_districts):
    login(client, district_officer)
    page = client.get("/enterprises/?size_class=micro").content.decode()
    assert 'action="/exports/new/enterprises/"' in page
    assert 'name="query" value="size_class=micro"' in page
