"""The fast classifier stores exactly what ``size_class.classify`` says, reasons word for word (once
rendered: they are stored as messages, read in the reader's language)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sme.enterprises.classification import Classifier
from sme.enterprises.loader import snapshots_from_files
from sme.enterprises.reasons import render_reasons
from sme.enterprises.size_class import SizeInputError, classify

RULES = snapshots_from_files()[0]
CLASSIFIER = Classifier(RULES)
CODES = [
    "A",
    "C",
    "13",
    "591",
    "59",
    "65",
    "701",
    "7010",
    "702",
    "703",
    "E",
    "51",
    "52",
    "53",
    "J",
    "F",
    "L",
    "85",
    "99",
    "X",
]
figures = st.one_of(st.none(), st.integers(min_value=-5, max_value=200_000).map(lambda n: Decimal(n) / 4))


@settings(max_examples=600, deadline=None)
@given(
    code=st.sampled_from(CODES),
    employees=st.one_of(st.none(), st.integers(min_value=-2, max_value=5000)),
    revenue=figures,
    assets=figures,
)
def test_classifier_matches_classify(code, employees, revenue, assets):
    stored = CLASSIFIER.classify(code, 2024, employees, revenue, assets)
    try:
        expected = classify(code, employees, revenue, assets, standard=RULES)
    except SizeInputError as exc:
        assert stored.size_class == ""
        rendered = render_reasons(stored.reasons)
        assert [r for r in rendered if r in exc.errors] == exc.errors
        return
    assert stored.size_class == (expected.size or "")
    assert render_reasons(stored.reasons) == expected.reasons
    assert stored.group == (expected.group.number if expected.group else None)
    assert stored.figures == {
        k: (int(v) if k == "employees" else f"{Decimal(v).normalize():f}")
        for k, v in expected.figures.items()
    }
    assert stored.standard_version == "2011"
    assert stored.figures_year == 2024


def test_no_industry_and_no_figures_are_explained():
    assert "未填写行业代码" in render_reasons(CLASSIFIER.classify("", 2024, 1, None, None).reasons)[0]
    result = CLASSIFIER.classify("C", None, None, None, None)
    assert (result.size_class, result.group) == ("", 2)
    assert "尚未填写年度数据" in render_reasons(result.reasons)[0]


def test_reasons_are_stored_as_facts_whatever_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        result = Classifier(RULES).classify("C", 2024, 50, Decimal(1500), None)
    assert result.reasons[1] == [
        "below",
        "large",
        [["employees", "50", "1000"], ["revenue", "1500", "40000"]],
    ]
    assert render_reasons(result.reasons)[1].startswith("未达到大型：从业人员 50 人，低于 1000 人")
