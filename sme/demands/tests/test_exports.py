"""The officers' Excel export of demands: the list as it is filtered, in the officer's scope, audited,
with budgets in 万元 (the unit in the header), dates as dates and names as text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import login
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.demands.tests import factories as f
from sme.exports import registry
from sme.exports.models import ExportJob
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def workbook(client, query: str):
    response = client.post("/exports/new/demands/", {"query": query, "back": "/demands/"})
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200
    return load_workbook(io.BytesIO(b"".join(download.streaming_content))).active


@pytest.fixture
def demands(enterprise_owner, wanzhou, yuzhong):
    """Two demands to be served in 万州区 (one of a formula-like enterprise), one in 渝中区."""
    erp = f.category("企业资源计划")
    cloud = f.category("上云服务")
    formula_owner = UserFactory(role="enterprise")
    OrganizationFactory(owner=formula_owner, verified=True, name="+cmd|' /C calc'!A0", district=wanzhou)
    return {
        "wanzhou_erp": f.demand(enterprise_owner, cat=erp, district=wanzhou, title="万州 ERP"),
        "wanzhou_cloud": f.demand(formula_owner, cat=cloud, title="万州上云", budget_min=None),
        "yuzhong": f.demand(enterprise_owner, cat=erp, title="渝中 ERP"),
        "erp": erp,
    }


def test_a_district_officer_exports_the_filtered_demands_of_the_district(client, district_officer, demands):
    login(client, district_officer)
    sheet = workbook(client, f"category={demands['erp'].pk}&status=open")
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "预算下限（万元）" in header and "预算上限（万元）" in header
    assert [r[0] for r in rows[1:]] == ["万州 ERP"], (
        "万州's ERP demand only: not 渝中's, not the other category"
    )
    row = dict(zip(header, rows[1], strict=True))
    assert Decimal(str(row["预算下限（万元）"])) == Decimal(3) and Decimal(str(row["预算上限（万元）"])) == 8
    assert row["服务地点"] == "万州区" and row["状态"] == "征集中"
    assert isinstance(row["截止日期"], dt.datetime) and isinstance(row["发布时间"], dt.datetime)
    job = ExportJob.objects.get()
    assert job.params == {"category": str(demands["erp"].pk), "status": "open"}
    assert "企业资源计划" in job.description
    requested = AuditLog.objects.get(action="export.request", actor=district_officer)
    assert requested.changes["rows"] == 1


def test_the_whole_district_and_a_formula_like_name_written_as_text(client, district_officer, demands):
    login(client, district_officer)
    sheet = workbook(client, "")
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert sorted(r["需求名称"].value for r in rows) == ["万州 ERP", "万州上云"]
    formula = next(r for r in rows if r["需求名称"].value == "万州上云")
    assert formula["企业"].value.startswith("+cmd") and formula["企业"].data_type == "s"
    assert formula["企业"].quotePrefix and formula["企业统一社会信用代码"].data_type == "s"
    assert formula["预算下限（万元）"].value is None


def test_only_officers_export_demands(enterprise_owner, provider_user, demands):
    for user in (enterprise_owner, provider_user):
        with pytest.raises(NotAllowed):
            registry.get("demands").build(user, {})


def test_the_officers_list_has_the_export_button(client, district_officer, provider_user, demands):
    login(client, district_officer)
    page = client.get("/demands/?status=open").content.decode()
    assert 'action="/exports/new/demands/"' in page and 'value="status=open"' in page
    login(client, provider_user)
    assert "/exports/new/demands/" not in client.get("/demands/").content.decode()
