"""The officers' Excel export of 诉求: the list as it is filtered, in the officer's scope, audited, with
dates as dates and names and numbers as text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.exports import registry
from sme.exports.models import ExportJob
from sme.testing.factories import OrganizationFactory, UserFactory
from sme.tickets import services

from .factories import at, file_general, file_order_complaint, make_order, org_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _filed_before_national_day(clock):
    clock.pin(at("2026-09-30"))


def workbook(client, query: str):
    response = client.post("/exports/new/tickets/", {"query": query, "back": "/tickets/"})
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200
    return load_workbook(io.BytesIO(b"".join(download.streaming_content))).active


@pytest.fixture
def tickets(enterprise_owner, provider_user):
    """A complaint routed to 万州区 (the provider's), a general request routed to 渝中区 (the
    enterprise's), and a complaint by an enterprise whose name looks like a formula."""
    complaint = file_order_complaint(
        enterprise_owner, make_order(org_of(enterprise_owner), org_of(provider_user))
    )
    general = file_general(enterprise_owner)
    formula_owner = UserFactory(role="enterprise")
    OrganizationFactory(
        owner=formula_owner,
        verified=True,
        name="@SUM(1+1)*cmd",
        district=org_of(enterprise_owner).district,
    )
    formula = file_order_complaint(
        formula_owner, make_order(org_of(formula_owner), org_of(provider_user)), subject="=1+2"
    )
    return {"complaint": complaint, "general": general, "formula": formula}


def test_a_district_officer_exports_the_filtered_tickets_of_the_district(client, district_officer, tickets):
    services.ticket_acknowledge(actor=district_officer, ticket=tickets["complaint"])
    login(client, district_officer)
    sheet = workbook(client, "status=filed")
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("诉求编号", "诉求类型", "标题")
    assert [r[0] for r in rows[1:]] == [tickets["formula"].number], (
        "万州's filed one: not the acknowledged complaint, not 渝中's request"
    )
    row = dict(zip(header, rows[1], strict=True))
    assert row["诉求类型"] == "投诉-订单" and row["办理层级"] == "区县办理" and row["状态"] == "待受理"
    assert row["应受理日期"] == dt.datetime(2026, 10, 8), "a date cell"
    assert row["当前超时"] == "否"
    job = ExportJob.objects.get()
    assert job.params == {"status": "filed"} and "待受理" in job.description
    assert AuditLog.objects.get(action="export.request", actor=district_officer).changes["rows"] == 1


def test_the_city_officer_exports_every_district_and_the_level_filter(client, city_officer, tickets):
    services.tickets_escalate_overdue(today=dt.date(2026, 10, 9))
    login(client, city_officer)
    rows = list(workbook(client, "level=city").iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["办理层级"] == "市级办理" and row["上报市级时间"] is not None
    refused = client.post(
        "/exports/new/tickets/", {"query": "level=district", "back": "/tickets/"}, follow=True
    )
    assert "当前筛选条件下没有可导出的记录" in refused.content.decode(), "the level filter is carried"


def test_names_and_subjects_that_look_like_formulas_stay_text(client, city_officer, tickets):
    login(client, city_officer)
    sheet = workbook(client, "")
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 3
    formula = next(r for r in rows if r["诉求编号"].value == tickets["formula"].number)
    for name in ("企业", "标题"):
        assert formula[name].data_type == "s" and formula[name].quotePrefix, name
    assert formula["企业统一社会信用代码"].data_type == "s"


def test_only_officers_export_tickets(enterprise_owner, tickets):
    with pytest.raises(NotAllowed):
        registry.get("tickets").build(enterprise_owner, {})


def test_the_officers_list_has_the_export_button(client, district_officer, enterprise_owner, tickets):
    login(client, district_officer)
    page = client.get(reverse("tickets:list") + "?status=open").content.decode()
    assert 'action="/exports/new/tickets/"' in page and 'value="status=open"' in page
    login(client, enterprise_owner)
    assert "/exports/new/tickets/" not in client.get(reverse("tickets:list")).content.decode()
