"""The size classifier against 工信部联企业〔2011〕300号 as standards.md section 1 states it.

These tests need no database: the snapshot is built straight from the shipped data files. The
thresholds are written out again below from standards.md, and the data file must agree with them;
the expected class of every boundary case is written out too, never computed by the classifier.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sme.enterprises.loader import snapshots_from_files
from sme.enterprises.size_class import SizeInputError, classify, resolve_industry

RULES = snapshots_from_files()[0]
D = Decimal

# standards.md section 1, copied by hand: group -> (name, a code of the group, {band: {indicator: bound}}).
X, Y, Z = "employees", "revenue", "assets"
STANDARD = {
    1: ("农、林、牧、渔业", "A", {"large": {Y: 20000}, "medium": {Y: 500}, "small": {Y: 50}}),
    2: (
        "工业",
        "C",
        {"large": {X: 1000, Y: 40000}, "medium": {X: 300, Y: 2000}, "small": {X: 20, Y: 300}},
    ),
    3: (
        "建筑业",
        "E",
        {"large": {Y: 80000, Z: 80000}, "medium": {Y: 6000, Z: 5000}, "small": {Y: 300, Z: 300}},
    ),
    4: ("批发业", "51", {"large": {X: 200, Y: 40000}, "medium": {X: 20, Y: 5000}, "small": {X: 5, Y: 1000}}),
    5: ("零售业", "52", {"large": {X: 300, Y: 20000}, "medium": {X: 50, Y: 500}, "small": {X: 10, Y: 100}}),
    6: (
        "交通运输业",
        "54",
        {"large": {X: 1000, Y: 30000}, "medium": {X: 300, Y: 3000}, "small": {X: 20, Y: 200}},
    ),
    7: (
        "仓储业",
        "592",
        {"large": {X: 200, Y: 30000}, "medium": {X: 100, Y: 1000}, "small": {X: 20, Y: 100}},
    ),
    8: (
        "邮政业",
        "60",
        {"large": {X: 1000, Y: 30000}, "medium": {X: 300, Y: 2000}, "small": {X: 20, Y: 100}},
    ),
    9: ("住宿业", "61", {"large": {X: 300, Y: 10000}, "medium": {X: 100, Y: 2000}, "small": {X: 10, Y: 100}}),
    10: (
        "餐饮业",
        "62",
        {"large": {X: 300, Y: 10000}, "medium": {X: 100, Y: 2000}, "small": {X: 10, Y: 100}},
    ),
    11: (
        "信息传输业",
        "63",
        {"large": {X: 2000, Y: 100000}, "medium": {X: 100, Y: 1000}, "small": {X: 10, Y: 100}},
    ),
    12: (
        "软件和信息技术服务业",
        "65",
        {"large": {X: 300, Y: 10000}, "medium": {X: 100, Y: 1000}, "small": {X: 10, Y: 50}},
    ),
    13: (
        "房地产开发经营",
        "701",
        {"large": {Y: 200000, Z: 10000}, "medium": {Y: 1000, Z: 5000}, "small": {Y: 100, Z: 2000}},
    ),
    14: (
        "物业管理",
        "702",
        {"large": {X: 1000, Y: 5000}, "medium": {X: 300, Y: 1000}, "small": {X: 100, Y: 500}},
    ),
    15: (
        "租赁和商务服务业",
        "L",
        {"large": {X: 300, Z: 120000}, "medium": {X: 100, Z: 8000}, "small": {X: 10, Z: 100}},
    ),
    16: ("其他未列明行业", "M", {"large": {X: 300}, "medium": {X: 100}, "small": {X: 10}}),
}

# One band down from each band: what "just below" a band's bound gives when every other figure sits
# exactly at that band's bounds.
ONE_BAND_DOWN = {"large": "medium", "medium": "small", "small": "micro"}
RANK = {"micro": 0, "small": 1, "medium": 2, "large": 3}


def run(code, employees=None, revenue=None, assets=None, **kwargs):
    return classify(code, employees, revenue, assets, standard=RULES, **kwargs)


def figures_at(bounds: dict[str, int]) -> dict[str, int | Decimal]:
    return {k: (int(v) if k == X else D(v)) for k, v in bounds.items()}


def step(indicator: str) -> int | Decimal:
    return 1 if indicator == X else D("0.01")


def by_kwargs(figures):
    return {"employees": figures.get(X), "revenue": figures.get(Y), "assets": figures.get(Z)}


# --- the data file against standards.md ---------------------------------------------------------


def test_data_file_matches_standards_md():
    assert RULES.document == "工信部联企业〔2011〕300号"
    assert RULES.effective_from == dt.date(2011, 6, 18)
    assert sorted(RULES.groups) == list(range(1, 17))
    for number, (name, _code, bands) in STANDARD.items():
        group = RULES.groups[number]
        assert group.name == name
        assert set(group.indicators) == set(bands["small"])
        for band, bounds in bands.items():
            assert dict(group.thresholds[band]) == {k: D(v) for k, v in bounds.items()}, (number, band)


# --- every boundary of every group --------------------------------------------------------------

BOUNDARY_CASES = [
    pytest.param(number, code, band, indicator, bounds, id=f"g{number}-{band}-{indicator}")
    for number, (_name, code, bands) in STANDARD.items()
    for band, bounds in bands.items()
    for indicator in bounds
]


@pytest.mark.parametrize(("number", "code", "band", "indicator", "bounds"), BOUNDARY_CASES)
def test_boundary_below_at_above(number, code, band, indicator, bounds):
    """Every other figure exactly at ``band``'s bounds; this one just below, at, just above."""
    base = figures_at(bounds)
    below = {**base, indicator: base[indicator] - step(indicator)}
    above = {**base, indicator: base[indicator] + step(indicator)}
    expected = {"below": ONE_BAND_DOWN[band], "at": band, "above": band}
    for where, figures in (("below", below), ("at", base), ("above", above)):
        result = run(code, **by_kwargs(figures))
        assert result.group is not None and result.group.number == number
        assert result.size == expected[where], (number, band, indicator, where, figures)


# Hand-picked cases, figures and classes written out.
@pytest.mark.parametrize(
    ("code", "employees", "revenue", "assets", "size"),
    [
        ("C", 1000, D(40000), None, "large"),
        ("C", 999, D(40000), None, "medium"),  # 大型 needs every upper figure reached
        ("C", 100000, D("39999.99"), None, "medium"),
        ("C", 300, D(2000), None, "medium"),
        ("C", 299, D(2000), None, "small"),
        ("C", 20, D(300), None, "small"),
        ("C", 19, D(100000), None, "micro"),  # 微型 on one indicator: X < 20
        ("C", 5000, D("299.99"), None, "micro"),  # 微型 on one indicator: Y < 300
        ("E", None, D(80000), D(80000), "large"),
        ("E", None, D(80000), D("79999.99"), "medium"),
        ("E", None, D(6000), D(4999), "small"),
        ("E", None, D(1000000), D(299), "micro"),
        ("51", 200, D(40000), None, "large"),
        ("51", 4, D(1000000), None, "micro"),
        ("52", 49, D(500), None, "small"),
        ("5910", 20, D(200), None, "small"),  # 装卸搬运 is 交通运输业
        ("5920", 20, D(200), None, "small"),  # 仓储业: small needs X 20, Y 100
        ("5920", 19, D(200), None, "micro"),
        ("7010", None, D(200000), D(10000), "large"),
        ("7010", None, D(200000), D(1999), "micro"),
        ("702", 1000, D(4999), None, "medium"),
        ("L", 300, None, D(120000), "large"),
        ("72", 9, None, D(1000000), "micro"),
        ("M", 300, None, None, "large"),  # 其他未列明: X ≥ 300 is 大型
        ("M", 299, None, None, "medium"),
        ("85", 10, None, None, "small"),
        ("703", 9, None, None, "micro"),
        ("A", None, D(20000), None, "large"),
        ("A", None, D("49.99"), None, "micro"),
        ("A", 0, D(0), None, "micro"),
    ],
)
def test_written_out_cases(code, employees, revenue, assets, size):
    assert run(code, employees, revenue, assets).size == size


def test_large_needs_every_upper_figure_in_every_two_indicator_group():
    for number, (_name, code, bands) in STANDARD.items():
        top = figures_at(bands["large"])
        assert run(code, **by_kwargs(top)).size == "large", number
        for indicator in top:
            short = {**top, indicator: top[indicator] - step(indicator)}
            assert run(code, **by_kwargs(short)).size == "medium", (number, indicator)


def test_micro_needs_only_one_indicator_below_small():
    for number, (_name, code, bands) in STANDARD.items():
        huge = {k: (v * 1000 if k == X else D(v) * 1000) for k, v in bands["large"].items()}
        for indicator, bound in bands["small"].items():
            low = {**huge, indicator: (bound - 1 if indicator == X else D(bound) - D("0.01"))}
            assert run(code, **by_kwargs(low)).size == "micro", (number, indicator)


# --- the result explains itself ------------------------------------------------------------------


def test_result_names_group_figures_reasons_and_rule():
    result = run("C", 50, D(1500), D(999))
    assert (result.size, result.label) == ("small", "小型")
    assert (result.group.number, result.group.name) == (2, "工业")
    assert dict(result.figures) == {X: 50, Y: D(1500)}  # assets is not used by 工业
    body = result.as_dict()
    assert body["rule"]["document"] == "工信部联企业〔2011〕300号"
    assert body["rule"]["effective_from"] == "2011-06-18"
    assert body["figures"] == {"employees": 50, "revenue": 1500}
    text = "\n".join(result.reasons)
    assert "第2组“工业”" in text
    assert "未达到中型：从业人员 50 人，低于 300 人" in text
    assert "达到小型的全部下限" in text
    assert "本组不按资产总额划型" in text


def test_micro_reason_names_the_missed_bound():
    result = run("52", 9, D(100000))
    assert result.size == "micro" and result.label == "微型"
    assert "未达到小型：从业人员 9 人，低于 10 人。" in result.reasons


# --- not classifiable, unknown codes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("J", "银发〔2015〕309号"),
        ("66", "银发〔2015〕309号"),
        ("6811", "银发〔2015〕309号"),
        ("53", "铁路运输业"),
        ("5311", "铁路运输业"),
        ("P", "不在《中小企业划型标准规定》所列行业范围内"),
        ("83", "不在《中小企业划型标准规定》所列行业范围内"),
        ("84", "84（卫生）不在"),
        ("S", "不在"),
        ("97", "不在"),
        ("704", "房地产租赁经营"),
        ("F", "请填写大类代码"),
        ("G", "请填写大类代码"),
        ("K", "请填写中类代码"),
        ("70", "请填写中类代码"),
    ],
)
def test_not_classifiable_says_why(code, needle):
    result = run(code, 10, D(10), D(10))
    assert result.size is None and result.group is None
    assert result.label == "不能按本标准划型"
    assert len(result.reasons) == 1 and needle in result.reasons[0], result.reasons
    assert result.as_dict()["size"] is None


def test_not_classifiable_needs_no_figures():
    assert run("J").size is None


@pytest.mark.parametrize("code", ["99", "00", "98", "9999", "Z", "X", "1", "12345", "C1", "", "  ", "一"])
def test_unknown_or_malformed_code_is_an_input_error(code):
    with pytest.raises(SizeInputError) as exc:
        run(code, 10, D(10), D(10))
    assert exc.value.fields == {"industry"}
    assert len(exc.value.errors) == 1 and "行业代码" in exc.value.errors[0]


# --- industry code resolution ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "group", "name", "chain"),
    [
        ("C", 2, "制造业", ("C",)),
        ("c", 2, "制造业", ("C",)),
        ("13", 2, "农副食品加工业", ("13", "C")),
        ("1311", 2, "稻谷加工", ("1311", "131", "13", "C")),
        ("591", 6, "装卸搬运", ("591", "59", "G")),
        ("5910", 6, "装卸搬运", ("5910", "591", "59", "G")),
        ("59", 7, "装卸搬运和仓储业", ("59", "G")),
        ("5990", 7, "其他仓储业", ("5990", "599", "59", "G")),
        ("7010", 13, "房地产开发经营", ("7010", "701", "70", "K")),
        ("7020", 14, "物业管理", ("7020", "702", "70", "K")),
        ("7090", 16, "其他房地产业", ("7090", "709", "70", "K")),
        ("0511", 1, "种子种苗培育活动", ("0511", "051", "05", "A")),
        ("44", 2, "电力、热力生产和供应业", ("44", "D")),
        ("71", 15, "租赁业", ("71", "L")),
        ("85", 16, "社会工作", ("85", "Q")),
    ],
)
def test_industry_code_resolution(code, group, name, chain):
    resolution = resolve_industry(code, RULES)
    assert resolution.chain == chain
    assert resolution.industry.name == name
    assert resolution.entry is not None and resolution.entry.group == group


# --- missing and bad figures ---------------------------------------------------------------------


def test_each_missing_figure_is_named():
    with pytest.raises(SizeInputError) as exc:
        run("C")
    assert exc.value.fields == {X, Y}
    assert exc.value.errors == [
        "缺少从业人员（人）：第2组“工业”按从业人员和营业收入划型。",
        "缺少营业收入（万元）：第2组“工业”按从业人员和营业收入划型。",
    ]
    with pytest.raises(SizeInputError) as exc:
        run("E", employees=100, revenue=D(100))
    assert exc.value.fields == {Z}
    assert isinstance(exc.value, ValueError)


def test_figures_the_group_does_not_use_may_be_left_out():
    assert run("A", revenue=D(600)).size == "medium"
    assert run("M", employees=10).size == "small"
    assert run("E", revenue=D(300), assets=D(300)).size == "small"


def test_negative_figures_are_refused():
    with pytest.raises(SizeInputError) as exc:
        run("C", -1, D(-5))
    assert exc.value.errors == ["从业人员不能为负数。", "营业收入不能为负数。"]


def test_a_date_outside_the_standard_is_refused():
    with pytest.raises(SizeInputError):
        run("C", 10, D(10), on=dt.date(2011, 6, 17))
    assert run("C", 10, D(10), on=dt.date(2011, 6, 18)).size == "micro"


# --- property: raising any one figure never lowers the class -------------------------------------

CODES = [code for _name, code, _bands in STANDARD.values()] + ["5910", "7010", "13", "85", "0511"]
employees_st = st.integers(min_value=0, max_value=5000)
amount_st = st.decimals(min_value=0, max_value=300000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(
    code=st.sampled_from(CODES),
    employees=employees_st,
    revenue=amount_st,
    assets=amount_st,
    which=st.sampled_from([X, Y, Z]),
    raise_by=st.decimals(min_value=D("0.01"), max_value=200000, places=2),
)
def test_raising_any_figure_never_lowers_the_class(code, employees, revenue, assets, which, raise_by):
    before = run(code, employees, revenue, assets)
    raised = {X: employees, Y: revenue, Z: assets}
    raised[which] = raised[which] + (int(raise_by) + 1 if which == X else raise_by)
    after = run(code, raised[X], raised[Y], raised[Z])
    assert RANK[after.size] >= RANK[before.size], (code, which, before.figures, after.figures)
