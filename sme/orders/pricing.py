"""The price an order agrees to, from the service's published fee (收费公开) and what the enterprise
typed: pure, so the order page can show it before anything is written."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from sme.catalog.models import FeeType, ServiceRevision
from sme.core import parsing
from sme.core.errors import InvalidInput

CENT = Decimal("0.01")
MAX_PRICE = parsing.MONEY_MAX_YUAN
MAX_QUANTITY = Decimal("99999999.99")


def plain_amount(value: Decimal | None) -> str | None:
    """An amount as the snapshot keeps it (a string to the 分)."""
    return None if value is None else str(value.quantize(CENT))


def refusal(problems: parsing.Problems) -> InvalidInput:
    """The refusal of a form with few fields: its first problem says what is wrong, every problem is
    kept under its field."""
    first = next(iter(problems.by_field.values()), [_("请改正标出的内容后再提交。")])[0]
    return InvalidInput(first, problems.by_field)


def _proposed_price(revision: ServiceRevision, raw: Any, use_smp: bool) -> Decimal:
    if raw in (None, ""):
        raise InvalidInput(_("请填写您提出的价格（在服务的价格区间内）。"), {"proposed_price": [_("必填")]})
    problems = parsing.Problems()
    price = parsing.money(raw, "proposed_price", problems, label=_("提出的价格"), required=True)
    if price is None:
        raise refusal(problems)
    low = revision.fee_min or Decimal(0)
    high = revision.fee_max if revision.fee_max is not None else MAX_PRICE
    smp = revision.small_micro_price
    if use_smp and smp is not None:
        high = min(high, smp)
        low = min(low, high)
    if price < low or price > high:
        raise InvalidInput(
            _("提出的价格须在%(low)s元至%(high)s元之间。") % {"low": low, "high": high},
            {"proposed_price": [_("超出价格区间")]},
        )
    return price


def _quantity(revision: ServiceRevision, raw: Any) -> Decimal:
    problems = parsing.Problems()
    qty = parsing.number(
        raw if raw not in (None, "") else 1,
        "quantity",
        problems,
        label=_("数量"),
        maximum=MAX_QUANTITY,
        required=True,
    )
    if qty is None:
        raise refusal(problems)
    if qty <= 0:
        raise InvalidInput(_("数量必须大于0。"), {"quantity": [_("数量必须大于0。")]})
    if revision.fee_type == FeeType.FIXED and qty != qty.to_integral_value():
        raise InvalidInput(_("固定价格的服务按份订购，数量须为整数。"), {"quantity": [_("须为整数")]})
    return qty


def quote(
    *,
    revision: ServiceRevision,
    quantity: Any = 1,
    proposed_price: Any = None,
    small_micro: bool = False,
) -> tuple[Decimal, Decimal, bool]:
    """The price to agree for an order of ``revision``: ``(quantity, agreed_price, small_micro_applied)``.

    fixed and per unit: unit price × quantity (the 小微企业 price as the unit price when it applies);
    range: the enterprise proposes a price within the range (a 小微企业 price, when it applies, caps the
    range); free: 0. Raises ``InvalidInput`` naming the field.
    """
    fee_type = revision.fee_type
    smp = revision.small_micro_price
    use_smp = bool(small_micro and smp is not None)
    if fee_type == FeeType.FREE:
        return Decimal(1), Decimal("0.00"), False
    if fee_type == FeeType.RANGE:
        return Decimal(1), _proposed_price(revision, proposed_price, use_smp), use_smp
    if fee_type not in (FeeType.FIXED, FeeType.PER_UNIT) or revision.fee_amount is None:
        raise InvalidInput(_("该服务的收费信息不完整，暂不能下单。"))
    qty = _quantity(revision, quantity)
    unit = smp if use_smp and smp is not None else revision.fee_amount
    price = (unit * qty).quantize(CENT, ROUND_HALF_UP)
    if price > MAX_PRICE:
        raise InvalidInput(_("订单金额过大，请减少数量。"), {"quantity": [_("金额过大")]})
    return qty, price, use_smp
