"""Showing scores: ``{{ value|points }}`` writes 35.500 as 35.5 and 50.000 as 50."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def points(value: Any) -> str:
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.quantize(Decimal("0.001")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(str(key), mapping.get(key))
    except AttributeError:
        return None
