"""Money (the platform's one format, sme.core.money) and dates as Chinese readers read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format

from sme.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """The platform's one money format (sme.core.money); an em dash for nothing."""
    return format_yuan(value) or "—"


@register.filter
def cn_date(value: Any) -> str:
    """A date in the reader's language: 2026年11月22日, Nov. 22, 2026 (also for ISO strings kept in
    snapshots)."""
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return date_format(value, "DATE_FORMAT")
