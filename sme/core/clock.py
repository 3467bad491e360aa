"""The platform's one clock: "today" and "now" in the platform's time zone (``TIME_ZONE``).

Every rule that depends on the date (deadlines, notice periods, windows, the daily jobs) asks this
module, never ``datetime.date.today()`` or ``timezone.now()`` directly, so that a test, the demo or a
replay of a past day can move the whole platform to another moment with :func:`pinned`:

    with clock.pinned(dt.date(2026, 3, 2)):
        certification_daily()

Record timestamps that only say when a row was written (``auto_now_add``) keep the real time.
The test suite's ``clock`` fixture (root ``conftest.py``) pins it for one test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

# When pinned to a day, "now" is this time of that day: the middle of a working day, so a pinned
# test never straddles midnight.
PINNED_DAY_TIME = dt.time(10, 0)


class _State:
    # One value for the whole process (not per thread), so a pinned clock also reaches the live
    # server thread of the browser tests. Nothing pins it in production.
    at: dt.datetime | None = None


_state = _State()


def _pinned() -> dt.datetime | None:
    return _state.at


def now() -> dt.datetime:
    """The current moment, timezone-aware."""
    return _pinned() or timezone.now()


def today() -> dt.date:
    """The current date in the platform's time zone."""
    return timezone.localdate(now())


def _as_moment(at: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(at, dt.datetime):
        return at if timezone.is_aware(at) else timezone.make_aware(at)
    return timezone.make_aware(dt.datetime.combine(at, PINNED_DAY_TIME))


def pin(at: dt.date | dt.datetime) -> None:
    """Stop the clock at ``at`` (a day means that day at 10:00 local time) until :func:`unpin`."""
    _state.at = _as_moment(at)


def unpin() -> None:
    _state.at = None


def advance(**delta: float) -> None:
    """Move a pinned clock forward by a ``timedelta(**delta)``."""
    current = _pinned()
    if current is None:
        raise RuntimeError("clock.advance needs a pinned clock")
    _state.at = current + dt.timedelta(**delta)


@contextmanager
def pinned(at: dt.date | dt.datetime) -> Iterator[None]:
    """The clock stopped at ``at`` inside the block, restored (pinned or not) after it."""
    before = _pinned()
    pin(at)
    try:
        yield
    finally:
        _state.at = before
