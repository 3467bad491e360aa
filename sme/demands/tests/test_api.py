"""GET /api/v1/demands and /api/v1/demands/<id>: the caller's scope, as on the pages."""

from __future__ import annotations

import pytest

from conftest import login
from sme.demands import services
from sme.demands.tests import factories as f


@pytest.fixture
def world(enterprise_owner, provider_user, yuzhong, wanzhou):
    rival, _org = f.provider(yuzhong, username="api_rival")
    in_yuzhong = f.demand(enterprise_owner, title="渝中的需求")
    in_wanzhou = f.demand(enterprise_owner, title="万州的需求", district=wanzhou)
    hidden = f.demand(enterprise_owner, title="被屏蔽的需求")
    f.proposal(provider_user, in_yuzhong, approach="我方")
    f.proposal(rival, in_yuzhong, approach="对手")
    return {"yz": in_yuzhong, "wz": in_wanzhou, "hidden": hidden}


def _titles(client):
    body = client.get("/api/v1/demands").json()
    return {row["title"] for row in body["results"]}


def test_anonymous_refused(client, world):
    assert client.get("/api/v1/demands").status_code in (401, 403)
    assert client.get(f"/api/v1/demands/{world['yz'].pk}").status_code in (401, 403)


def test_list_per_role(client, world, enterprise_owner, provider_user, district_officer, city_officer):
    services.demand_hide(actor=city_officer, demand=world["hidden"], reason="重复发布")
    login(client, enterprise_owner)
    assert _titles(client) == {"渝中的需求", "万州的需求", "被屏蔽的需求"}
    client.logout()
    login(client, provider_user)
    assert _titles(client) == {"渝中的需求", "万州的需求"}
    client.logout()
    login(client, district_officer)  # 万州区
    assert _titles(client) == {"万州的需求"}
    client.logout()
    login(client, city_officer)
    assert _titles(client) == {"渝中的需求", "万州的需求", "被屏蔽的需求"}


def test_list_filters_and_fields(client, world, provider_user, wanzhou):
    login(client, provider_user)
    rows = client.get(f"/api/v1/demands?district={wanzhou.pk}").json()["results"]
    assert [r["title"] for r in rows] == ["万州的需求"]
    row = rows[0]
    assert row["district"] == "万州区" and row["status"] == "open" and row["budget_max"] == "80000.00"
    assert "proposals" not in row


def test_detail_scope(client, world, district_officer, expert):
    login(client, district_officer)
    assert client.get(f"/api/v1/demands/{world['yz'].pk}").status_code == 404
    assert client.get(f"/api/v1/demands/{world['wz'].pk}").status_code == 200
    client.logout()
    login(client, expert)
    assert client.get(f"/api/v1/demands/{world['wz'].pk}").status_code == 404
