"""The officers' Excel export of orders: the list as it is filtered, in the officer's scope, audited,
with cells as Chinese officials read them (dates as dates, money in 元, codes and names as text)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.exports import registry
from sme.exports.models import ExportJob

from .factories import completed_order, enterprise_with_owner, provider_with_owner

pytestmark = pytest.mark.django_db


def workbook(client, query: str, kind: str = "orders"):
    """Ask for the export from the list page's button and open the workbook it downloads."""
    response = client.post(f"/exports/new/{kind}/", {"query": query, "back": "/orders/"})
    assert response.status_code == 302, response
    download = client.get(response["Location"])
    assert download.status_code == 200
    # the workbook's Chinese name ("服务订单-20261208-0930.xlsx") as RFC 5987 filename*
    assert download["Content-Disposition"].startswith(f"attachment; filename*=utf-8''{quote('服务订单-')}")
    content = b"".join(download.streaming_content)
    return load_workbook(io.BytesIO(content)).active


@pytest.fixture
def orders_in_two_districts(provider):
    """Two completed orders of the 万州 provider, one of a 渝中 provider, and one submitted order."""
    moment = timezone.make_aware(dt.datetime(2026, 11, 20, 15, 30))
    sme, _owner = enterprise_with_owner(name='=HYPERLINK("http://evil.example","点我")')
    yuzhong_provider, _owner = provider_with_owner("500103")
    wanzhou_orders = [
        completed_order(enterprise=sme, provider=provider, completed_at=moment, price=Decimal("12500.50")),
        completed_order(enterprise=sme, provider=provider, completed_at=moment),
    ]
    other = completed_order(enterprise=sme, provider=yuzhong_provider, completed_at=moment)
    waiting = completed_order(enterprise=sme, provider=provider, completed_at=moment)
    waiting.status = "submitted"
    waiting.save()
    return {"wanzhou": wanzhou_orders, "yuzhong": other, "waiting": waiting, "sme": sme}


def test_a_district_officer_exports_the_filtered_orders_of_the_district(
    client, district_officer, orders_in_two_districts
):
    login(client, district_officer)
    sheet = workbook(client, "status=completed&page=2")
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("订单号", "服务名称", "服务类别") and "约定价格（元）" in header
    numbers = sorted(r[0] for r in rows[1:])
    assert numbers == sorted(o.number for o in orders_in_two_districts["wanzhou"]), (
        "万州's completed orders only: not 渝中's, not the submitted one"
    )
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    first = by_number[orders_in_two_districts["wanzhou"][0].number]
    assert first["约定价格（元）"] == Decimal("12500.50") or first["约定价格（元）"] == 12500.5
    assert first["状态"] == "已完成" and first["按时交付"] == "是"
    assert isinstance(first["完成时间"], dt.datetime) and first["完成时间"] == dt.datetime(
        2026, 11, 20, 15, 30
    )
    assert first["企业统一社会信用代码"] == orders_in_two_districts["sme"].uscc
    job = ExportJob.objects.get()
    assert job.params == {"status": "completed"} and "已完成" in job.description


def test_codes_and_formula_like_names_stay_text(client, city_officer, orders_in_two_districts):
    login(client, city_officer)
    sheet = workbook(client, "")
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    cells = dict(zip(header, next(sheet.iter_rows(min_row=2, max_row=2)), strict=True))
    name = cells["企业"]
    assert name.value.startswith("=HYPERLINK") and name.data_type == "s" and name.quotePrefix
    assert cells["企业统一社会信用代码"].data_type == "s"
    assert cells["订单号"].data_type == "s"
    assert cells["下单时间"].is_date and cells["完成时间"].number_format.startswith("yyyy-mm-dd")
    assert sheet.max_row == 1 + 4, "the city officer's export holds every district's orders"


def test_the_export_is_audited(client, district_officer, orders_in_two_districts):
    login(client, district_officer)
    workbook(client, "status=completed")
    job = ExportJob.objects.get()
    requested = AuditLog.objects.get(action="export.request", actor=district_officer)
    assert requested.object_id == str(job.pk)
    assert requested.changes["params"] == {"status": "completed"} and requested.changes["rows"] == 2
    assert AuditLog.objects.filter(action="file.download", actor=district_officer).count() == 1


def test_only_officers_export_orders(enterprise_owner, provider_user, orders_in_two_districts):
    exporter = registry.get("orders")
    assert exporter is not None
    for user in (enterprise_owner, provider_user):
        with pytest.raises(NotAllowed):
            exporter.build(user, {})


def test_the_officers_list_has_the_export_button_with_its_filters(client, district_officer, enterprise_owner):
    login(client, district_officer)
    page = client.get("/orders/?status=completed").content.decode()
    assert 'action="/exports/new/orders/"' in page and 'value="status=completed"' in page
    login(client, enterprise_owner)
    assert 'action="/exports/new/orders/"' not in client.get("/orders/").content.decode()
