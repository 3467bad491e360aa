"""One reading of typed numbers: separators, full-width digits, JSON numbers, money and shares."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sme.core import parsing
from sme.core.errors import InvalidInput
from sme.core.parsing import Problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12,000", Decimal("12000")),
        ("１２０００．５", Decimal("12000.5")),
        (" 12 000.50 ", Decimal("12000.50")),
        (12000, Decimal("12000")),
        (49.99, Decimal("49.99")),
        ("0", Decimal("0")),
    ],
)
def test_numbers_are_read_the_same_however_typed(raw, expected):
    problems = Problems()
    assert parsing.number(raw, "x", problems) == expected
    assert not problems


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("十二", "请填写数字"),
        ("1e400000", "请填写数字"),
        ("NaN", "请填写数字"),
        (True, "请填写数字"),
        ("-3", "不能为负数"),
        ("1.234", "最多保留2位小数"),
    ],
)
def test_bad_numbers_name_the_field_and_the_problem(raw, message_part):
    problems = Problems()
    assert parsing.number(raw, "price", problems, label="价格") is None
    assert message_part in problems.by_field["price"][0]
    assert problems.by_field["price"][0].startswith("价格")


def test_empty_is_none_unless_required():
    problems = Problems()
    assert parsing.number("  ", "a", problems) is None
    assert not problems
    assert parsing.number("", "a", problems, required=True, label="金额") is None
    assert problems.by_field == {"a": ["金额必填。"]}


def test_integers_take_whole_numbers_only():
    problems = Problems()
    assert parsing.integer("12.0", "n", problems) == 12
    assert parsing.integer("12.5", "m", problems) is None
    assert "请填写整数" in problems.by_field["m"][0]


def test_bounds():
    problems = Problems()
    assert parsing.integer("0", "a", problems, minimum=1) is None
    assert parsing.integer("101", "b", problems, maximum=100) is None
    assert set(problems.by_field) == {"a", "b"}


def test_money_in_yuan_and_in_wan_have_their_units_and_ceilings():
    problems = Problems()
    assert parsing.money("1,200.50", "yuan", problems) == Decimal("1200.50")
    assert parsing.money("abc", "bad", problems, in_wan=True, label="营业收入") is None
    assert "万元" in problems.by_field["bad"][0]
    assert parsing.money("10000000000", "big", problems) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85%", Decimal("0.85")),
        ("85％", Decimal("0.85")),
        ("0.85", Decimal("0.85")),
        (1, Decimal("1")),
        ("12.5%", Decimal("0.125")),
    ],
)
def test_shares_as_percent_or_fraction(raw, expected):
    problems = Problems()
    assert parsing.share(raw, "s", problems) == expected
    assert not problems


def test_a_bare_number_above_one_is_ambiguous_and_refused_with_both_forms():
    problems = Problems()
    assert parsing.share("85", "s", problems) is None
    message = problems.by_field["s"][0]
    assert "85%" in message and "0 到 1" in message


def test_a_share_above_a_hundred_percent_is_refused():
    problems = Problems()
    assert parsing.share("120%", "s", problems) is None
    assert parsing.share("-1%", "t", problems) is None
    assert set(problems.by_field) == {"s", "t"}


def test_raise_if_any_carries_every_field():
    problems = Problems()
    parsing.number("x", "a", problems)
    parsing.integer("y", "b", problems)
    with pytest.raises(InvalidInput) as caught:
        problems.raise_if_any()
    assert set(caught.value.field_errors) == {"a", "b"}
    Problems().raise_if_any()  # nothing wrong: no error


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2, allow_nan=False))
def test_any_amount_written_with_separators_reads_back(amount):
    text = f"{amount:,.2f}"
    problems = Problems()
    assert parsing.money(text, "m", problems) == amount
    assert not problems
