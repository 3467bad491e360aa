"""``{% load money %}`` then ``{{ amount|yuan }}``: sums as Chinese readers read them (sme.core.money)."""

from __future__ import annotations

from typing import Any

from django import template

from sme.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """``8,500 元``, ``12.5 万元``; an em dash for nothing."""
    return format_yuan(value) or "—"
