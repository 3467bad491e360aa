"""The marketplace benchmark data generator (``generate_marketplace_data``), small, on the test database:
sizes, top-up, and data that keeps the invariants the application keeps."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.benchdata import catalog as catalog_datagen
from bench.benchdata import orders as datagen
from bench.benchdata.organizations import ensure_organizations
from sme.catalog.models import RevisionStatus, Service, ServiceDistrict, ServiceRevision, ServiceStatus
from sme.catalog.search import filter_by_keyword
from sme.orders.models import Order, OrderStatus, ProviderYearFigures, Rating

pytestmark = pytest.mark.django_db

SIZES = {"providers": 50, "services": 500, "orders": 5000, "ratings": 1000}


@pytest.fixture
def marketplace():
    catalog_datagen.forget_users()
    ensure_organizations(3000)
    call_command("generate_marketplace_data", **SIZES, verbosity=0)
    yield
    catalog_datagen.forget_users()


def test_sizes_and_top_up(marketplace):
    services = catalog_datagen.generated_services()
    assert services.count() == 500
    assert services.values("provider_id").distinct().count() == 50
    assert datagen.generated_orders().count() == 5000
    assert Rating.objects.filter(order__number__startswith=datagen.MARKER).count() == 1000

    # Again with the same sizes: nothing added. Larger: only the difference.
    assert datagen.generate(**SIZES, figures=False) == {"services": 0, "orders": 0, "ratings": 0}
    bigger = {"providers": 50, "services": 520, "orders": 5300, "ratings": 1040}
    assert datagen.generate(**bigger, figures=False) == {"services": 20, "orders": 300, "ratings": 40}
    assert len(set(datagen.generated_orders().values_list("number", flat=True))) == 5300


def test_generated_data_keeps_the_invariants(marketplace):
    """One generation (it is the slow part), every invariant checked on it."""
    _services_carry_their_approved_revision_and_listing_columns()
    _orders_follow_the_state_machine_in_time()
    _ratings_and_counters()
    _search_index_and_figures_are_built()


def _services_carry_their_approved_revision_and_listing_columns():
    services = catalog_datagen.generated_services().select_related("published_revision", "category")
    statuses = Counter(services.values_list("status", flat=True))
    assert statuses[ServiceStatus.PUBLISHED] > 400
    for service in services:
        revision = service.published_revision
        if service.status == ServiceStatus.PENDING:
            assert revision is None
            assert service.revisions.get().status == RevisionStatus.PENDING
            continue
        assert revision is not None and revision.status == RevisionStatus.APPROVED
        assert service.title == revision.title and service.category_id == revision.category_id
        assert service.top_category_id == service.category.parent_id
        assert service.fee_type == revision.fee_type
        assert revision.content and revision.process_steps and revision.deliverables
        assert revision.quality_standard and revision.delivery_workdays and revision.service_hours
        low = {"free": 0, "range": revision.fee_min}.get(revision.fee_type, revision.fee_amount)
        if revision.small_micro_price is not None:
            assert revision.small_micro_price < low
            low = revision.small_micro_price
        assert service.price_low == low
        districts = set(ServiceDistrict.objects.filter(service=service).values_list("district_id", flat=True))
        if service.serves_all_districts:
            assert districts == set()
        else:
            assert districts == set(revision.district_ids) and service.provider.district_id in districts
    # Every version kept: the approved one superseded an older one for some services.
    assert ServiceRevision.objects.filter(status=RevisionStatus.SUPERSEDED).exists()


def _orders_follow_the_state_machine_in_time():
    orders = datagen.generated_orders().select_related("service")
    statuses = Counter(orders.values_list("status", flat=True))
    assert statuses[OrderStatus.COMPLETED] > 0.75 * 5000
    assert statuses[OrderStatus.DECLINED] and statuses[OrderStatus.CANCELLED]
    now = timezone.now()
    for order in orders:
        assert order.provider_id == order.service.provider_id
        assert order.service_revision_id == order.service.published_revision_id
        assert order.snapshot["title"] == order.title and "fee" in order.snapshot and "time" in order.snapshot
        assert order.submitted_at <= now and order.respond_by is not None
        assert order.respond_by > timezone.localtime(order.submitted_at).date()
        if order.status == OrderStatus.COMPLETED:
            assert order.submitted_at <= order.accepted_at <= order.delivered_at <= order.completed_at <= now
            assert order.deliver_by is not None
            on_time = timezone.localtime(order.delivered_at).date() <= order.deliver_by
            assert order.delivered_on_time is on_time
        if order.status == OrderStatus.DECLINED:
            assert order.decline_reason and order.accepted_at is None


def _ratings_and_counters():
    ratings = Rating.objects.filter(order__number__startswith=datagen.MARKER).select_related("order")
    for rating in ratings:
        order = rating.order
        assert order.status == OrderStatus.COMPLETED
        assert (rating.enterprise_id, rating.provider_id, rating.service_id) == (
            order.enterprise_id,
            order.provider_id,
            order.service_id,
        )
        assert order.completed_at <= rating.created_at <= order.completed_at + dt.timedelta(days=30)
        assert {rating.quality, rating.timeliness, rating.attitude} <= {1, 2, 3, 4, 5}
        assert bool(rating.hidden_reason) is rating.is_hidden
    assert ratings.filter(is_hidden=True).exists() and ratings.exclude(reply="").exists()

    completed = Counter(
        Order.objects.filter(status=OrderStatus.COMPLETED).values_list("service_id", flat=True)
    )
    visible = Counter(Rating.objects.filter(is_hidden=False).values_list("service_id", flat=True))
    for pk, orders_completed, rating_count in Service.objects.values_list(
        "pk", "orders_completed", "rating_count"
    ):
        assert orders_completed == completed.get(pk, 0)
        assert rating_count == visible.get(pk, 0)


def _search_index_and_figures_are_built():
    published = Service.objects.filter(status=ServiceStatus.PUBLISHED)
    with_word = published.filter(title__contains="财务")
    assert with_word.exists()
    found = set(filter_by_keyword(published, "财务").values_list("pk", flat=True))
    assert set(with_word.values_list("pk", flat=True)) <= found
    # Providers with completed orders have their yearly figures.
    years = Order.objects.filter(status=OrderStatus.COMPLETED).values_list("provider_id", "completed_at")
    expected = {(p, timezone.localtime(at).year) for p, at in years}
    assert set(ProviderYearFigures.objects.values_list("provider_id", "year")) >= expected
