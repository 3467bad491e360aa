"""The scoring engine and the shipped instruments, against standards.md section 6.

No database: the snapshots come straight from the data files. Expected totals are worked out by
hand in the comments (from the weights in standards.md), never taken from the code's output.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sme.assessment.instrument import InstrumentError, instrument_from_data
from sme.assessment.loader import read_files
from sme.assessment.scoring import AnswerError, assign_level, score, validate_answers
from sme.assessment.tests.factories import highest_answers, lowest_answers

D = Decimal
FILES = {row["code"]: row for row in read_files()}
MIIT = instrument_from_data(FILES["miit-manufacturing"])
DMA = instrument_from_data(FILES["eu-jrc-dma-sme"])
TODAY = dt.date(2026, 1, 1)

SCENARIOS = [
    "产品设计",
    "工艺设计",
    "营销管理",
    "售后服务",
    "计划排程",
    "生产管控",
    "质量管理",
    "设备管理",
    "安全生产",
    "能耗管理",
    "采购管理",
    "仓储物流",
    "财务管理",
    "人力资源",
    "协同办公",
    "决策支持",
]


# --- the MIIT 2024 instrument is standards.md section 6, point for point ---------------------------


def test_miit_tree_matches_standards():
    assert MIIT.max_score == 100
    dims = {d.name: d for d in MIIT.dimensions}
    assert {n: d.points for n, d in dims.items()} == {
        "数字化基础": 50,
        "数字化经营": 0,  # the 16 scenarios are rated 1–4, not scored
        "数字化管理": 30,
        "数字化成效": 20,
    }
    subs = {s.name: s.points for d in MIIT.dimensions for s in d.sub_dimensions}
    assert subs == {
        "设备系统": 20,
        "数据采集": 10,
        "信息系统": 10,
        "信息安全": 10,
        "业务场景": 0,
        "规划管理": 15,
        "要素保障": 15,
        "绿色低碳": 7,
        "产品质量": 7,
        "市场表现": 3,
        "价值效益": 3,
    }


def _points(key: str) -> list[Decimal]:
    return [o.points for o in MIIT.items[key].options]


def test_miit_item_weights_match_standards():
    # 网络建设 8: multi-select, 4 options × 2, "none" 0
    assert _points("network") == [D(2)] * 4 + [D(0)] and MIIT.items["network"].exclusive_key == "none"
    # 设备数字化率 6 and 设备联网率 6: bands [0, 10%] 0, (10%, 20%] 1.5, (20%, 40%] 3, (40%, 60%] 4.5,
    # (60%, 100%] 6 (the edges, open or closed, in test_bands.py)
    for key in ("equipment_digital_rate", "equipment_network_rate"):
        bands = [(b.threshold.bound, b.points) for b in MIIT.items[key].bands]
        assert bands == [
            (D(0), D(0)),
            (D("0.1"), D("1.5")),
            (D("0.2"), D(3)),
            (D("0.4"), D("4.5")),
            (D("0.6"), D(6)),
        ]
    # 数据采集 10: 13 × 0.7 + 人力资源 0.9
    links = MIIT.items["data_collection_links"].options
    assert [o.label for o in links if not o.exclusive] == SCENARIOS[:14]
    assert {o.label: o.points for o in links if o.label != "人力资源" and not o.exclusive} == {
        name: D("0.7") for name in SCENARIOS[:13]
    }
    assert MIIT.items["data_collection_links"].option("hr").points == D("0.9")
    # 信息系统 10: none 0, one link 2.5, ≥2 links 5, >80% 7.5, all 10
    assert _points("information_systems_coverage") == [D(0), D("2.5"), D(5), D("7.5"), D(10)]
    # 网络安全 5 and 数据安全 5: 4 measures × 1.25
    assert _points("network_security") == [D("1.25")] * 4 + [D(0)]
    assert _points("data_security") == [D("1.25")] * 4 + [D(0)]
    # 规划实施 7.5: 0/1.5/3/4.5/6/7.5; 管理机制 7.5: 4 × 1.875; 人才建设 7.5: 5 × 1.5
    assert _points("plan_implementation") == [D(0), D("1.5"), D(3), D("4.5"), D(6), D("7.5")]
    assert _points("management_mechanism") == [D("1.875")] * 4 + [D(0)]
    assert _points("talent") == [D("1.5")] * 5 + [D(0)]
    # 资金保障 7.5: bands 0/1.875/3.75/5.625/7.5
    assert [b.points for b in MIIT.items["funding_share"].bands] == [
        D(0),
        D("1.875"),
        D("3.75"),
        D("5.625"),
        D("7.5"),
    ]
    # 绿色低碳 7, 产品质量 7 (worse 0 / same 3.5 / better 7); 市场表现 3, 价值效益 3 (0 / 1.5 / 3)
    for key in ("green_trend", "quality_trend"):
        assert _points(key) == [D(0), D("3.5"), D(7)]
    for key in ("market_trend", "value_trend"):
        assert _points(key) == [D(0), D("1.5"), D(3)]
    # 16 business scenarios rated 1–4
    scenarios = [i for i in MIIT.items.values() if i.kind == "scenario"]
    assert [i.text for i in scenarios] == SCENARIOS


def test_miit_level_rule_is_the_2022_bands_marked_unconfirmed():
    rule = MIIT.level_rule_on(TODAY)
    assert rule.unconfirmed and "尚未核实" in rule.internal_note
    assert [(lv.label, lv.threshold.bound) for lv in rule.levels] == [
        ("一级", 20),
        ("二级", 40),
        ("三级", 60),
        ("四级", 80),
    ]


def test_dma_has_the_six_dimensions_and_says_it_is_based_on_the_public_description():
    assert [d.name for d in DMA.dimensions] == [
        "数字化经营战略",  # Digital Business Strategy
        "数字化就绪度",  # Digital Readiness
        "以人为本的数字化",  # Human-centric Digitalisation
        "数据管理",  # Data Management
        "自动化与人工智能",  # Automation & AI
        "绿色数字化",  # Green Digitalisation
    ]
    assert DMA.based_on_public_description and "公开说明" in DMA.public_description_label
    assert DMA.aggregate == "mean_percent"
    rule = DMA.level_rule_on(TODAY)
    flags = [(lv.key, lv.unconfirmed) for lv in rule.levels]
    assert flags == [("basic", False), ("average", True), ("moderate", True), ("advanced", True)]


# --- totals computed by hand ------------------------------------------------------------------------


def mixed_miit_answers() -> dict[str, Any]:
    answers: dict[str, Any] = {
        "network": ["office", "shopfloor"],  # 2 × 2 = 4
        "equipment_digital_rate": {"numerator": 30, "denominator": 100},  # 30 % → 20–40 % band: 3
        "equipment_network_rate": {"numerator": 6, "denominator": 60},  # exactly 10 % → [0, 10%]: 0
        "data_collection_links": ["finance", "hr", "purchasing"],  # 0.7 + 0.9 + 0.7 = 2.3
        "information_systems_coverage": "several",  # ≥ 2 links: 5
        "network_security": ["perimeter", "endpoint", "policy"],  # 3 × 1.25 = 3.75
        "data_security": ["none"],  # 0
        "plan_implementation": "started",  # 4.5
        "management_mechanism": ["leader", "data_rules"],  # 2 × 1.875 = 3.75
        "talent": ["staff", "training", "partners"],  # 3 × 1.5 = 4.5
        "funding_share": {"numerator": "450", "denominator": "1000"},  # 45 % → (40%, 60%]: 5.625
        "green_trend": "better",  # 7
        "quality_trend": "same",  # 3.5
        "market_trend": "worse",  # 0
        "value_trend": "same",  # 1.5
    }
    for item in MIIT.items.values():
        if item.kind == "scenario":
            answers[item.key] = 2  # 15 scenarios at level 2 …
    answers["scenario_product_design"] = 3  # … and one at level 3
    return answers


def test_miit_total_by_hand():
    result = score(MIIT, mixed_miit_answers(), on=TODAY)
    # 数字化基础 = 4 + 3 + 0 + 2.3 + 5 + 3.75 + 0 = 18.05
    # 数字化管理 = 4.5 + 3.75 + 4.5 + 5.625 = 18.375
    # 数字化成效 = 7 + 3.5 + 0 + 1.5 = 12
    # total = 18.05 + 18.375 + 12 = 48.425 → 二级 (40–60)
    assert result.total == D("48.425")
    assert (result.level_key, result.level_label, result.level_rank) == ("L2", "二级", 2)
    by_key = {d.key: d for d in result.dimensions}
    assert (by_key["foundation"].score, by_key["foundation"].max) == (D("18.05"), D(50))
    assert (by_key["management"].score, by_key["management"].max) == (D("18.375"), D(30))
    assert (by_key["outcomes"].score, by_key["outcomes"].max) == (D(12), D(20))
    assert by_key["operations"].score == 0 and by_key["operations"].max == 0
    subs = {s.key: (s.score, s.max) for s in by_key["foundation"].sub_dimensions}
    # 设备系统 = 4 + 3 + 0 = 7 of 20; 数据采集 2.3 of 10; 信息系统 5 of 10; 信息安全 3.75 of 10
    assert subs == {
        "equipment_systems": (D(7), D(20)),
        "data_collection": (D("2.3"), D(10)),
        "information_systems": (D(5), D(10)),
        "information_security": (D("3.75"), D(10)),
    }
    # scenarios: 15 at level 2 and 1 at level 3 → mean (15 × 2 + 3) / 16 = 2.0625 ≈ 2.06
    assert by_key["operations"].scenario_counts == {1: 0, 2: 15, 3: 1, 4: 0}
    assert by_key["operations"].mean_level == D("2.06")
    # foundation 18.05 / 50 = 36.1 %
    assert by_key["foundation"].percent == D("36.10")


def test_miit_extremes():
    best = score(MIIT, highest_answers(MIIT), on=TODAY)
    assert (best.total, best.level_label) == (D(100), "四级")
    worst = score(MIIT, lowest_answers(MIIT), on=TODAY)
    assert (worst.total, worst.level_key, worst.level_rank) == (D(0), "L0", 0)


def test_miit_level_boundary_at_40():
    answers = lowest_answers(MIIT)
    answers.update(
        {
            "information_systems_coverage": "all",  # 10
            "network": ["office", "shopfloor", "operations", "external"],  # 8
            # all 14 links: 13 × 0.7 + 0.9 = 10
            "data_collection_links": [
                o.key for o in MIIT.items["data_collection_links"].options if not o.exclusive
            ],
            "green_trend": "better",  # 7
            "network_security": ["perimeter", "endpoint", "policy", "testing"],  # 5
        }
    )
    # 10 + 8 + 10 + 7 + 5 = 40: "40—60" is 二级; the boundary goes to the higher level
    at_40 = score(MIIT, answers, on=TODAY)
    assert (at_40.total, at_40.level_label) == (D(40), "二级")
    answers["network_security"] = ["perimeter", "endpoint", "policy"]  # 40 − 1.25 = 38.75
    below = score(MIIT, answers, on=TODAY)
    assert (below.total, below.level_label) == (D("38.75"), "一级")


# Every edge of every banded item: test_bands.py.


def test_dma_overall_is_the_mean_of_dimension_percentages():
    answers = {
        "dma_investment_areas": ["design", "sales"],  # 2
        "dma_roadmap": "written",  # 3
        "dma_conditions": ["leadership"],  # 0.5 → strategy 5.5 / 10 = 55 %
        "dma_basic_tech": ["broadband", "website", "ecommerce", "cloud_office", "e_invoice"],  # 5
        "dma_advanced_tech": ["none"],  # 0 → readiness 5 / 10 = 50 %
        "dma_skills": ["assessment", "courses"],  # 2.5
        "dma_engagement": ["consulted"],  # 1.25 → human 3.75 / 10 = 37.5 %
        "dma_data_governance": "central",  # 3.5
        "dma_data_security": ["backup", "access", "protection", "training"],  # 5 → data 85 %
        "dma_automation": "some",  # 2.5
        "dma_ai": ["none"],  # 0 → automation 25 %
        "dma_green_practices": ["monitoring", "paperless", "decisions"],  # 3
        "dma_green_trend": "same",  # 2.5 → green 55 %
    }
    result = score(DMA, answers, on=TODAY)
    # (55 + 50 + 37.5 + 85 + 25 + 55) / 6 = 307.5 / 6 = 51.25 % → above 50 %: Moderately advanced
    assert result.total == D("51.25")
    assert result.level_key == "moderate"
    assert [d.percent for d in result.dimensions] == [D("55"), D("50"), D("37.5"), D("85"), D("25"), D("55")]


def test_dma_band_edges():
    rule = DMA.level_rule_on(TODAY)
    # Basic 0–25 %; above 25 Average, above 50 Moderately advanced, above 75 Advanced
    cases = {D(0): "basic", D(25): "basic", D("25.01"): "average", D(50): "average", D("75.5"): "advanced"}
    assert {total: assign_level(rule, total)[0] for total in cases} == cases


def test_scenario_counts_in_a_level_rule():
    data = copy.deepcopy(FILES["miit-manufacturing"])
    data["level_rules"] = [
        {
            "key": "with-scenarios",
            "levels": [
                {"key": "L1", "label": "一级", "gte": 20},
                {"key": "L2", "label": "二级", "gte": 40},
                {"key": "L3", "label": "三级", "gte": 60, "scenarios": {"min_level": 3, "count": 4}},
                {"key": "L4", "label": "四级", "gte": 80, "scenarios": {"min_level": 3, "count": 8}},
            ],
        }
    ]
    instrument = instrument_from_data(data)
    answers = highest_answers(instrument)  # 100 points …
    scenario_keys = [k for k, i in instrument.items.items() if i.kind == "scenario"]
    for n, key in enumerate(scenario_keys):
        answers[key] = 3 if n < 5 else 2  # … but only 5 scenarios at level 3 or above
    result = score(instrument, answers, on=TODAY)
    # 100 ≥ 80 but 5 < 8 scenarios at level ≥ 3 → not 四级; 5 ≥ 4 → 三级
    assert (result.total, result.level_label) == (D(100), "三级")


# --- bad answers are refused, each named --------------------------------------------------------------


def test_none_option_with_others_is_refused():
    answers = mixed_miit_answers()
    answers["network"] = ["none", "office"]
    with pytest.raises(AnswerError) as exc:
        score(MIIT, answers, on=TODAY)
    assert [key for key, _m in exc.value.problems] == ["network"]
    assert "以上均未实现" in exc.value.errors[0] and "不能再勾选其他选项" in exc.value.errors[0]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"numerator": 0, "denominator": 0}, "生产设备总数（台/套）不能为 0"),
        (
            {"numerator": 12, "denominator": 10},
            "数字化生产设备数（台/套）（12）不能大于生产设备总数（台/套）（10）",
        ),
        ({"numerator": -1, "denominator": 10}, "不能为负数"),
        ({"numerator": "abc", "denominator": 10}, "应为不小于 0 的数"),
        ({"numerator": 3}, "应为不小于 0 的数"),
        (5, "请填写"),
    ],
)
def test_ratio_errors(value, fragment):
    answers = mixed_miit_answers()
    answers["equipment_digital_rate"] = value
    with pytest.raises(AnswerError) as exc:
        score(MIIT, answers, on=TODAY)
    assert exc.value.by_item().keys() == {"equipment_digital_rate"}
    assert fragment in exc.value.errors[0]


def test_every_bad_answer_is_named_at_once():
    answers = mixed_miit_answers()
    answers["network"] = ["none", "office"]
    answers["plan_implementation"] = "nonsense"
    answers["scenario_finance"] = 5
    del answers["talent"]
    answers["no_such_item"] = 1
    with pytest.raises(AnswerError) as exc:
        score(MIIT, answers, on=TODAY)
    assert set(exc.value.by_item()) == {
        "network",
        "plan_implementation",
        "scenario_finance",
        "talent",
        "no_such_item",
    }
    assert "尚未作答" in exc.value.by_item()["talent"][0]


def test_partial_answers_validate_without_the_missing_ones():
    clean = validate_answers(MIIT, {"network": ["shopfloor", "office"], "scenario_hr": "3"})
    assert clean == {"network": ["office", "shopfloor"], "scenario_hr": 3}  # instrument order; level as int
    result = score(MIIT, {"network": ["office"]}, complete=False, on=TODAY)
    assert result.total == 2


def test_inconsistent_instrument_data_is_refused():
    data = copy.deepcopy(FILES["miit-manufacturing"])
    data["dimensions"][0]["points"] = 49
    with pytest.raises(InstrumentError):
        instrument_from_data(data)
    data = copy.deepcopy(FILES["miit-manufacturing"])
    data["dimensions"][0]["sub_dimensions"][0]["items"][0]["options"][-1]["points"] = (
        1  # "none" worth a point
    )
    with pytest.raises(InstrumentError):
        instrument_from_data(data)


def test_result_as_dict_keeps_decimals_exact():
    data = score(MIIT, mixed_miit_answers(), on=TODAY).as_dict()
    assert data["total"] == "48.425" and data["level"]["label"] == "二级"
    assert data["dimensions"][1]["scenario_counts"] == {"1": 0, "2": 15, "3": 1, "4": 0}
