"""Every edge of every banded item of the shipped questionnaires, against standards.md section 6.

MIIT's online system labels its bands as intervals, "[0, 10%]", "(10%, 20%]" …: a rate exactly on an
edge scores the LOWER band (12 of 120 devices digitised, 10 %, scores 0, not 1.5). The expected bands
below are written out from standards.md, never read from the data files; the data must say the
same, and the engine must score each edge, and a hair above it, accordingly.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sme.assessment.instrument import InstrumentError, instrument_from_data
from sme.assessment.loader import read_files
from sme.assessment.scoring import item_points, score
from sme.assessment.tests.factories import lowest_answers

D = Decimal
FILES = {row["code"]: row for row in read_files()}
MIIT = instrument_from_data(FILES["miit-manufacturing"])
DMA = instrument_from_data(FILES["eu-jrc-dma-sme"])
TODAY = dt.date(2026, 1, 1)

# standards.md section 6, as written there: (lower edge %, upper edge %, points); every lower edge
# but the first is open, every upper edge closed.
EQUIPMENT_RATE_BANDS = [
    (0, 10, D(0)),
    (10, 20, D("1.5")),
    (20, 40, D(3)),
    (40, 60, D("4.5")),
    (60, 100, D(6)),
]
FUNDING_BANDS = [
    (0, 10, D(0)),
    (10, 20, D("1.875")),
    (20, 40, D("3.75")),
    (40, 60, D("5.625")),
    (60, 100, D("7.5")),
]
BANDED_ITEMS = {
    "equipment_digital_rate": EQUIPMENT_RATE_BANDS,  # 设备数字化率 6
    "equipment_network_rate": EQUIPMENT_RATE_BANDS,  # 设备联网率 6
    "funding_share": FUNDING_BANDS,  # 资金保障 7.5
}
INTERVAL_LABELS = ["[0, 10%]", "(10%, 20%]", "(20%, 40%]", "(40%, 60%]", "(60%, 100%]"]

EDGES = [
    (key, lower, upper, points, index)
    for key, bands in BANDED_ITEMS.items()
    for index, (lower, upper, points) in enumerate(bands)
]


def test_the_banded_items_are_exactly_those_of_standards_md():
    banded = {key for q in (MIIT, DMA) for key, item in q.items.items() if item.kind == "ratio"}
    assert banded == set(BANDED_ITEMS)


@pytest.mark.parametrize("key", BANDED_ITEMS)
def test_the_data_states_each_band_as_an_interval_with_its_open_and_closed_edges(key):
    bands = MIIT.items[key].bands
    assert [b.interval.as_text() for b in bands] == INTERVAL_LABELS
    assert [(b.interval.lower_open, b.interval.upper_open) for b in bands] == [(False, False)] + [
        (True, False)
    ] * 4
    expected = [(D(lo) / 100, D(hi) / 100, pts) for lo, hi, pts in BANDED_ITEMS[key]]
    assert [(b.interval.lower, b.interval.upper, b.points) for b in bands] == expected


def _points(key: str, numerator: object, denominator: object) -> Decimal:
    return item_points(MIIT.items[key], {"numerator": numerator, "denominator": denominator})


@pytest.mark.parametrize(("key", "lower", "upper", "points", "index"), EDGES)
def test_a_rate_exactly_on_an_upper_edge_scores_the_lower_band(key, lower, upper, points, index):
    # the band's own upper edge belongs to it: 12 of 120 (10 %) → [0, 10%]
    assert _points(key, upper * 12, 1200) == points, f"{upper}% exactly"
    if index > 0:  # its lower edge belongs to the band below
        assert _points(key, lower * 12, 1200) == BANDED_ITEMS[key][index - 1][2], f"{lower}% exactly"


@pytest.mark.parametrize(("key", "lower", "upper", "points", "index"), EDGES)
def test_a_hair_above_the_lower_edge_scores_the_band(key, lower, upper, points, index):
    # one more device in a million above the edge
    assert _points(key, lower * 10_000 + 1, 1_000_000) == points


def test_the_issue_example_twelve_of_a_hundred_and_twenty_devices():
    answers = lowest_answers(MIIT)
    answers["equipment_digital_rate"] = {"numerator": 12, "denominator": 120}
    assert score(MIIT, answers, on=TODAY).total == 0
    answers["equipment_digital_rate"] = {"numerator": 13, "denominator": 120}
    assert score(MIIT, answers, on=TODAY).total == D("1.5")


def _band_index(key: str, rate: Fraction) -> int:
    """From standards.md: the first band whose (closed) upper edge the rate does not exceed."""
    for index, (_lo, upper, _pts) in enumerate(BANDED_ITEMS[key]):
        if rate <= Fraction(upper, 100):
            return index
    raise AssertionError(rate)


@given(
    key=st.sampled_from(sorted(BANDED_ITEMS)),
    denominator=st.integers(min_value=1, max_value=10**7),
    data=st.data(),
)
def test_any_rate_scores_the_band_standards_md_puts_it_in(key, denominator, data):
    numerator = data.draw(st.integers(min_value=0, max_value=denominator))
    expected = BANDED_ITEMS[key][_band_index(key, Fraction(numerator, denominator))][2]
    assert _points(key, numerator, denominator) == expected


@given(
    edge=st.sampled_from([(key, index) for key, _lo, _hi, _pts, index in EDGES if index < 4]),
    denominator=st.integers(min_value=1, max_value=10**9),
    steps=st.integers(min_value=1, max_value=3),
)
def test_just_above_an_edge_scores_the_higher_band(edge, denominator, steps):
    key, index = edge
    edge_rate = Fraction(BANDED_ITEMS[key][index][1], 100)
    numerator = math.floor(edge_rate * denominator) + steps  # the first whole figures past the edge
    assume(Fraction(numerator, denominator) <= Fraction(BANDED_ITEMS[key][index + 1][1], 100))
    assert _points(key, numerator, denominator) == BANDED_ITEMS[key][index + 1][2]


@given(
    edge=st.sampled_from([(key, index) for key, _lo, _hi, _pts, index in EDGES if index < 4]),
    denominator=st.integers(min_value=1, max_value=10**6),
    places=st.integers(min_value=1, max_value=6),
)
def test_amounts_with_decimals_a_hair_above_an_edge_score_the_higher_band(edge, denominator, places):
    # money in 万元 is typed with decimals: 10 % of 2000 is 200, and 200.000001 is above it
    key, index = edge
    on_edge = Decimal(BANDED_ITEMS[key][index][1]) * denominator / 100
    assert _points(key, str(on_edge), denominator) == BANDED_ITEMS[key][index][2]
    above = on_edge + Decimal(1).scaleb(-places)
    assert _points(key, str(above), denominator) == BANDED_ITEMS[key][index + 1][2]


# --- the data checker refuses bands that leave a gap or overlap --------------------------------------


def _with_bands(bands: list[dict[str, object]]) -> dict[str, object]:
    data = copy.deepcopy(FILES["miit-manufacturing"])
    item = data["dimensions"][0]["sub_dimensions"][0]["items"][1]
    assert item["key"] == "equipment_digital_rate"
    item["bands"] = bands
    return data


@pytest.mark.parametrize(
    ("bands", "fragment"),
    [
        # both bands claim 10 %
        ([{"interval": "[0, 10%]", "points": 0}, {"interval": "[10%, 100%]", "points": 6}], "overlap"),
        # nobody claims 10 %
        ([{"interval": "[0, 10%)", "points": 0}, {"interval": "(10%, 100%]", "points": 6}], "gap"),
        ([{"interval": "(0, 100%]", "points": 6}], "[0"),
        ([{"interval": "[0, 90%]", "points": 6}], "100%"),
        ([{"interval": "[0, 10%", "points": 0}, {"interval": "(10%, 100%]", "points": 6}], "interval"),
        ([{"gte": 0, "points": 0}, {"gt": 0.1, "points": 6}], "interval"),
        ([{"interval": "[0, 20%]", "points": 0}, {"interval": "(10%, 100%]", "points": 6}], "overlap"),
    ],
)
def test_bands_that_do_not_tile_zero_to_a_hundred_percent_are_refused(bands, fragment):
    with pytest.raises(InstrumentError) as exc:
        instrument_from_data(_with_bands(bands))
    assert fragment in str(exc.value)
