"""Providers' yearly figures from a set of known orders equal the hand-computed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from sme.orders import figures, selectors
from sme.orders.models import Order, ProviderYearFigures, Rating

from .factories import completed_order, enterprise_with_owner, provider_with_owner

TZ = timezone.get_current_timezone()


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def add_rating(order, owner, q, t, a, satisfied, hidden=False):
    return Rating.objects.create(
        order=order,
        enterprise=order.enterprise,
        provider=order.provider,
        service=order.service,
        quality=q,
        timeliness=t,
        attitude=a,
        satisfied=satisfied,
        rated_by=owner,
        is_hidden=hidden,
    )


def known_orders(db):
    p1, _ = provider_with_owner()
    p2, _ = provider_with_owner("500103")
    (e1, o1), (e2, o2), (e3, o3) = (enterprise_with_owner() for _ in range(3))
    # Provider 1, 2025: 4 completed orders from 3 enterprises (e1 twice), one without a deadline, one late.
    a = completed_order(enterprise=e1, provider=p1, completed_at=at(2025, 3, 1))
    b = completed_order(enterprise=e1, provider=p1, completed_at=at(2025, 6, 1), on_time=False)
    c = completed_order(enterprise=e2, provider=p1, completed_at=at(2025, 9, 1))
    d = completed_order(enterprise=e3, provider=p1, completed_at=at(2025, 12, 31, 23), on_time=None)
    add_rating(a, o1, 5, 5, 5, True)  # 5.0
    add_rating(b, o1, 2, 3, 1, False)  # 2.0
    add_rating(c, o2, 4, 4, 5, True)  # 4.333…
    add_rating(d, o3, 1, 1, 1, False, hidden=True)  # hidden: left out
    # Provider 1, 2026: one order; an order still in progress does not count.
    completed_order(enterprise=e2, provider=p1, completed_at=at(2026, 1, 1, 0))
    Order.objects.filter(
        pk=completed_order(enterprise=e3, provider=p1, completed_at=at(2026, 2, 1)).pk
    ).update(status="in_progress", completed_at=None)
    # Provider 2, 2025: one order, rated satisfied.
    e = completed_order(enterprise=e1, provider=p2, completed_at=at(2025, 5, 5))
    add_rating(e, o1, 3, 4, 5, True)  # 4.0
    return p1, p2


def test_rebuild_matches_hand_computed_values(db):
    p1, p2 = known_orders(db)
    ProviderYearFigures.objects.create(provider=p2, year=2026, orders_completed=9, computed_at=timezone.now())
    result = figures.rebuild([2025, 2026])
    assert result == {2025: 2, 2026: 1}
    row = ProviderYearFigures.objects.get(provider=p1, year=2025)
    assert row.smes_served == 3
    assert row.orders_completed == 4
    assert (row.ratings, row.satisfied) == (3, 2)
    assert row.satisfaction_rate == Decimal("66.67")  # 2 / 3
    assert row.average_stars == Decimal("3.78")  # (5 + 2 + 13/3) / 3 = 3.777…
    assert (row.delivered_with_deadline, row.delivered_on_time) == (3, 2)
    assert row.on_time_rate == Decimal("66.67")
    later = ProviderYearFigures.objects.get(provider=p1, year=2026)
    assert (later.orders_completed, later.smes_served, later.ratings, later.satisfaction_rate) == (
        1,
        1,
        0,
        None,
    )
    other = ProviderYearFigures.objects.get(provider=p2, year=2025)
    assert (other.smes_served, other.satisfaction_rate, other.average_stars) == (
        1,
        Decimal("100.00"),
        Decimal("4.00"),
    )
    # A stale row of a provider with nothing in the year is removed.
    assert not ProviderYearFigures.objects.filter(provider=p2, year=2026).exists()
    # Idempotent.
    figures.rebuild([2025, 2026])
    assert ProviderYearFigures.objects.count() == 3
    assert ProviderYearFigures.objects.get(provider=p1, year=2025).average_stars == Decimal("3.78")


def test_one_provider_refresh_equals_the_full_rebuild(db):
    p1, _p2 = known_orders(db)
    figures.refresh_provider_year(p1.pk, 2025)
    single = ProviderYearFigures.objects.filter(provider=p1, year=2025).values().get()
    figures.rebuild([2025])
    full = ProviderYearFigures.objects.filter(provider=p1, year=2025).values().get()
    for key in (
        "smes_served",
        "orders_completed",
        "ratings",
        "satisfied",
        "satisfaction_rate",
        "average_stars",
        "delivered_with_deadline",
        "delivered_on_time",
        "on_time_rate",
    ):
        assert single[key] == full[key], key


def test_selectors_and_command(db):
    p1, _ = known_orders(db)
    call_command("provider_figures_rebuild", "--year", "2025")
    assert [r.year for r in selectors.provider_figures(p1.pk)] == [2025]
    call_command("provider_figures_rebuild")
    assert [r.year for r in selectors.provider_figures(p1.pk, years=3)][:2] == [2026, 2025]
    assert selectors.certification_figures(p1.pk, 2025) == {
        "smes_served": 3,
        "satisfaction_percent": Decimal("66.67"),
    }
    assert selectors.certification_figures(p1.pk, 2019) == {"smes_served": 0, "satisfaction_percent": None}
