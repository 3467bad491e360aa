"""Creating orders (snapshot, price), deliveries, overdue flags, ratings and their moderation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sme.catalog.models import Service
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.orders import services
from sme.orders.models import Order, OrderStatus, ProviderYearFigures, Rating
from sme.organizations.models import Membership
from sme.testing.factories import UserFactory
from sme.workdays.calendar import add_workdays

from .factories import enterprise_with_owner, publish_revision, published_service, set_size_class

TZ = timezone.get_current_timezone()


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def walk_to_completed(order, buyer, provider_user):
    for actor, action, note in (
        (provider_user, "accept", ""),
        (provider_user, "start", ""),
        (provider_user, "deliver", "已交付报告"),
        (buyer, "confirm", ""),
    ):
        order = services.order_transition(actor=actor, order=order, action=action, note=note)
    return order


# --- creation ---------------------------------------------------------------------------------------


def test_catalogue_order_keeps_the_published_terms(order, service):
    assert order.status == OrderStatus.SUBMITTED
    assert order.number.startswith("DD") and len(order.number) == 16
    assert order.agreed_price == Decimal("5000.00")
    assert order.snapshot["content"] == "安装、配置并培训财务管理软件。"
    assert order.snapshot["process_steps"] == ["需求调研", "系统配置", "上线培训"]
    assert order.snapshot["revision_number"] == 1
    assert order.snapshot["provider"] == service.provider.name
    log = TransitionLog.objects.get(workflow="order", object_id=str(order.pk))
    assert (log.from_status, log.to_status, log.action) == ("created", "submitted", "place")
    assert AuditLog.objects.filter(action="order.place", object_id=str(order.pk)).exists()


def test_snapshot_unchanged_after_the_provider_edits_the_service(
    order, service, enterprise_owner, enterprise
):
    publish_revision(service, content="全新的服务内容", fee_amount=Decimal("8800.00"), title="改名后的服务")
    order.refresh_from_db()
    assert order.snapshot["content"] == "安装、配置并培训财务管理软件。"
    assert order.snapshot["fee_amount"] == "5000.00"
    assert order.title == "财务管理软件实施服务"
    assert order.agreed_price == Decimal("5000.00")
    second = services.order_create(actor=enterprise_owner, enterprise=enterprise, service=service)
    assert second.snapshot["content"] == "全新的服务内容"
    assert second.agreed_price == Decimal("8800.00")
    assert second.snapshot["revision_number"] == 2


def test_price_per_fee_type(enterprise_owner, enterprise, provider):
    per_unit = published_service(provider, fee_type="per_unit", fee_amount=Decimal("120.50"), fee_unit="人天")
    o = services.order_create(actor=enterprise_owner, enterprise=enterprise, service=per_unit, quantity="2.5")
    assert o.agreed_price == Decimal("301.25") and o.quantity == Decimal("2.5")

    free = published_service(provider, fee_type="free", fee_amount=None)
    assert (
        services.order_create(actor=enterprise_owner, enterprise=enterprise, service=free).agreed_price == 0
    )

    ranged = published_service(
        provider, fee_type="range", fee_amount=None, fee_min=Decimal("1000"), fee_max=Decimal("3000")
    )
    with pytest.raises(InvalidInput) as caught:
        services.order_create(
            actor=enterprise_owner, enterprise=enterprise, service=ranged, proposed_price="3500"
        )
    assert "proposed_price" in caught.value.field_errors
    o = services.order_create(
        actor=enterprise_owner, enterprise=enterprise, service=ranged, proposed_price="2000"
    )
    assert o.agreed_price == Decimal("2000.00")

    fixed = published_service(provider)
    with pytest.raises(InvalidInput) as caught:
        services.order_create(actor=enterprise_owner, enterprise=enterprise, service=fixed, quantity="1.5")
    assert "quantity" in caught.value.field_errors
    with pytest.raises(InvalidInput):
        services.order_create(actor=enterprise_owner, enterprise=enterprise, service=fixed, quantity="-1")


@pytest.mark.parametrize(
    ("size", "expected", "applied"),
    [
        ("small", "3000.00", True),
        ("micro", "3000.00", True),
        ("medium", "10000.00", False),
        ("", "10000.00", False),
    ],
)
def test_small_and_micro_price(size, expected, applied, enterprise_owner, enterprise, provider):
    service = published_service(provider, small_micro_price=Decimal("1500.00"))
    if size:
        set_size_class(enterprise, size)
    o = services.order_create(actor=enterprise_owner, enterprise=enterprise, service=service, quantity=2)
    assert o.agreed_price == Decimal(expected)
    assert o.small_micro_price_applied is applied


def test_who_may_order(enterprise_owner, enterprise, provider_user, provider, service):
    outsider = UserFactory(role="enterprise")
    with pytest.raises(NotAllowed):
        services.order_create(actor=outsider, enterprise=enterprise, service=service)
    # A provider cannot order for its own organization (not an enterprise).
    with pytest.raises(NotAllowed):
        services.order_create(actor=provider_user, enterprise=provider, service=service)
    unverified, owner = enterprise_with_owner()
    unverified.verification_status = "pending"
    unverified.save()
    with pytest.raises(NotAllowed):
        services.order_create(actor=owner, enterprise=unverified, service=service)
    Service.objects.filter(pk=service.pk).update(status="suspended")
    service.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.order_create(actor=enterprise_owner, enterprise=enterprise, service=service)
    assert not Order.objects.exists()


def test_a_service_offered_elsewhere_is_ordered_only_with_explicit_confirmation(
    enterprise_owner, enterprise, provider, wanzhou
):
    local = published_service(provider, serves_all_districts=False, district_ids=[wanzhou.pk])
    with pytest.raises(InvalidInput) as refused:
        services.order_create(actor=enterprise_owner, enterprise=enterprise, service=local)
    assert "万州区" in refused.value.message and "渝中区" in refused.value.message
    assert "outside_district" in refused.value.field_errors
    assert not Order.objects.exists()
    order = services.order_create(
        actor=enterprise_owner, enterprise=enterprise, service=local, outside_district_confirmed=True
    )
    assert order.snapshot["outside_district_confirmed"] is True
    assert order.snapshot["districts"] == ["万州区"] and order.snapshot["districts_only"] is False
    audit = AuditLog.objects.get(action="order.place", object_id=str(order.pk))
    assert audit.changes["outside_district_confirmed"] == [None, True]


def test_a_service_taking_orders_only_from_its_districts_refuses_others(
    enterprise_owner, enterprise, provider, wanzhou, yuzhong
):
    local = published_service(
        provider, serves_all_districts=False, district_ids=[wanzhou.pk], districts_only=True
    )
    with pytest.raises(InvalidInput) as refused:
        services.order_create(
            actor=enterprise_owner, enterprise=enterprise, service=local, outside_district_confirmed=True
        )
    assert "只接受万州区企业的订单" in refused.value.message
    assert not Order.objects.exists()
    both = published_service(
        provider, serves_all_districts=False, district_ids=[wanzhou.pk, yuzhong.pk], districts_only=True
    )
    order = services.order_create(actor=enterprise_owner, enterprise=enterprise, service=both)
    assert order.snapshot["outside_district_confirmed"] is False


def test_order_from_terms_starts_accepted_and_tells_the_provider(
    enterprise_owner, enterprise, provider, provider_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_create_from_terms(
            actor=enterprise_owner,
            enterprise=enterprise,
            provider=provider,
            title="上云方案",
            category=None,
            terms={"approach": "分三步上云", "price": Decimal("9000")},
            agreed_price=Decimal("9000"),
            delivery_workdays=5,
        )
    assert order.status == OrderStatus.ACCEPTED and order.accepted_at is not None
    assert order.snapshot["source"] == "proposal" and order.snapshot["approach"] == "分三步上云"
    assert order.deliver_by == add_workdays(timezone.localdate(order.accepted_at), 5)
    log = TransitionLog.objects.get(workflow="order", object_id=str(order.pk))
    assert (log.from_status, log.to_status) == ("created", "accepted")
    assert Notification.objects.filter(recipient=provider_user).count() == 1
    with pytest.raises(InvalidInput):
        services.order_create_from_terms(
            actor=enterprise_owner,
            enterprise=enterprise,
            provider=provider,
            title="x",
            category=None,
            terms={},
            agreed_price=Decimal("-1"),
            delivery_workdays=None,
        )


# --- delivery -------------------------------------------------------------------------------------------


def test_delivery_on_time_and_files(order, enterprise_owner, provider_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    order = services.order_transition(actor=provider_user, order=order, action="accept")
    assert order.deliver_by is not None
    order = services.order_transition(actor=provider_user, order=order, action="start")
    pdf = SimpleUploadedFile(
        "报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    with pytest.raises(InvalidInput):
        services.order_transition(actor=provider_user, order=order, action="deliver", note="")
    order = services.order_transition(
        actor=provider_user, order=order, action="deliver", note="见附件", files=[pdf]
    )
    assert order.delivered_on_time is True
    assert order.files.get().label == "报告.pdf"


def test_late_delivery_is_recorded(order, provider_user):
    order = services.order_transition(actor=provider_user, order=order, action="accept")
    order = services.order_transition(actor=provider_user, order=order, action="start")
    Order.objects.filter(pk=order.pk).update(deliver_by=dt.date(2020, 1, 2))
    order.refresh_from_db()
    order = services.order_transition(actor=provider_user, order=order, action="deliver", note="晚了")
    assert order.delivered_on_time is False


def test_a_bad_file_changes_nothing(order, provider_user):
    order = services.order_transition(actor=provider_user, order=order, action="accept")
    order = services.order_transition(actor=provider_user, order=order, action="start")
    exe = SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    with pytest.raises(InvalidInput):
        services.order_transition(actor=provider_user, order=order, action="deliver", note="x", files=[exe])
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_PROGRESS


def test_completion_counts_for_the_service_and_figures(order, enterprise_owner, provider_user, service):
    walk_to_completed(order, enterprise_owner, provider_user)
    service.refresh_from_db()
    assert service.orders_completed == 1
    row = ProviderYearFigures.objects.get(provider=order.provider, year=timezone.localdate().year)
    assert (row.orders_completed, row.smes_served, row.delivered_on_time) == (1, 1, 1)


# --- overdue ----------------------------------------------------------------------------------------------


def test_overdue_across_the_national_day_holiday(
    clock,
    enterprise_owner,
    enterprise,
    provider,
    provider_user,
    district_officer,
    other_district_officer,
    django_capture_on_commit_callbacks,
):
    service = published_service(provider, response_workdays=1)
    clock.pin(at(2026, 9, 30))
    order = services.order_create(actor=enterprise_owner, enterprise=enterprise, service=service)
    # 1 October to 7 October 2026 are the National Day holiday: one working day after 30 September is 8 October.
    assert order.respond_by == dt.date(2026, 10, 8)
    assert services.orders_daily(today=dt.date(2026, 10, 8))["flagged"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_daily(today=dt.date(2026, 10, 9))["flagged"] == 1
    order.refresh_from_db()
    assert order.overdue_flagged_at is not None
    told = set(
        Notification.objects.filter(title__contains=order.number).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"provider_wz", "officer_wz"} <= told and "officer_yz" not in told
    # Flagged once only.
    assert services.orders_daily(today=dt.date(2026, 10, 12))["flagged"] == 0


def test_answered_orders_are_not_flagged(order, provider_user):
    services.order_transition(actor=provider_user, order=order, action="accept")
    assert services.orders_daily(today=dt.date(2030, 1, 1))["flagged"] == 0


# --- ratings ---------------------------------------------------------------------------------------------


@pytest.fixture
def completed(order, enterprise_owner, provider_user):
    return walk_to_completed(order, enterprise_owner, provider_user)


def rate(actor, order, **kw):
    values = {"quality": 5, "timeliness": 4, "attitude": 3, "satisfied": True, "comment": "很好"}
    values.update(kw)
    return services.order_rate(actor=actor, order=order, **values)


def test_rating_updates_service_and_figures(completed, enterprise_owner, service):
    rating = rate(enterprise_owner, completed)
    assert rating.stars == 4
    service.refresh_from_db()
    assert (service.rating_count, service.rating_average) == (1, Decimal("4.00"))
    row = ProviderYearFigures.objects.get(provider=completed.provider, year=timezone.localdate().year)
    assert (row.ratings, row.satisfied, row.satisfaction_rate, row.average_stars) == (
        1,
        1,
        Decimal("100.00"),
        Decimal("4.00"),
    )


def test_only_the_ordering_enterprise_rates(completed, provider_user, district_officer, enterprise):
    _other_enterprise, other_owner = enterprise_with_owner()
    for actor in (provider_user, district_officer, other_owner):
        with pytest.raises(NotAllowed):
            rate(actor, completed)
    member = UserFactory(role="enterprise")
    Membership.objects.create(organization=enterprise, user=member, role="member", status="active")
    rate(member, completed)
    assert Rating.objects.count() == 1


def test_rating_twice_is_refused(completed, enterprise_owner):
    rate(enterprise_owner, completed)
    with pytest.raises(Conflict):
        rate(enterprise_owner, completed, quality=1)
    assert Rating.objects.get().quality == 5


def test_rating_after_30_days_is_refused_naming_the_deadline(clock, completed, enterprise_owner):
    Order.objects.filter(pk=completed.pk).update(completed_at=at(2026, 3, 1))
    completed.refresh_from_db()
    clock.pin(dt.date(2026, 3, 31))
    rate(enterprise_owner, completed)  # day 30: still allowed
    Rating.objects.all().delete()
    clock.pin(dt.date(2026, 4, 1))
    with pytest.raises(InvalidInput) as caught:
        rate(enterprise_owner, completed)
    assert "2026年3月31日" in caught.value.message
    from django.utils import translation

    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        rate(enterprise_owner, completed)
    assert "March 31, 2026" in caught.value.message, "the date in the reader's language"


def test_rating_needs_a_completed_order_and_valid_stars(order, completed, enterprise_owner):
    with pytest.raises(InvalidInput) as caught:
        rate(enterprise_owner, completed, quality=6, attitude="x")
    assert {"quality", "attitude"} <= set(caught.value.field_errors)
    Order.objects.filter(pk=completed.pk).update(status=OrderStatus.DELIVERED)
    completed.refresh_from_db()
    with pytest.raises(InvalidInput):
        rate(enterprise_owner, completed)
    assert not Rating.objects.exists()


def test_bad_stars_and_quantities_say_which_field(order, completed, enterprise_owner, provider):
    with pytest.raises(InvalidInput) as caught:
        rate(enterprise_owner, completed, quality=6, timeliness=True, attitude="")
    errors = caught.value.field_errors
    assert "服务质量" in errors["quality"][0] and "5" in errors["quality"][0]
    assert "及时性" in errors["timeliness"][0]
    assert "服务态度" in errors["attitude"][0] and "必填" in errors["attitude"][0]
    per_unit = published_service(provider, fee_type="per_unit", fee_amount=Decimal("100"), fee_unit="次")
    with pytest.raises(InvalidInput) as caught:
        services.order_create(
            actor=enterprise_owner, enterprise=completed.enterprise, service=per_unit, quantity="两个"
        )
    assert "数量" in caught.value.message and "两个" in caught.value.message


def test_provider_replies_once(completed, enterprise_owner, provider_user, provider):
    rating = rate(enterprise_owner, completed)
    member = UserFactory(role="provider")
    Membership.objects.create(organization=provider, user=member, role="member", status="active")
    with pytest.raises(NotAllowed):
        services.rating_reply(actor=member, rating=rating, reply="谢谢")
    with pytest.raises(NotAllowed):
        services.rating_reply(actor=enterprise_owner, rating=rating, reply="谢谢")
    services.rating_reply(actor=provider_user, rating=rating, reply="感谢认可")
    with pytest.raises(Conflict):
        services.rating_reply(actor=provider_user, rating=rating, reply="再次感谢")
    assert Rating.objects.get().reply == "感谢认可"


def test_hide_and_unhide(
    completed, enterprise_owner, district_officer, other_district_officer, city_officer, service
):
    rating = rate(enterprise_owner, completed)
    with pytest.raises(NotAllowed):
        services.rating_hide(actor=other_district_officer, rating=rating, reason="广告")
    with pytest.raises(InvalidInput):
        services.rating_hide(actor=district_officer, rating=rating, reason=" ")
    hidden = services.rating_hide(actor=district_officer, rating=rating, reason="含广告内容")
    assert hidden.is_hidden and hidden.hidden_reason == "含广告内容"
    service.refresh_from_db()
    assert (service.rating_count, service.rating_average) == (0, None)
    row = ProviderYearFigures.objects.get(provider=completed.provider, year=timezone.localdate().year)
    assert row.ratings == 0 and row.satisfaction_rate is None
    assert AuditLog.objects.filter(action="order.rating_hide", object_id=str(rating.pk)).exists()
    with pytest.raises(Conflict):
        services.rating_hide(actor=city_officer, rating=rating, reason="再次")
    shown = services.rating_unhide(actor=city_officer, rating=rating, reason="复核后恢复")
    assert not shown.is_hidden
    service.refresh_from_db()
    assert service.rating_count == 1
