"""Sums of money as Chinese readers expect them (one rule for every page): "8,500 元", "12.5 万元", "1–5 万元"."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

WAN = Decimal(10_000)


def _plain(number: Decimal) -> str:
    """Thousands separators, and no ".00" on whole sums."""
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def _wan(number: Decimal) -> str:
    return f"{number / WAN:,.2f}".rstrip("0").rstrip(".")


def format_yuan(amount: Decimal | int | str | None) -> str:
    """One sum: from 10,000 on in 万元 when that is exact (whole hundreds of 元), else in 元 —
    a price is never rounded for display."""
    if amount is None or amount == "":
        return ""
    number = Decimal(str(amount))
    if abs(number) >= WAN and number % 100 == 0:
        return _("%(n)s 万元") % {"n": _wan(number)}
    return _("%(n)s 元") % {"n": _plain(number)}


def format_budget(low: Decimal | None, high: Decimal | None) -> str:
    """A budget range; either end may be missing, and no budget at all reads 面议."""
    if low is None and high is None:
        return _("面议")
    if low is None:
        return _("不超过 %(high)s") % {"high": format_yuan(high)}
    if high is None:
        return _("不低于 %(low)s") % {"low": format_yuan(low)}
    if low == high:
        return format_yuan(low)
    return f"{format_yuan(low)} – {format_yuan(high)}"
