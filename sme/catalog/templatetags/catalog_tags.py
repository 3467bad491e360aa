"""Fees and stars of catalogue services; sums use the platform's one money format (sme.core.money)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from sme.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """The platform's one money format (sme.core.money); an em dash for nothing."""
    return format_yuan(value) or "—"


def fee_text(fee_type: str, amount: Any = None, low: Any = None, high: Any = None, unit: str = "") -> str:
    if fee_type == "free":
        return _("免费（公益）")
    if fee_type == "range":
        return _("%(low)s 至 %(high)s") % {"low": yuan(low), "high": yuan(high)}
    if fee_type == "per_unit":
        return _("%(price)s/%(unit)s") % {"price": yuan(amount), "unit": unit or _("次")}
    if fee_type == "fixed":
        return yuan(amount)
    return "—"


@register.filter
def fee(obj: Any) -> str:
    """The fee of a revision (its own amounts) or of a listing row (its price bounds)."""
    if hasattr(obj, "fee_min"):
        return fee_text(obj.fee_type, obj.fee_amount, obj.fee_min, obj.fee_max, obj.fee_unit)
    if obj.fee_type == "range":
        return fee_text("range", low=obj.price_low, high=obj.price_high)
    if obj.fee_type == "per_unit":
        return _("%(price)s 起（按量计价）") % {"price": yuan(obj.price_high)}
    return fee_text(obj.fee_type, amount=obj.price_high)


@register.filter
def stars(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(str(value)):.1f}"
