"""The orders API: scope, rating, and the public figures."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from conftest import login
from sme.orders import figures
from sme.orders.models import Order

from .factories import completed_order, enterprise_with_owner


def test_list_and_detail_in_scope(
    client, order, enterprise_owner, other_district_officer, django_assert_max_num_queries
):
    login(client, enterprise_owner)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/orders").json()
    assert body["count"] == 1 and body["results"][0]["number"] == order.number
    detail = client.get(f"/api/v1/orders/{order.pk}").json()
    assert detail["snapshot"]["content"] == "安装、配置并培训财务管理软件。"
    login(client, other_district_officer)
    assert client.get("/api/v1/orders").json()["count"] == 0
    assert client.get(f"/api/v1/orders/{order.pk}").status_code == 404
    client.logout()
    assert client.get("/api/v1/orders").status_code in (401, 403)


def test_rating_through_the_api(client, enterprise, provider, enterprise_owner):
    o = completed_order(enterprise=enterprise, provider=provider, completed_at=timezone.now())
    login(client, enterprise_owner)
    url = f"/api/v1/orders/{o.pk}/rating"
    bad = client.post(
        url,
        {"quality": 9, "timeliness": 5, "attitude": 5, "satisfied": True},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "quality" in bad.json()["errors"]
    ok = client.post(
        url,
        {"quality": 4, "timeliness": 5, "attitude": 5, "satisfied": True, "comment": "好"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["quality"] == 4
    again = client.post(
        url,
        {"quality": 4, "timeliness": 5, "attitude": 5, "satisfied": True},
        content_type="application/json",
    )
    assert again.status_code == 409
    _, other = enterprise_with_owner()
    login(client, other)
    assert client.post(url, {"quality": 4}, content_type="application/json").status_code == 404


def test_public_figures(client, enterprise, provider):
    completed_order(enterprise=enterprise, provider=provider, completed_at=timezone.now())
    figures.rebuild()
    body = client.get(f"/api/v1/providers/{provider.pk}/figures").json()
    assert body["provider"]["name"] == provider.name
    assert body["years"][0]["orders_completed"] == 1 and body["years"][0]["on_time_rate"] == "100.00"
    assert client.get(f"/api/v1/providers/{enterprise.pk}/figures").status_code == 404
    assert Order.objects.count() == 1 and Decimal(body["years"][0]["on_time_rate"]) == 100
