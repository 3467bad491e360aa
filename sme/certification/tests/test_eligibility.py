"""The eligibility check (``sme.certification.eligibility``) on the two shipped schemes.

The schemes are the rows ``migrate`` loads from ``data/schemes/*.json``. Figures are given as the
API receives them (JSON numbers, floats included), so the boundaries test the Decimal comparison.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from sme.certification import eligibility
from sme.certification.eligibility import EligibilityInputError, check, evaluate, parse_figures
from sme.certification.models import Scheme
from sme.regions.models import Region

pytestmark = pytest.mark.django_db

INSIDE = dt.date(2013, 6, 1)

# A service organization that meets every number of the 2013 city scheme in the city circle.
PASSING = {
    "years_operating": 3,
    "total_assets_wan": 120,
    "staff": 25,
    "qualified_staff_share": 0.64,
    "smes_served_by_year": [70, 80, 90],
    "satisfaction": 0.85,
}
NATIONAL_PASSING = {
    **PASSING,
    "total_assets_wan": 350,
    "qualified_staff_share": 0.85,
    "smes_served_by_year": [130, 150, 170],
    "service_institutions": 6,
    "free_or_low_fee_share": 0.25,
}


@pytest.fixture
def cq() -> Scheme:
    return Scheme.objects.current().select_related("region").get(code="cq-2013-city")


@pytest.fixture
def national() -> Scheme:
    return Scheme.objects.current().get(code="national-2017")


def district(code: str) -> Region:
    return Region.objects.current().get(code=code, level="district")


def by_key(result: eligibility.EligibilityResult) -> dict[str, eligibility.CriterionResult]:
    return {c.key: c for c in result.criteria}


def with_figure(base: dict, name: str, value) -> dict:
    figures = copy.deepcopy(base)
    figures[name] = value
    return figures


# --- zones ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "zone", "label", "in_wings"),
    [
        ("500103", "yixiaoshi-jingjiquan", "一小时经济圈", False),
        ("500101", "yudongbei-yi", "两翼 · 渝东北翼", True),
        ("500114", "yudongnan-yi", "两翼 · 渝东南翼", True),
    ],
)
def test_the_zone_comes_from_the_grouping_on_the_reference_date(cq, code, zone, label, in_wings):
    result = evaluate(cq, district=district(code), figures=PASSING)
    assert result.zone == zone
    assert result.zone_label == label
    assert ("liangyi" in result.zone_keys) is in_wings


def test_the_zone_is_fixed_at_the_documents_date_even_after_the_grouping_ended(cq):
    """一圈两翼 ended 2013-09-01; a 2020 check still uses the 2013 zones."""
    result = check(cq, district_code="500101", on=dt.date(2020, 5, 1), raw_figures=PASSING)
    assert result.zone == "yudongbei-yi"
    assert by_key(result)["total_assets"].threshold == Decimal(50)


# --- the boundaries of 第五条 ----------------------------------------------------------------------

WINGS = ["500101", "500114"]  # 万州区 (渝东北翼), 黔江区 (渝东南翼)
CIRCLE = ["500103"]  # 渝中区
EVERYWHERE = CIRCLE + WINGS

BOUNDARIES = [
    # (criterion, figure, districts, just below, exactly at)
    ("total_assets", "total_assets_wan", WINGS, 49.99, 50),
    ("total_assets", "total_assets_wan", CIRCLE, 99.99, 100),
    ("staff", "staff", WINGS, 9, 10),
    ("staff", "staff", CIRCLE, 19, 20),
    ("smes_served", "smes_served_by_year", WINGS, [27, 28, 29], [28, 29, 30]),
    ("smes_served", "smes_served_by_year", CIRCLE, [77, 78, 79], [78, 79, 80]),
    ("qualified_staff_share", "qualified_staff_share", EVERYWHERE, 0.5999, 0.60),
    ("satisfaction", "satisfaction", EVERYWHERE, 0.7999, 0.80),
    ("years_operating", "years_operating", EVERYWHERE, 1.99, 2),
]


def _boundary_cases():
    for key, figure, codes, below, at in BOUNDARIES:
        for code in codes:
            yield pytest.param(key, figure, code, below, at, id=f"{key}-{code}")


@pytest.mark.parametrize(("key", "figure", "code", "below", "at"), list(_boundary_cases()))
def test_just_below_fails_and_exactly_at_passes(cq, key, figure, code, below, at):
    where = district(code)
    failing = evaluate(cq, district=where, figures=with_figure(PASSING, figure, below))
    assert failing.eligible is False
    assert [c.key for c in failing.unmet] == [key]
    passing = evaluate(cq, district=where, figures=with_figure(PASSING, figure, at))
    assert passing.eligible is True
    assert by_key(passing)[key].met is True


@pytest.mark.parametrize(
    ("figure", "value", "key"),
    [
        ("total_assets_wan", 50, "total_assets"),
        ("staff", 10, "staff"),
        ("smes_served_by_year", [28, 29, 30], "smes_served"),
    ],
)
def test_the_wing_thresholds_do_not_apply_in_the_city_circle(cq, figure, value, key):
    in_wing = evaluate(cq, district=district("500101"), figures=with_figure(PASSING, figure, value))
    in_circle = evaluate(cq, district=district("500103"), figures=with_figure(PASSING, figure, value))
    assert by_key(in_wing)[key].met is True
    assert by_key(in_circle)[key].met is False and not in_circle.eligible


def test_the_threshold_shown_is_the_zones(cq):
    wing = by_key(evaluate(cq, district=district("500114"), figures=PASSING))
    circle = by_key(evaluate(cq, district=district("500103"), figures=PASSING))
    assert (wing["total_assets"].threshold, circle["total_assets"].threshold) == (Decimal(50), Decimal(100))
    assert (wing["staff"].threshold, circle["staff"].threshold) == (10, 20)
    assert (wing["smes_served"].threshold, circle["smes_served"].threshold) == (30, 80)
    assert (
        wing["qualified_staff_share"].threshold == circle["qualified_staff_share"].threshold == Decimal("0.6")
    )


def test_without_a_district_the_general_thresholds_apply(cq):
    result = evaluate(cq, district=None, figures=with_figure(PASSING, "total_assets_wan", 60))
    assert result.zone is None and result.zone_label == ""
    assert by_key(result)["total_assets"].met is False


# --- steady growth -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "met"),
    [
        ([70, 80, 90], True),
        ([80, 80, 90], False),  # the first of the two years is flat
        ([70, 80, 80], False),  # the latest year is flat
        ([70, 90, 85], False),  # the latest year falls
        ([200, 70, 80, 90], True),  # only the last two years count
        ([70, 80, 90, 89], False),
    ],
)
def test_growth_means_each_of_the_last_two_years_above_the_year_before(cq, series, met):
    result = evaluate(
        cq, district=district("500103"), figures=with_figure(PASSING, "smes_served_by_year", series)
    )
    growth = by_key(result)["smes_served_growth"]
    assert growth.met is met
    assert growth.value == series[-3:] and growth.threshold == 2
    assert result.eligible is met  # the latest year (≥ 80 in each case) does not decide here


def test_growth_needs_three_years(cq):
    with pytest.raises(EligibilityInputError) as error:
        evaluate(
            cq, district=district("500103"), figures=with_figure(PASSING, "smes_served_by_year", [85, 90])
        )
    assert error.value.fields == {"smes_served_by_year"}
    assert "3 年" in error.value.errors[0] and "收到 2 年" in error.value.errors[0]


def test_the_latest_year_is_the_last_entry(cq):
    result = evaluate(
        cq, district=district("500103"), figures=with_figure(PASSING, "smes_served_by_year", [60, 70, 80])
    )
    assert by_key(result)["smes_served"].value == 80 and by_key(result)["smes_served"].met is True


# --- judgement -----------------------------------------------------------------------------------


def test_judgement_criteria_are_null_and_never_block(cq):
    result = evaluate(cq, district=district("500101"), figures=PASSING)
    judged = [c for c in result.criteria if c.kind == "judgement"]
    articles = {c.article for c in judged}
    assert {"第五条（二）", "第五条（五）", "第五条（六）"} <= articles
    assert all(c.met is None and c.value is None and c.threshold is None for c in judged)
    assert result.for_reviewer == judged
    assert result.eligible is True


def test_a_failed_number_makes_it_ineligible_whatever_the_reviewer_criteria(cq):
    result = evaluate(cq, district=district("500101"), figures=with_figure(PASSING, "staff", 3))
    assert result.eligible is False and [c.key for c in result.unmet] == ["staff"]


# --- the date and the district -------------------------------------------------------------------


def test_a_date_inside_the_validity_is_checked(cq):
    assert check(cq, district_code="500101", on=INSIDE, raw_figures=PASSING).eligible is True
    assert check(cq, district_code="500101", on=dt.date(2013, 2, 26), raw_figures=PASSING).eligible is True


def test_a_date_before_the_scheme_is_refused_with_its_dates(cq):
    with pytest.raises(EligibilityInputError) as error:
        check(cq, district_code="500101", on=dt.date(2013, 2, 25), raw_figures=PASSING)
    assert error.value.fields == {"on"}
    message = error.value.errors[0]
    assert "2013-02-25" in message and "2013-02-26" in message and "渝中小企〔2013〕24号" in message


def test_a_date_after_the_scheme_ended_is_refused_with_its_dates(cq):
    cq.effective_until = dt.date(2016, 1, 1)  # not saved: the check takes the version it is given
    assert check(cq, district_code="500101", on=dt.date(2015, 12, 31), raw_figures=PASSING).eligible
    with pytest.raises(EligibilityInputError) as error:
        check(cq, district_code="500101", on=dt.date(2016, 1, 1), raw_figures=PASSING)
    assert error.value.fields == {"on"}
    assert "2013-02-26" in error.value.errors[0] and "2016-01-01" in error.value.errors[0]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "缺少所在区县"),
        (None, "缺少所在区县"),
        ("50010", "6 位行政区划代码"),
        ("万州区", "6 位行政区划代码"),
        (True, "6 位行政区划代码"),
        ("999999", "没有代码为 999999 的区县"),
        ("500000", "没有代码为 500000 的区县"),  # the city itself is no district
    ],
)
def test_an_unknown_or_malformed_district_is_named(cq, code, fragment):
    with pytest.raises(EligibilityInputError) as error:
        check(cq, district_code=code, on=INSIDE, raw_figures=PASSING)
    assert error.value.fields == {"district"}
    assert fragment in error.value.errors[0]


def test_a_district_outside_the_schemes_region_is_refused(cq, yuzhong):
    district_scheme = copy.copy(cq)
    district_scheme.region = yuzhong  # a 渝中区 scheme copied from the city's (第十七条)
    assert check(district_scheme, district_code="500103", on=INSIDE, raw_figures=PASSING).zone
    with pytest.raises(EligibilityInputError) as error:
        check(district_scheme, district_code="500101", on=INSIDE, raw_figures=PASSING)
    assert error.value.fields == {"district"}
    assert "万州区" in error.value.errors[0] and "渝中区" in error.value.errors[0]


def test_a_district_is_taken_as_it_was_on_the_date_or_as_it_is_today(cq):
    then = check(cq, district_code="500228", on=INSIDE, raw_figures=PASSING)  # 梁平县 until 2016-12
    assert then.zone == "yudongbei-yi"
    now = check(cq, district_code="500155", on=INSIDE, raw_figures=PASSING)  # 梁平区 since 2016-12
    assert now.zone == "yudongbei-yi"
    with pytest.raises(EligibilityInputError) as error:
        check(cq, district_code="500228", on=dt.date(2020, 1, 1), raw_figures=PASSING)
    assert "梁平区（500155）" in error.value.errors[0]


def test_a_functional_zone_is_named_by_its_key(cq):
    result = check(cq, district_code="cq-liangjiang", on=INSIDE, raw_figures=PASSING)
    assert result.zone == "yixiaoshi-jingjiquan"


def test_every_problem_is_named_at_once(cq):
    with pytest.raises(EligibilityInputError) as error:
        check(
            cq,
            district_code="123",
            on=dt.date(2012, 1, 1),
            raw_figures={"staff": "25", "satisfaction": 85, "smes_served_by_year": [70, 80]},
        )
    assert error.value.fields == {
        "district",
        "on",
        "years_operating",
        "total_assets_wan",
        "staff",
        "qualified_staff_share",
        "smes_served_by_year",
        "satisfaction",
    }


def test_figures_that_are_not_an_object_are_one_problem(cq):
    with pytest.raises(EligibilityInputError) as error:
        check(cq, district_code="500101", on=INSIDE, raw_figures=[1, 2, 3])
    assert error.value.fields == {"figures"}


# --- parsing the figures -------------------------------------------------------------------------


def test_parsed_figures_are_decimals_integers_and_lists(cq):
    figures = parse_figures(cq.criteria, {**PASSING, "unknown_extra": "ignored"})
    assert figures["total_assets_wan"] == Decimal(120) and isinstance(figures["total_assets_wan"], Decimal)
    assert figures["qualified_staff_share"] == Decimal("0.64")
    assert figures["staff"] == 25 and isinstance(figures["staff"], int)
    assert figures["smes_served_by_year"] == [70, 80, 90]
    assert "unknown_extra" not in figures
    assert parse_figures(cq.criteria, figures) == figures  # parsing again changes nothing


@pytest.mark.parametrize(
    ("figure", "value", "fragment"),
    [
        ("staff", True, "应为数字"),
        ("staff", "25", "应为数字"),
        ("staff", 25.5, "应为整数"),
        ("staff", -1, "不能为负数"),
        ("total_assets_wan", float("nan"), "应为数字"),
        ("total_assets_wan", float("inf"), "应为数字"),
        ("total_assets_wan", {"value": 1}, "应为数字"),
        ("satisfaction", 85, "0 到 1"),
        ("satisfaction", "0.85", "0 到 1"),
        ("qualified_staff_share", -0.1, "不能为负数"),
        ("smes_served_by_year", 90, "从早到晚"),
        ("smes_served_by_year", [70, 80.5, 90], "第2项 80.5"),
        ("smes_served_by_year", [70, -1, 90], "第2项 -1"),
        ("smes_served_by_year", [True, 80, 90], "第1项 true"),
        ("smes_served_by_year", ["70", 80, 90], "第1项 “70”"),
    ],
)
def test_a_malformed_figure_is_named(cq, figure, value, fragment):
    with pytest.raises(EligibilityInputError) as error:
        parse_figures(cq.criteria, with_figure(PASSING, figure, value))
    assert error.value.fields == {figure}
    assert fragment in error.value.errors[0]


def test_each_missing_figure_is_named(cq):
    with pytest.raises(EligibilityInputError) as error:
        parse_figures(cq.criteria, {"staff": 25, "years_operating": None})
    assert [name for name, _m in error.value.problems] == [
        "years_operating",
        "total_assets_wan",
        "qualified_staff_share",
        "smes_served_by_year",
        "satisfaction",
    ]
    assert error.value.errors[0] == "缺少运营年限（年）。"
    assert error.value.by_field("figures.")["figures.satisfaction"][0].startswith("缺少用户满意度")


# --- the national scheme -------------------------------------------------------------------------

NATIONAL_BOUNDARIES = [
    ("total_assets", "total_assets_wan", 299.99, 300),
    ("smes_served", "smes_served_by_year", [147, 148, 149], [148, 149, 150]),
    ("qualified_staff_share", "qualified_staff_share", 0.7999, 0.80),
    ("satisfaction", "satisfaction", 0.7999, 0.8),
    ("staff", "staff", 19, 20),
    ("service_institutions", "service_institutions", 4, 5),
    ("free_or_low_fee_share", "free_or_low_fee_share", 0.1999, 0.2),
    ("years_operating", "years_operating", 1.99, 2),
]


@pytest.mark.parametrize(
    ("key", "figure", "below", "at"), NATIONAL_BOUNDARIES, ids=[b[0] for b in NATIONAL_BOUNDARIES]
)
def test_the_national_thresholds(national, key, figure, below, at):
    wanzhou = district("500101")  # no wing discount at national level
    failing = evaluate(national, district=wanzhou, figures=with_figure(NATIONAL_PASSING, figure, below))
    assert [c.key for c in failing.unmet] == [key]
    passing = evaluate(national, district=wanzhou, figures=with_figure(NATIONAL_PASSING, figure, at))
    assert passing.eligible is True and by_key(passing)[key].met is True


def test_the_national_scheme_has_no_zones_and_needs_its_own_figures(national):
    result = check(national, district_code="500101", on=dt.date(2018, 1, 1), raw_figures=NATIONAL_PASSING)
    assert result.zone is None and result.zone_label == "" and result.zone_keys == ()
    assert by_key(result)["total_assets"].threshold == Decimal(300)
    with pytest.raises(EligibilityInputError) as error:
        check(national, district_code="500101", on=dt.date(2018, 1, 1), raw_figures=PASSING)
    assert error.value.fields == {"service_institutions", "free_or_low_fee_share"}
    with pytest.raises(EligibilityInputError) as error:
        check(national, district_code="500101", on=dt.date(2017, 7, 2), raw_figures=NATIONAL_PASSING)
    assert error.value.fields == {"on"} and "2017-07-03" in error.value.errors[0]


# --- how results read ----------------------------------------------------------------------------


def test_values_and_thresholds_read_in_units(cq):
    figures = {**PASSING, "total_assets_wan": 49.99, "qualified_staff_share": 0.6}
    rows = by_key(evaluate(cq, district=district("500101"), figures=figures))
    assert (rows["total_assets"].value_display, rows["total_assets"].threshold_display) == (
        "49.99 万元",
        "≥ 50 万元",
    )
    assert (rows["qualified_staff_share"].value_display, rows["qualified_staff_share"].threshold_display) == (
        "60%",
        "≥ 60%",
    )
    assert rows["satisfaction"].value_display == "85%"
    assert rows["staff"].threshold_display == "≥ 10 人"
    assert rows["smes_served_growth"].value_display == "70 → 80 → 90 家"
    assert rows["smes_served_growth"].threshold_display == "近2年逐年增长"
    assert rows["management"].value_display == "" and rows["management"].status_label == "由评审认定"
    assert rows["total_assets"].status_label == "不符合" and rows["staff"].status_label == "符合"


def test_as_dict_gives_json_numbers(cq):
    body = evaluate(cq, district=district("500101"), figures=PASSING).as_dict()
    assert body["eligible"] is True and body["zone"] == "yudongbei-yi"
    assert body["scheme"] == {"code": "cq-2013-city", "version": cq.version}
    rows = {c["key"]: c for c in body["criteria"]}
    assert rows["total_assets"] == {
        "key": "total_assets",
        "label": "资产总额",
        "article": "第五条（一）",
        "kind": "at_least",
        "met": True,
        "value": 120,
        "threshold": 50,
        "unit": "万元",
    }
    assert (
        rows["qualified_staff_share"]["value"] == 0.64 and rows["qualified_staff_share"]["threshold"] == 0.6
    )
    assert rows["smes_served_growth"]["value"] == [70, 80, 90]
    assert rows["leadership"]["met"] is None and rows["leadership"]["value"] is None


# --- checking criteria data ----------------------------------------------------------------------


def test_the_shipped_criteria_are_valid(cq, national):
    eligibility.validate_criteria(cq.criteria)
    eligibility.validate_criteria(national.criteria)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda c: c[1].update(kind="more_than"), "类型应为"),
        (lambda c: c[1].pop("threshold"), "门槛应为不小于 0 的数"),
        (lambda c: c[1].update(threshold="100"), "门槛应为不小于 0 的数"),
        (lambda c: c[1].update(zone_thresholds={"liangyi": -5}), "门槛应为不小于 0 的数"),
        (lambda c: c[5].update(threshold=60), "0 到 1 之间"),
        (lambda c: c[2].update(key="years_operating"), "key 重复"),
        (lambda c: c[8].pop("years"), "years 应为 1 到 10 的整数"),
        (lambda c: c[1].update(figure="smes_served_by_year"), "既作单个数值又作逐年数列"),
        (lambda c: c[1].update(figure="Total Assets"), "figure 应为"),
        (lambda c: c[3].pop("article"), "缺少 article"),
    ],
)
def test_invalid_criteria_are_refused_by_key(cq, change, fragment):
    criteria = copy.deepcopy(cq.criteria)
    assert [c["key"] for c in criteria][:9] == [
        "years_operating",
        "total_assets",
        "legal_person_finance",
        "cluster_service",
        "staff",
        "qualified_staff_share",
        "premises_facilities",
        "smes_served",
        "smes_served_growth",
    ]
    change(criteria)
    with pytest.raises(EligibilityInputError) as error:
        eligibility.validate_criteria(criteria)
    assert any(fragment in message for message in error.value.errors), error.value.errors


def test_a_new_figure_in_a_copied_scheme_needs_no_code(cq):
    district_scheme = copy.copy(cq)
    district_scheme.criteria = [
        *cq.criteria,
        {
            "key": "service_revenue",
            "article": "第五条",
            "label": "年服务收入",
            "kind": "at_least",
            "figure": "service_revenue_wan",
            "threshold": 30,
            "unit": "万元",
        },
    ]
    eligibility.validate_criteria(district_scheme.criteria)
    with pytest.raises(EligibilityInputError) as error:
        evaluate(district_scheme, district=district("500101"), figures=PASSING)
    assert error.value.problems == [("service_revenue_wan", "缺少年服务收入（万元）。")]
    result = evaluate(
        district_scheme, district=district("500101"), figures={**PASSING, "service_revenue_wan": 29.5}
    )
    assert [c.key for c in result.unmet] == ["service_revenue"]
