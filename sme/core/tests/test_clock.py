"""The one clock: pinned by the fixture, reached by every caller, restored afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sme.core import clock as platform_clock


def test_unpinned_clock_is_the_real_time():
    before = timezone.now()
    now = platform_clock.now()
    assert before <= now <= timezone.now()
    assert platform_clock.today() == timezone.localdate()


def test_pinning_a_day_means_ten_in_the_morning_local_time(clock):
    clock.pin(dt.date(2026, 3, 2))
    assert clock.today() == dt.date(2026, 3, 2)
    local = timezone.localtime(clock.now())
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 3, 2), 10, 0)


def test_advance_moves_a_pinned_clock_and_refuses_a_running_one(clock):
    with pytest.raises(RuntimeError):
        clock.advance(days=1)
    clock.pin(dt.date(2026, 12, 31))
    clock.advance(hours=15)
    assert clock.today() == dt.date(2027, 1, 1)


def test_pinned_block_restores_the_previous_pin(clock):
    clock.pin(dt.date(2026, 1, 5))
    with clock.pinned(dt.date(2030, 6, 1)):
        assert clock.today() == dt.date(2030, 6, 1)
    assert clock.today() == dt.date(2026, 1, 5)


def test_a_naive_moment_is_read_in_the_platform_time_zone(clock):
    clock.pin(dt.datetime(2026, 5, 1, 23, 30))
    assert clock.today() == dt.date(2026, 5, 1)
    assert timezone.is_aware(clock.now())
