from decimal import Decimal

import pytest

from sme.core.money import format_budget, format_yuan


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("8500"), "8,500 元"),
        (Decimal("9999.50"), "9,999.50 元"),
        (Decimal("52000"), "5.2 万元"),
        (Decimal("125000"), "12.5 万元"),
        (Decimal("1234500"), "123.45 万元"),
        (Decimal("1234567"), "1,234,567 元"),  # not rounded
        (Decimal("25000.50"), "25,000.50 元"),
        (Decimal("30000000"), "3,000 万元"),
        (None, ""),
    ],
)
def test_format_yuan(amount, text):
    assert format_yuan(amount) == text


def test_format_budget():
    assert format_budget(None, None) == "面议"
    assert format_budget(None, Decimal("30000")) == "不超过 3 万元"
    assert format_budget(Decimal("5000"), None) == "不低于 5,000 元"
    assert format_budget(Decimal("10000"), Decimal("50000")) == "1 万元 – 5 万元"
