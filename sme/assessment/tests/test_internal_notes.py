"""Notes meant for administrators (where a rule comes from, what is still to be checked) stay in the
admin and the data files; enterprises and officers see the rule as it stands, on every page, in the
PDF and in the public API."""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from conftest import login
from sme.assessment.loader import read_files
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import DMA, highest_answers, lowest_answers, questionnaire
from sme.assessment.tests.test_views import take
from sme.organizations.models import Organization

pytestmark = pytest.mark.django_db

# Words only an administrator's note uses.
INTERNAL_WORDS = ("待核实", "未经核实", "尚未核实", "平台管理员", "暂定", "待核对")


def _internal_notes() -> list[str]:
    """Every internal note of the shipped data files, read from the files."""
    notes = []
    for q in read_files():
        for rule in q.get("level_rules", []):
            notes.append(rule.get("internal_note", ""))
        for d in q["dimensions"]:
            for s in d["sub_dimensions"]:
                for item in s["items"]:
                    notes.append(item.get("internal_note", ""))
    return [n for n in notes if n]


def _assert_clean(text: str, where: str) -> None:
    for word in INTERNAL_WORDS:
        assert word not in text, f"{where} shows {word!r}"
    for note in _internal_notes():
        assert note[:20] not in text, f"{where} shows an internal note: {note[:40]}"


def test_the_data_keeps_its_notes_for_the_administrators():
    notes = _internal_notes()
    assert any("待核实" in n for n in notes) and any("尚未核实" in n for n in notes)
    for q in read_files():
        for d in q["dimensions"]:
            for s in d["sub_dimensions"]:
                for item in s["items"]:
                    assert "note" not in item, f"{item['key']}: a note goes in internal_note or help"
        for rule in q.get("level_rules", []):
            assert "note" not in rule, f"{rule['key']}: a note goes in internal_note"


def test_fill_pages_show_the_rule_not_the_notes(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    login(client, enterprise_owner)
    response = client.post("/assessment/start/miit-manufacturing/", {"organization": org.pk})
    fill_url = response["Location"].rsplit("/", 2)[0]
    for page in (1, 2, 3, 4):
        html = client.get(f"{fill_url}/{page}/").content.decode()
        _assert_clean(html, f"fill page {page}")
    first = client.get(f"{fill_url}/1/").content.decode()
    # the rule as it stands: the intervals and points, and what the brackets mean
    assert 'data-testid="bands-equipment_digital_rate"' in first
    for shown in ("[0, 10%] 0 分", "(10%, 20%] 1.5 分", "(60%, 100%] 6 分", "恰为10%计入[0, 10%]"):
        assert shown in first, shown
    third = client.get(f"{fill_url}/3/").content.decode()
    assert "(40%, 60%] 5.625 分" in third


@pytest.mark.parametrize("code_version", [("miit-manufacturing", "2024"), DMA])
def test_report_page_and_pdf_show_the_rule_not_the_notes(client, enterprise_owner, code_version):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    done = take(
        enterprise_owner, org, lowest_answers(instrument_for(questionnaire(code_version))), code_version
    )
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{done.pk}/").content.decode()
    _assert_clean(html, "report page")
    assert 'data-testid="level-rule"' in html
    pdf = client.get(f"/assessment/{done.pk}/report.pdf").content
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    _assert_clean(text, "report PDF")
    assert "等级规则" in text


def test_the_miit_report_states_the_level_rule_as_it_stands(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    done = take(enterprise_owner, org, highest_answers(instrument_for(questionnaire())))
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{done.pk}/").content.decode()
    for shown in ("一级：≥ 20 分", "二级：≥ 40 分", "三级：≥ 60 分", "四级：≥ 80 分"):
        assert shown in html, shown


def test_the_public_api_gives_no_internal_notes(client):
    for code in ("miit-manufacturing", "eu-jrc-dma-sme"):
        response = client.get(f"/api/v1/assessment/questionnaires/{code}")
        assert response.status_code == 200
        body = json.dumps(response.json(), ensure_ascii=False)
        assert "工业和信息化部" in body or "DMA" in body  # the provenance users may read stays
        _assert_clean(body, f"API {code}")


def test_the_admin_shows_the_internal_notes(client, admin_user):
    login(client, admin_user)
    rules = client.get("/admin/assessment/levelrule/").content.decode()
    assert "miit-2022-bands" in rules or "2022年版等级划分" in rules
    from sme.assessment.models import Item, LevelRule

    rule = LevelRule.objects.get(key="miit-2022-bands")
    page = client.get(f"/admin/assessment/levelrule/{rule.pk}/change/").content.decode()
    assert "尚未核实" in page
    item = Item.objects.get(key="funding_share")
    page = client.get(f"/admin/assessment/item/{item.pk}/change/").content.decode()
    assert "待核实" in page
