"""The admin: questionnaires and responses read-only; a new level rule takes effect at once."""

from __future__ import annotations

import datetime as dt

from conftest import login
from sme.assessment.models import LevelRule
from sme.assessment.scoring import score
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import highest_answers, questionnaire
from sme.core.models import AuditLog


def test_admin_pages_open(client, admin_user):
    login(client, admin_user)
    for model in ("questionnaire", "levelrule", "assessmentresponse", "verifiedscore", "peerstat"):
        assert client.get(f"/admin/assessment/{model}/").status_code == 200, model
    assert client.get("/admin/assessment/questionnaire/add/").status_code == 403
    shipped = LevelRule.objects.get(key="miit-2022-bands")
    page = client.get(f"/admin/assessment/levelrule/{shipped.pk}/change/").content.decode()
    assert 'name="levels"' not in page  # a shipped rule is changed in its data file, not here


def test_an_administrator_adds_a_confirmed_rule(client, admin_user):
    miit = questionnaire()
    login(client, admin_user)
    response = client.post(
        "/admin/assessment/levelrule/add/",
        {
            "questionnaire": miit.pk,
            "key": "miit-2024-confirmed",
            "name": "2024年版等级划分（已核实）",
            "effective_from": "2025-01-01",
            "effective_to": "",
            "levels": '[{"key": "L1", "label": "一级", "gte": 30}, {"key": "L2", "label": "二级", "gte": 50},'
            ' {"key": "L3", "label": "三级", "gte": 70}, {"key": "L4", "label": "四级", "gte": 101}]',
            "below": '{"key": "L0", "label": "未达到一级"}',
            "internal_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    instrument = instrument_for(miit)  # the snapshot is rebuilt: the data version was bumped
    rule = instrument.level_rule_on(dt.date(2026, 1, 1))
    assert rule.key == "miit-2024-confirmed"
    assert score(instrument, highest_answers(instrument), on=dt.date(2026, 1, 1)).level_label == "三级"
    assert instrument.level_rule_on(dt.date(2024, 10, 1)).key == "miit-2022-bands"
    assert AuditLog.objects.filter(action="assessment.level_rule_save", actor=admin_user).exists()


def test_a_malformed_rule_is_refused(client, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/assessment/levelrule/add/",
        {
            "questionnaire": questionnaire().pk,
            "key": "broken",
            "name": "坏规则",
            "levels": '[{"key": "L2", "label": "二级", "gte": 50}, {"key": "L1", "label": "一级", "gte": 30}]',
            "below": "{}",
        },
    )
    assert response.status_code == 200 and "ascending" in response.content.decode()
    assert not LevelRule.objects.filter(key="broken").exists()


def test_deleting_rules_from_the_list_is_audited(client, admin_user):
    miit = questionnaire()
    extra = [
        LevelRule.objects.create(
            questionnaire=miit,
            key=f"extra-{n}",
            name=f"附加规则{n}",
            effective_from=dt.date(2030, 1, n),
            levels=[{"key": "L1", "label": "一级", "gte": 30}],
            below={"key": "L0", "label": "未达到一级"},
        )
        for n in (1, 2)
    ]
    login(client, admin_user)
    response = client.post(
        "/admin/assessment/levelrule/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in extra], "post": "yes"},
    )
    assert response.status_code == 302
    assert not LevelRule.objects.filter(key__startswith="extra-").exists()
    rows = AuditLog.objects.filter(action="assessment.level_rule_delete", actor=admin_user)
    assert {r.summary for r in rows} == {"在后台删除：附加规则1", "在后台删除：附加规则2"}
