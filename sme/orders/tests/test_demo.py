"""The demo orders are built through the services, in several states, once."""

from __future__ import annotations

from sme.orders.demo import SCENARIOS, load_demo
from sme.orders.models import Order, ProviderYearFigures, Rating

from .factories import enterprise_with_owner, provider_with_owner, published_service


def test_demo_orders(db):
    provider, _ = provider_with_owner()
    for _ in range(3):
        published_service(provider)
    enterprise_with_owner()
    assert load_demo() == len(SCENARIOS)
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"submitted", "accepted", "in_progress", "delivered", "completed", "declined"} == statuses
    assert Rating.objects.count() == 1
    assert ProviderYearFigures.objects.filter(provider=provider, orders_completed=1).exists()
    assert load_demo() == 0
