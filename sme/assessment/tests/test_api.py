"""The assessment API: questionnaires, the public calculator, and a response within scope."""

from __future__ import annotations

from conftest import login
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import (
    DMA,
    ResponseFactory,
    highest_answers,
    lowest_answers,
    questionnaire,
)
from sme.assessment.tests.test_scoring import mixed_miit_answers
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory

BASE = "/api/v1/assessment"


def test_questionnaire_list_is_public(client, db):
    rows = client.get(f"{BASE}/questionnaires").json()
    by_code = {r["code"]: r for r in rows}
    assert set(by_code) == {"miit-manufacturing", "eu-jrc-dma-sme"}
    assert (
        by_code["miit-manufacturing"]["version"] == "2024"
        and by_code["miit-manufacturing"]["max_score"] == "100"
    )
    assert by_code["eu-jrc-dma-sme"]["based_on_public_description"] is True


def test_questionnaire_tree(client, db):
    tree = client.get(f"{BASE}/questionnaires/miit-manufacturing").json()
    assert [d["name"] for d in tree["dimensions"]] == ["数字化基础", "数字化经营", "数字化管理", "数字化成效"]
    network = tree["dimensions"][0]["sub_dimensions"][0]["items"][0]
    assert network["key"] == "network" and network["kind"] == "multi" and network["points"] == "8"
    assert network["options"][-1] == {
        "key": "none",
        "label": "以上均未实现",
        "points": "0",
        "exclusive": True,
    }
    rate = tree["dimensions"][0]["sub_dimensions"][0]["items"][1]
    assert [
        (b["interval"], b["from"], b["inclusive"], b["to"], b["to_inclusive"], b["points"])
        for b in rate["bands"]
    ] == [
        ("[0, 10%]", "0", True, "0.1", True, "0"),
        ("(10%, 20%]", "0.1", False, "0.2", True, "1.5"),
        ("(20%, 40%]", "0.2", False, "0.4", True, "3"),
        ("(40%, 60%]", "0.4", False, "0.6", True, "4.5"),
        ("(60%, 100%]", "0.6", False, "1", True, "6"),
    ]
    rule = tree["level_rules"][0]
    assert rule["unconfirmed"] is True and [lv["from"] for lv in rule["levels"]] == ["20", "40", "60", "80"]
    assert client.get(f"{BASE}/questionnaires/miit-manufacturing?version=1999").status_code == 404


def test_calculator_scores_without_saving(client, db):
    from sme.assessment.models import AssessmentResponse

    response = client.post(
        f"{BASE}/questionnaires/miit-manufacturing/score",
        {"answers": mixed_miit_answers()},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    # hand-computed in test_scoring.test_miit_total_by_hand: 18.05 + 18.375 + 12 = 48.425 → 二级
    assert body["total"] == "48.425" and body["level"] == {"key": "L2", "label": "二级", "rank": 2}
    assert body["dimensions"][0]["score"] == "18.05" and body["dimensions"][0]["max"] == "50"
    assert body["dimensions"][1]["scenario_counts"] == {"1": 0, "2": 15, "3": 1, "4": 0}
    assert not AssessmentResponse.objects.exists()


def test_calculator_names_each_bad_answer(client, db):
    answers = mixed_miit_answers()
    answers["network"] = ["none", "office"]
    answers["funding_share"] = {"numerator": 2000, "denominator": 1000}
    del answers["value_trend"]
    response = client.post(
        f"{BASE}/questionnaires/miit-manufacturing/score",
        {"answers": answers},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"network", "funding_share", "value_trend"}
    assert "不能再勾选其他选项" in errors["network"][0]
    assert "不能大于" in errors["funding_share"][0]
    assert "尚未作答" in errors["value_trend"][0]
    assert "3处" in response.json()["detail"]


def test_calculator_refuses_a_malformed_body(client, db):
    response = client.post(
        f"{BASE}/questionnaires/miit-manufacturing/score",
        {"answers": [1, 2]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "answers" in response.json()["errors"]


def test_calculator_for_the_dma(client, db):
    instrument = instrument_for(questionnaire(DMA))
    body = client.post(
        f"{BASE}/questionnaires/eu-jrc-dma-sme/score",
        {"answers": lowest_answers(instrument)},
        content_type="application/json",
    ).json()
    assert (body["total"], body["level"]["key"]) == ("0", "basic")


def test_own_response_with_answers_and_result(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    from sme.assessment.tests.test_views import take

    done = take(enterprise_owner, org, highest_answers(instrument_for(questionnaire())))
    login(client, enterprise_owner)
    body = client.get(f"{BASE}/responses/{done.pk}").json()
    assert body["organization"] == {"id": org.pk, "name": org.name}
    assert body["questionnaire"] == {"code": "miit-manufacturing", "version": "2024"}
    assert body["status"] == "submitted" and body["result"]["total"] == "100"
    assert body["answers"]["network"] == ["office", "shopfloor", "operations", "external"]
    assert body["verified_score"] is None


def test_response_outside_scope_is_404(client, enterprise_owner, district_officer, wanzhou, yuzhong):
    other = ResponseFactory(organization=OrganizationFactory(district=yuzhong, verified=True), submitted=True)
    login(client, enterprise_owner)
    assert client.get(f"{BASE}/responses/{other.pk}").status_code == 404  # another enterprise's
    login(client, district_officer)
    assert client.get(f"{BASE}/responses/{other.pk}").status_code == 404  # another district's
    mine = ResponseFactory(organization=OrganizationFactory(district=wanzhou, verified=True), submitted=True)
    assert client.get(f"{BASE}/responses/{mine.pk}").json()["id"] == mine.pk
    draft = ResponseFactory(organization=mine.organization, questionnaire=questionnaire(DMA))
    assert client.get(f"{BASE}/responses/{draft.pk}").status_code == 404  # officers never see drafts


def test_schema_documents_the_endpoints(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/assessment/questionnaires" in paths
    assert "/api/v1/assessment/questionnaires/{code}" in paths
    score = paths["/api/v1/assessment/questionnaires/{code}/score"]["post"]
    assert set(score["responses"]) == {"200", "400"}
    assert "/api/v1/assessment/responses/{id}" in paths
    tree = schema["components"]["schemas"]["QuestionnaireTree"]
    assert {"dimensions", "level_rules", "pledge"} <= set(tree["properties"])
