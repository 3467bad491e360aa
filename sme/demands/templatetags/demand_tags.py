from __future__ import annotations

from decimal import Decimal

from django import template

from sme.core.money import format_budget, format_yuan

register = template.Library()


@register.filter
def yuan(amount: Decimal | None) -> str:
    """``{{ proposal.price|yuan }}`` → "8,500 元" or "12.5 万元"."""
    return format_yuan(amount)


@register.simple_tag
def budget(demand: object) -> str:
    """``{% budget demand %}`` → "1 万元 – 5 万元", "不超过 3 万元", "面议"."""
    return format_budget(getattr(demand, "budget_min", None), getattr(demand, "budget_max", None))
