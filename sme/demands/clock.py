"""The one clock of the demands app: services, selectors and the daily job ask it for "today", so a
test or a demo can move the whole app to another day by replacing :func:`today`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
