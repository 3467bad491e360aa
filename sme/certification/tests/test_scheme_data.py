"""The scheme data files ``data/schemes/*.json``: their format, what seed 001 and standards.md §5
require of them, and that ``migrate`` loads them as the current versions."""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path

import pytest

from sme.certification import eligibility, loader
from sme.certification.models import Scheme
from sme.regions.models import Zone, ZoneGrouping

DATA = Path(loader.__file__).resolve().parent / "data" / "schemes"
FILES = {"cq-2013-city": DATA / "cq-2013-city.json", "national-2017": DATA / "national-2017.json"}
NUMERALS = "一二三四五六七八九十"
MANAGED = {"id", "created_at", "updated_at", "is_current", "region", "copied_from", "created_by"}


def read(code: str) -> dict:
    return json.loads(FILES[code].read_text(encoding="utf-8"))


def articles(article: str, count: int) -> list[str]:
    return [f"{article}（{NUMERALS[i]}）" for i in range(count)]


@pytest.fixture(params=sorted(FILES))
def data(request) -> dict:
    return read(request.param)


# --- format --------------------------------------------------------------------------------------


def test_the_files_are_the_two_schemes():
    assert {p.name for p in DATA.glob("*.json")} >= {"cq-2013-city.json", "national-2017.json"}
    for code in FILES:
        assert read(code)["code"] == code


def test_every_key_is_a_scheme_field_and_every_field_is_given(data):
    fields = {f.name for f in Scheme._meta.concrete_fields}
    assert set(data) - {"region_code"} <= fields
    assert fields - MANAGED <= set(data), fields - MANAGED - set(data)


def test_the_dates_and_month_days_are_valid(data):
    for name in ("document_date", "effective_from", "zone_reference_date"):
        if data[name] is not None:
            dt.date.fromisoformat(data[name])
    assert data["effective_until"] is None
    for name in ("window_opens", "window_closes", "annual_summary_due"):
        dt.date.fromisoformat(f"2024-{data[name]}")
    assert data["level"] in {"national", "city", "district"}
    assert data["validity_years"] == data["rereview_years"] == 3


def test_the_certificate_number_pattern_is_a_valid_format_string(data):
    pattern = data["certificate_number_pattern"]
    names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    assert names <= {"year", "seq", "code"} and {"year", "seq"} <= names
    number = pattern.format(year=2013, seq=7, code=data["code"])
    assert "2013" in number and "007" in number and len(number) <= 60


def test_the_two_schemes_number_certificates_apart():
    numbers = {read(code)["certificate_number_pattern"].format(year=2018, seq=1, code=code) for code in FILES}
    assert len(numbers) == 2


def test_the_criteria_are_valid_and_typed(data):
    eligibility.validate_criteria(data["criteria"])
    for c in data["criteria"]:
        assert c["kind"] in eligibility.KINDS and c["article"] and c["label"]
        if c["kind"] == "judgement":
            assert "threshold" not in c and "figure" not in c
        else:
            assert c["unit"] and c["figure"] in eligibility.FIGURE_LABELS


def test_the_zone_thresholds_name_zones_of_the_grouping(db, data):
    grouping = data["zone_grouping"]
    keys = {k for c in data["criteria"] for k in (c.get("zone_thresholds") or {})}
    if not grouping:
        assert keys == set() and data["zone_reference_date"] is None
        return
    assert keys <= set(Zone.objects.filter(grouping__key=grouping).values_list("key", flat=True))
    group = ZoneGrouping.objects.get(key=grouping)
    reference = dt.date.fromisoformat(data["zone_reference_date"])
    assert group.valid_from <= reference < group.valid_to


def test_lists_have_unique_keys_and_the_format(data):
    for name in ("criteria", "categories", "materials"):
        keys = [row["key"] for row in data[name]]
        assert len(keys) == len(set(keys)), name
    for row in data["categories"]:
        assert set(row) == {
            "key",
            "article",
            "article_en",
            "label",
            "label_en",
            "description",
            "description_en",
        }
    for row in data["materials"]:
        assert set(row) == {
            "key",
            "article",
            "article_en",
            "label",
            "label_en",
            "provided_by",
            "required",
            "help",
            "help_en",
        }
        assert row["provided_by"] in {"form", "upload", "declaration"}
        assert isinstance(row["required"], bool)
    assert [m["provided_by"] for m in data["materials"]].count("form") == 1
    assert [m["provided_by"] for m in data["materials"]].count("declaration") == 1


def test_the_scoring_forms_add_up_to_100(data):
    expert, annual = data["expert_form"], data["annual_form"]
    assert sum(i["max_score"] for i in expert["items"]) == 100
    assert sum(i["max_score"] for i in annual["items"]) == 100
    assert 0 < expert["pass_average"] <= 100 and 0 < annual["pass_score"] <= 100
    for form in (expert, annual):
        assert "默认" in form["note"] and "default" in form["note_en"]
        assert all(set(i) == {"key", "label", "label_en", "max_score"} for i in form["items"])
        assert len({i["key"] for i in form["items"]}) == len(form["items"])


# --- what the seed and standards.md require --------------------------------------------------------


def test_cq_2013_has_all_six_conditions_of_article_5():
    data = read("cq-2013-city")
    referenced = {c["article"] for c in data["criteria"]}
    assert set(articles("第五条", 6)) <= referenced
    kinds = {}
    for c in data["criteria"]:
        kinds.setdefault(c["article"], set()).add(c["kind"])
    # (二)(五)(六) are for the reviewer only; (一)(三)(四) have numbers and a judgement part.
    for article in ("第五条（二）", "第五条（五）", "第五条（六）"):
        assert kinds[article] == {"judgement"}
    for article in ("第五条（一）", "第五条（三）", "第五条（四）"):
        assert "judgement" in kinds[article] and kinds[article] - {"judgement"}


def test_cq_2013_thresholds_and_wing_variants():
    rows = {c["key"]: c for c in read("cq-2013-city")["criteria"]}
    expected = {
        "years_operating": (2, {}),
        "total_assets": (100, {"liangyi": 50}),
        "staff": (20, {"liangyi": 10}),
        "qualified_staff_share": (0.6, {}),
        "smes_served": (80, {"liangyi": 30}),
        "satisfaction": (0.8, {}),
    }
    for key, (threshold, zones) in expected.items():
        assert (rows[key]["threshold"], rows[key]["zone_thresholds"]) == (threshold, zones), key
    assert rows["smes_served_growth"]["kind"] == "growth" and rows["smes_served_growth"]["years"] == 2


def test_cq_2013_has_the_eight_categories_of_article_6():
    categories = read("cq-2013-city")["categories"]
    assert [c["article"] for c in categories] == articles("第六条", 8)
    assert all(len(c["label"]) <= 16 and len(c["description"]) > len(c["label"]) for c in categories)


def test_cq_2013_has_the_ten_materials_of_article_8():
    materials = read("cq-2013-city")["materials"]
    assert [m["article"] for m in materials] == articles("第八条", 10)
    by_article = {m["article"]: m for m in materials}
    assert by_article["第八条（一）"]["provided_by"] == "form"
    assert by_article["第八条（十）"]["provided_by"] == "declaration"
    assert by_article["第八条（九）"]["required"] is False
    uploads = [m for m in materials if m["provided_by"] == "upload"]
    assert len(uploads) == 8
    assert [m["required"] for m in materials].count(False) == 1


def test_cq_2013_dates_deadline_and_notice():
    data = read("cq-2013-city")
    assert (data["document_number"], data["document_date"], data["effective_from"]) == (
        "渝中小企〔2013〕24号",
        "2013-02-26",
        "2013-02-26",
    )
    assert (data["level"], data["region_code"], data["zone_grouping"]) == ("city", "500000", "yiquan-liangyi")
    assert data["zone_reference_date"] == data["document_date"]
    assert (data["district_deadline_month"], data["district_deadline_day"]) == (2, None)
    assert data["notice_workdays"] == 7
    assert (
        "公示" in data["source_note"] and "民法" in data["source_note"]
    )  # the day-one choice, with its reason


def test_national_2017_conditions():
    data = read("national-2017")
    assert (data["level"], data["region_code"], data["zone_grouping"]) == ("national", None, "")
    assert data["document_number"] == "工信部企业〔2017〕156号"
    rows = {c["key"]: c for c in data["criteria"]}
    assert rows["years_operating"]["threshold"] == 2
    assert rows["total_assets"]["threshold"] == 300
    assert rows["smes_served"]["threshold"] == 150
    assert rows["satisfaction"]["threshold"] == 0.8
    assert rows["smes_served_growth"]["years"] == 2
    assert rows["service_institutions"]["threshold"] == 5
    assert rows["free_or_low_fee_share"]["threshold"] == 0.2
    assert rows["staff"]["threshold"] == 20
    assert rows["qualified_staff_share"]["threshold"] == 0.8
    assert rows["prior_certification"]["kind"] == "judgement"
    assert all(not c.get("zone_thresholds") for c in data["criteria"])
    assert data["categories"] and data["materials"]


# --- loaded by migrate ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_loads_both_as_current_versions():
    for code in FILES:
        data = read(code)
        scheme = Scheme.objects.current().select_related("region").get(code=code)
        assert scheme.version == data["version"]
        assert (scheme.region.code if scheme.region else None) == data["region_code"]
        assert scheme.effective_from == dt.date.fromisoformat(data["effective_from"])
        assert scheme.criteria == data["criteria"] and scheme.materials == data["materials"]
    cq = Scheme.objects.current().get(code="cq-2013-city")
    assert cq.district_deadline(2016) == dt.date(2016, 2, 29)  # "2月底前", a leap year
    assert cq.in_force(dt.date(2013, 2, 26)) and not cq.in_force(dt.date(2013, 2, 25))


@pytest.mark.django_db
def test_loading_the_files_again_changes_nothing():
    assert loader.load_files(list(FILES.values())) == 0


def test_every_name_we_give_has_its_english_and_official_names_a_gloss(data):
    """Data carries both names where they are ours to name; official names keep their Chinese, with an
    English gloss beside it (names.py shows the one the reader reads)."""
    assert data["name_en"] and data["title_en"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in data["title_en"])
    for name in ("criteria", "categories", "materials"):
        for row in data[name]:
            for key in ("label", "article"):
                english = row.get(f"{key}_en", "")
                assert english and english != row[key], (name, row["key"], key)
                assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), (name, row["key"], english)
    for c in data["criteria"]:
        assert c["description_en"]
        if c["kind"] != "judgement":
            assert c["unit_en"] and (c["unit_en"] == "%") == (c["unit"] == "%"), c["key"]
    for form in (data["expert_form"], data["annual_form"]):
        assert all(i["label_en"] for i in form["items"])
