"""The order pages: ordering with a confirmation step, lists in scope, actions, rating, flags, files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import login
from sme.core.models import AuditLog
from sme.core.todos import todos_for
from sme.orders import services
from sme.orders.models import Order, Rating
from sme.orders.rules import RATING_CONCENTRATION
from sme.orders.selectors import concentrated_ratings

from .factories import completed_order, enterprise_with_owner, provider_with_owner, published_service


def test_order_with_confirmation_step(client, enterprise_owner, service):
    login(client, enterprise_owner)
    url = reverse("orders:new", args=[service.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "安装、配置并培训财务管理软件。" in page.content.decode()
    preview = client.post(
        url, {"enterprise": page.context["form"].fields["enterprise"].initial, "quantity": "2"}
    )
    assert preview.status_code == 200 and "1 万元" in preview.content.decode()
    assert not Order.objects.exists()
    data = {k: v for k, v in preview.context["form"].cleaned_data.items() if v is not None}
    data["enterprise"] = data["enterprise"].pk
    data["confirm"] = "1"
    done = client.post(url, data)
    order = Order.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("orders:detail", args=[order.pk])
    assert order.agreed_price == Decimal("10000.00")


def test_ordering_from_outside_the_service_area_says_where_it_is_offered_and_asks_to_confirm(
    client, enterprise_owner, enterprise, provider, wanzhou
):
    local = published_service(provider, serves_all_districts=False, district_ids=[wanzhou.pk])
    login(client, enterprise_owner)
    url = reverse("orders:new", args=[local.pk])
    page = client.get(url).content.decode()
    area = page.split('data-testid="service-area"')[1].split("</div>\n  <div")[0]
    assert "万州区" in area and "渝中区" in area
    assert 'data-testid="outside-district"' in page
    unconfirmed = client.post(url, {"enterprise": enterprise.pk, "quantity": "1"})
    text = unconfirmed.content.decode()
    assert "请勾选确认已知悉服务区域" in text and 'data-testid="confirm-order"' not in text
    preview = client.post(url, {"enterprise": enterprise.pk, "quantity": "1", "outside_district": "on"})
    assert 'data-testid="confirm-order"' in preview.content.decode()
    data = {"enterprise": enterprise.pk, "quantity": "1", "outside_district": "True", "confirm": "1"}
    done = client.post(url, data)
    order = Order.objects.get()
    assert done.status_code == 302 and order.snapshot["outside_district_confirmed"] is True
    assert 'data-testid="outside-district-confirmed"' in client.get(done["Location"]).content.decode()


def test_a_service_for_its_districts_only_cannot_be_ordered_from_outside(
    client, enterprise_owner, enterprise, provider, wanzhou
):
    local = published_service(
        provider, serves_all_districts=False, district_ids=[wanzhou.pk], districts_only=True
    )
    login(client, enterprise_owner)
    url = reverse("orders:new", args=[local.pk])
    page = client.get(url).content.decode()
    assert "只接受服务区县内企业的订单" in page
    assert 'data-testid="preview-order"' not in page and 'data-testid="outside-district"' not in page
    refused = client.post(url, {"enterprise": enterprise.pk, "quantity": "1", "confirm": "1"})
    assert "只接受万州区企业的订单" in refused.content.decode() and not Order.objects.exists()


def test_order_page_refusals(client, provider_user, enterprise_owner, service):
    login(client, provider_user)
    assert client.get(reverse("orders:new", args=[service.pk])).status_code == 403
    login(client, enterprise_owner)
    assert client.get(reverse("orders:new", args=[999999])).status_code == 404
    client.logout()
    assert client.get(reverse("orders:new", args=[service.pk])).status_code == 302


def test_range_price_error_names_the_field(client, enterprise_owner, provider, enterprise):
    ranged = published_service(
        provider, fee_type="range", fee_amount=None, fee_min=Decimal(100), fee_max=Decimal(200)
    )
    login(client, enterprise_owner)
    page = client.post(
        reverse("orders:new", args=[ranged.pk]), {"enterprise": enterprise.pk, "proposed_price": "500"}
    )
    assert page.status_code == 200
    assert page.context["form"].errors["proposed_price"]


def test_detail_scope(
    client,
    order,
    enterprise_owner,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    admin_user,
):
    url = reverse("orders:detail", args=[order.pk])
    for user in (enterprise_owner, provider_user, district_officer, city_officer, admin_user):
        login(client, user)
        assert client.get(url).status_code == 200, user
    _, other_owner = enterprise_with_owner()
    for user in (other_owner, other_district_officer):
        login(client, user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_actions_through_the_page(
    client,
    order,
    enterprise_owner,
    provider_user,
    district_officer,
    other_district_officer,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("orders:act", args=[order.pk])
    login(client, provider_user)
    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert [a["action"] for a in page.context["actions"]] == ["accept", "decline"]
    assert client.post(url, {"action": "accept", "version": order.version}).status_code == 302
    # A form read before the change is refused with a conflict, nothing changes.
    stale = client.post(url, {"action": "start", "version": order.version})
    assert stale.status_code == 409
    order.refresh_from_db()
    client.post(url, {"action": "start", "version": order.version})
    order.refresh_from_db()
    pdf = SimpleUploadedFile("交付报告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    client.post(url, {"action": "deliver", "version": order.version, "note": "已完成", "files": [pdf]})
    order.refresh_from_db()
    assert order.status == "delivered"
    stored = order.files.get()
    # Only people who may read the order download its files (sme.core.files), each download audited.
    download = stored.download_url
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    # The Chinese name as RFC 5987 filename*, which browsers keep (never an RFC 2047 =?utf-8?…?= word).
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('交付报告.pdf')}"
    audited = AuditLog.objects.filter(action="file.download", object_type="orders.orderfile")
    assert list(audited.order_by("id").values_list("object_id", "actor")) == [
        (str(stored.pk), provider_user.pk)
    ]
    _, other_owner = enterprise_with_owner()
    for outsider in (other_owner, other_district_officer):
        login(client, outsider)
        assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 404
    assert audited.count() == 1
    login(client, district_officer)
    assert client.get(download).status_code == 200 and audited.count() == 2
    login(client, enterprise_owner)
    assert client.post(url, {"action": "accept", "version": order.version}).status_code == 409
    assert client.post(url, {"action": "confirm", "version": order.version}).status_code == 302
    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert page.context["rating_form"] is not None
    rated = client.post(
        reverse("orders:rate", args=[order.pk]),
        {"quality": 5, "timeliness": 5, "attitude": 4, "satisfied": "yes", "comment": "专业"},
    )
    assert rated.status_code == 302 and Rating.objects.get().attitude == 4
    login(client, provider_user)
    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert page.context["reply_form"] is not None
    client.post(reverse("orders:reply", args=[order.pk]), {"reply": "谢谢"})
    assert Rating.objects.get().reply == "谢谢"


def test_list_shows_overdue_before_the_job(client, order, provider_user):
    Order.objects.filter(pk=order.pk).update(respond_by=dt.date(2026, 1, 5))
    login(client, provider_user)
    page = client.get(reverse("orders:list"))
    assert "已超时" in page.content.decode()
    assert client.get(reverse("orders:list"), {"overdue": "on"}).context["page"].count == 1


def test_lists_in_scope_and_query_counts(
    client,
    enterprise_owner,
    provider_user,
    provider,
    enterprise,
    district_officer,
    other_district_officer,
    city_officer,
    django_assert_max_num_queries,
):
    for _ in range(12):
        published = published_service(provider)
        services.order_create(actor=enterprise_owner, enterprise=enterprise, service=published)
    other_provider, _ = provider_with_owner("500103")
    completed_order(enterprise=enterprise, provider=other_provider, completed_at=timezone.now())
    expected = {
        enterprise_owner: 13,
        provider_user: 12,
        district_officer: 12,
        other_district_officer: 1,
        city_officer: 13,
    }
    for user, count in expected.items():
        login(client, user)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("orders:list"))
        assert page.status_code == 200
        assert page.context["page"].count == count, user
    login(client, enterprise_owner)
    assert client.get(reverse("orders:list"), {"side": "received"}).context["page"].count == 0
    assert client.get(reverse("orders:list"), {"status": "completed"}).context["page"].count == 1


def test_flags_page(
    client,
    provider,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    enterprise_owner,
    django_assert_max_num_queries,
):
    owners = [enterprise_with_owner() for _ in range(4)]
    now = timezone.now()
    # 10 ratings: 8 from three enterprises (80%), 2 from a fourth: flagged.
    for i in range(RATING_CONCENTRATION.min_ratings):
        ent, owner = owners[min(i // 3, 3)] if i < 9 else owners[3]
        o = completed_order(enterprise=ent, provider=provider, completed_at=now)
        Rating.objects.create(
            order=o,
            enterprise=ent,
            provider=provider,
            quality=5,
            timeliness=5,
            attitude=5,
            satisfied=True,
            rated_by=owner,
        )
    late = completed_order(enterprise=owners[0][0], provider=provider, completed_at=now)
    Order.objects.filter(pk=late.pk).update(
        status="submitted", respond_by=dt.date(2026, 1, 5), completed_at=None
    )
    login(client, district_officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("orders:flags"))
    flags = page.context["concentration"]
    assert len(flags) == 1 and flags[0].ratings == 10 and flags[0].top_count == 9
    assert flags[0].share_percent == Decimal("90.0")
    assert page.context["overdue"].count == 1
    login(client, other_district_officer)
    page = client.get(reverse("orders:flags"))
    assert page.context["concentration"] == [] and page.context["overdue"].count == 0
    login(client, city_officer)
    assert len(client.get(reverse("orders:flags")).context["concentration"]) == 1
    for user in (provider_user, enterprise_owner):
        login(client, user)
        assert client.get(reverse("orders:flags")).status_code == 403


def test_spread_ratings_are_not_flagged(db, provider, city_officer):
    now = timezone.now()
    for _ in range(10):
        ent, owner = enterprise_with_owner()
        o = completed_order(enterprise=ent, provider=provider, completed_at=now)
        Rating.objects.create(
            order=o,
            enterprise=ent,
            provider=provider,
            quality=5,
            timeliness=5,
            attitude=5,
            satisfied=True,
            rated_by=owner,
        )
    assert concentrated_ratings(city_officer) == []


@pytest.mark.parametrize("who", ["provider", "enterprise"])
def test_todos(who, order, enterprise_owner, provider_user):
    if who == "provider":
        titles = [t.title for t in todos_for(provider_user)]
        assert "新订单待接单" in titles
    else:
        Order.objects.filter(pk=order.pk).update(status="delivered")
        assert "服务已交付，待验收" in [t.title for t in todos_for(enterprise_owner)]


def test_detail_of_an_order_from_a_proposal(client, enterprise_owner, enterprise, provider, provider_user):
    order = services.order_create_from_terms(
        actor=enterprise_owner,
        enterprise=enterprise,
        provider=provider,
        title="设备上云",
        category=None,
        terms={"approach": "先评估后迁移", "demand_title": "生产设备联网"},
        agreed_price=Decimal("250000"),
        delivery_workdays=20,
    )
    login(client, provider_user)
    page = client.get(reverse("orders:detail", args=[order.pk]))
    html = page.content.decode()
    assert "实施方案" in html and "先评估后迁移" in html and "25 万元" in html
    assert [a["action"] for a in page.context["actions"]] == ["start", "request_cancel"]
