"""Loading the questionnaire files: upsert, idempotent, the database snapshot equals the files'."""

from __future__ import annotations

import copy
import json

import pytest

from sme.assessment import loader
from sme.assessment.instrument import InstrumentError
from sme.assessment.models import Item, LevelRule, Option, Questionnaire
from sme.assessment.selectors import bump_data_version, instrument_for, questionnaires_in_force
from sme.assessment.tests.factories import MIIT


def test_migrate_loaded_both_instruments_and_the_snapshots_match_the_files(db):
    assert [q.code for q in questionnaires_in_force()] == ["miit-manufacturing", "eu-jrc-dma-sme"]
    for from_file in loader.instruments_from_files():
        stored = Questionnaire.objects.get(code=from_file.code, version=from_file.version)
        assert instrument_for(stored) == from_file


def _rows_snapshot():
    return sorted(Option.objects.values_list("item__key", "key", "label", "points")), sorted(
        Item.objects.values_list("key", "text", "points")
    )


def test_loading_again_changes_nothing(db):
    before = _rows_snapshot()
    ids = set(Item.objects.values_list("pk", flat=True))
    loader.load_files()
    assert _rows_snapshot() == before
    assert set(Item.objects.values_list("pk", flat=True)) == ids


def _write(tmp_path, data):
    path = tmp_path / "instrument.json"
    path.write_text(json.dumps({"questionnaires": [data]}, ensure_ascii=False), encoding="utf-8")
    return [path]


def test_an_edited_file_is_applied_and_admin_rules_are_kept(db, tmp_path):
    data = copy.deepcopy(loader.read_files()[0])
    q = Questionnaire.objects.get(code=MIIT[0], version=MIIT[1])
    LevelRule.objects.create(
        questionnaire=q,
        key="admin-rule",
        name="管理员新增",
        levels=[{"key": "L1", "label": "一级", "gte": 30}],
    )
    data["dimensions"][0]["sub_dimensions"][0]["items"][0]["options"][0]["label"] = "办公网络全覆盖"
    data["dimensions"][3]["sub_dimensions"].pop()  # drop 价值效益 (3 points) …
    data["dimensions"][3]["points"] = 17
    data["max_score"] = 97
    loader.load_files(_write(tmp_path, data))
    bump_data_version()
    instrument = instrument_for(q)
    assert instrument.items["network"].options[0].label == "办公网络全覆盖"
    assert "value_trend" not in instrument.items and not Item.objects.filter(key="value_trend").exists()
    assert instrument.max_score == 97
    assert LevelRule.objects.filter(key="admin-rule").exists()
    assert instrument.level_rule("admin-rule") is not None


def test_an_inconsistent_file_writes_nothing(db, tmp_path):
    data = copy.deepcopy(loader.read_files()[0])
    data["dimensions"][0]["sub_dimensions"][0]["points"] = 21
    before = _rows_snapshot()
    with pytest.raises(InstrumentError):
        loader.load_files(_write(tmp_path, data))
    assert _rows_snapshot() == before
