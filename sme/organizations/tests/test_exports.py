"""Excel exports of the organization list: the officer's current filtered view, in their scope, with
headers and cell types as officials expect, audited."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from conftest import login
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.exports import services as exports
from sme.exports.models import ExportJob, ExportStatus
from sme.testing.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _sheet(client, response):
    assert response.status_code == 302, response
    download = client.get(response["Location"])
    content = b"".join(download.streaming_content)
    return load_workbook(io.BytesIO(content)).active


@pytest.fixture
def two_districts(wanzhou, yuzhong):
    return [
        OrganizationFactory(district=wanzhou, name="重庆万州甲企业有限公司", verification_status="verified"),
        OrganizationFactory(district=wanzhou, name="重庆万州乙企业有限公司", verification_status="verified"),
        OrganizationFactory(district=yuzhong, name="重庆渝中丙企业有限公司", verification_status="pending"),
    ]


def test_a_district_officers_organization_export_holds_only_their_district(
    client, district_officer, two_districts, wanzhou, yuzhong
):
    OrganizationFactory(district=wanzhou, name="重庆万州待审核服务有限公司", kind="service_provider")
    login(client, district_officer)
    response = client.post("/exports/new/organizations/", {"query": "status=pending"})
    ws = _sheet(client, response)
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[:3] == ["机构名称", "统一社会信用代码", "机构类型"]
    assert [r[0].value for r in rows[1:]] == ["重庆万州待审核服务有限公司"]
    row = dict(zip(header, rows[1], strict=True))
    assert row["认证状态"].value == "待审核" and row["机构类型"].value == "服务机构"
    assert row["联系电话"].data_type == "s" and row["注册日期"].is_date
    assert row["认证日期"].value is None
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.params == {"status": "pending"}
    assert job.description == "认证状态：待审核"
    assert AuditLog.objects.filter(action="export.request", actor=district_officer).count() == 1
    everything = exports.export_request(actor=district_officer, kind="organizations", params={})
    assert everything.rows_total == 3, "the two enterprises and the provider of 万州区, none of 渝中区"


def test_the_organization_list_has_an_export_button(client, district_officer, two_districts):
    login(client, district_officer)
    page = client.get("/organizations/?status=verified").content.decode()
    assert 'action="/exports/new/organizations/"' in page and 'value="status=verified"' in page


def test_who_may_not_browse_organizations_may_not_export_them(expert, two_districts):
    with pytest.raises(NotAllowed):
        exports.export_request(actor=expert, kind="organizations", params={})
