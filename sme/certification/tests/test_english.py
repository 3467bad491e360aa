"""In English, the names a scheme's data gives (criteria, categories, materials, score sheets, units,
article numbers) are English; official names (the scheme, the title) keep their Chinese with an English
gloss; the rules decide the same in either language; Chinese readers see Chinese."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from conftest import login
from sme.certification import eligibility, loader, names
from sme.certification.models import Application, Scheme
from sme.certification.services import applications as application_services
from sme.certification.services import reviews as review_services
from sme.certification.tests.factories import submitted
from sme.organizations.models import Organization
from sme.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 10)
HAN = re.compile(r"[\u4e00-\u9fff]")

PAGE_FIGURES = {
    "scheme": "cq-2013-city",
    "district": "500101",
    "on": "2013-06-01",
    "years_operating": "3",
    "total_assets_wan": "120",
    "staff": "25",
    "qualified_staff_share": "64",
    "smes_served_by_year_1": "70",
    "smes_served_by_year_2": "80",
    "smes_served_by_year_3": "90",
    "satisfaction": "85",
}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def cq() -> Scheme:
    return Scheme.objects.current().get(code="cq-2013-city")


def test_names_follow_the_readers_language():
    item = {"label": "运营年限", "label_en": "Years in operation"}
    with translation.override("en"):
        assert names.local(item) == "Years in operation"
        assert names.local({"label": "只有中文"}) == "只有中文"  # no English yet: the Chinese, never blank
        assert cq().display_name == f"{cq().name} ({cq().name_en})"
        assert cq().display_title.endswith("(Chongqing SME Informatization Public Service Platform)")
    with translation.override("zh-hans"):
        assert names.local(item) == "运营年限"
        assert cq().display_name == cq().name and cq().display_title == cq().title


def test_the_check_decides_the_same_in_either_language():
    raw = {
        "years_operating": 3,
        "total_assets_wan": 120,
        "staff": 25,
        "qualified_staff_share": 0.64,
        "smes_served_by_year": [70, 80, 90],
        "satisfaction": 0.85,
    }
    results = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            result = eligibility.check(cq(), district_code="500101", on=dt.date(2013, 6, 1), raw_figures=raw)
            results[language] = result
    zh, en = results["zh-hans"], results["en"]
    assert [(c.key, c.met, c.value, c.threshold, c.unit) for c in zh.criteria] == [
        (c.key, c.met, c.value, c.threshold, c.unit) for c in en.criteria
    ]
    by_key = {c.key: c for c in en.criteria}
    assert by_key["years_operating"].label == "Years in operation"
    assert by_key["years_operating"].article == "Art. 5(1)"
    assert by_key["years_operating"].value_display == "3 years"
    assert by_key["total_assets"].threshold_display == "≥ 50 10k yuan"
    assert by_key["satisfaction"].value_display == "85%"  # a share reads the same
    assert by_key["years_operating"].unit == "年"  # the rule's unit, as the API reports it
    for c in en.criteria:
        assert not HAN.search(c.label + c.article + c.description), c.key


def test_the_self_check_page_in_english(client):
    html = english(client).post("/certification/self-check/", PAGE_FIGURES).content.decode()
    assert 'lang="en"' in html
    result = html.split('data-testid="selfcheck-result"', 1)[1]
    for phrase in ("Years in operation", "Art. 5(1)", "3 years", "70 → 80 → 90 firms", "≥ 50 10k yuan"):
        assert phrase in result, phrase
    for c in cq().criteria:
        assert c["label"] not in result, c["label"]
    assert f"{cq().name} ({cq().name_en})" in html  # the scheme's official name, glossed


def test_the_api_answers_in_the_requested_language(client):
    body = {
        "district": "500101",
        "on": "2013-06-01",
        "figures": {
            "years_operating": 3,
            "total_assets_wan": 120,
            "staff": 25,
            "qualified_staff_share": 0.64,
            "smes_served_by_year": [70, 80, 90],
            "satisfaction": 0.85,
        },
    }
    response = client.post(
        "/api/v1/certification/schemes/cq-2013-city/eligibility",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = {r["key"]: r for r in response.json()["criteria"]}
    assert rows["staff"]["label"] == "Number of employees" and rows["staff"]["unit"] == "人"
    detail = client.get("/api/v1/certification/schemes/cq-2013-city").json()
    assert detail["name_en"] and detail["title_en"]
    assert all(c["label_en"] for c in detail["criteria"] + detail["materials"] + detail["categories"])


@pytest.fixture
def at_city_review(clock, provider_user, district_officer, city_officer):
    clock.pin(DAY)
    org = Organization.objects.get(memberships__user=provider_user)
    application = submitted(provider_user, org)
    application, _ = application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    experts = [UserFactory(username=f"en_expert_{i}", role="expert") for i in range(3)]
    application = review_services.application_assign_experts(
        actor=city_officer, application=application, experts=experts
    )
    return application, experts


def test_the_experts_task_in_english(client, at_city_review):
    application, experts = at_city_review
    login(client, experts[0])
    html = english(client).get(f"/certification/applications/{application.pk}/review/").content.decode()
    scheme = application.scheme
    for spec in scheme.materials:
        assert spec["label_en"] in html.replace("&#x27;", "'"), spec["key"]
        assert spec["article_en"] in html
    for item in scheme.expert_form["items"]:
        assert item["label_en"] in html.replace("&#x27;", "'"), item["key"]
        assert item["label"] not in html
    for c in scheme.categories:
        if c["key"] in application.categories:
            assert c["label_en"] in html and c["label"] not in html


def test_the_scheme_page_and_the_register_in_english(client):
    scheme = cq()
    html = english(client).get(f"/certification/schemes/{scheme.pk}/").content.decode()
    lists = html.split("</dl>", 1)[1]  # after the facts (whose source note quotes the text itself)
    for item in scheme.criteria + scheme.categories + scheme.materials:
        assert item["label_en"] in lists.replace("&#x27;", "'") and item["label"] not in lists, item["key"]
    register = client.get("/certification/register/").content.decode()
    assert scheme.categories[0]["label_en"] in register  # the category filter
    assert f"{scheme.name} ({scheme.name_en})" in register  # the scheme filter


def test_chinese_readers_see_chinese(client, at_city_review):
    application, experts = at_city_review
    login(client, experts[0])
    html = client.get(f"/certification/applications/{application.pk}/review/").content.decode()
    assert application.scheme.materials[1]["label"] in html
    assert application.scheme.materials[1]["label_en"] not in html


# --- the loader ----------------------------------------------------------------------------------


def test_an_applied_version_takes_new_english_names_but_never_new_rules(tmp_path: Path, provider_user):
    org = Organization.objects.get(memberships__user=provider_user)
    scheme = cq()
    Application.objects.create(
        scheme=scheme,
        organization=org,
        district=org.district,
        reference="EN-LOADER-1",
        platform_name="测试平台",
        created_by=provider_user,
    )
    row = json.loads((loader.DATA_DIR / "cq-2013-city.json").read_text(encoding="utf-8"))
    row["name_en"] = "Chongqing measures (revised gloss)"
    row["criteria"][0]["label_en"] = "Operating years"
    path = tmp_path / "cq.json"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    assert loader.load_files([path]) == 1
    scheme.refresh_from_db()
    assert scheme.name_en == "Chongqing measures (revised gloss)"
    assert scheme.criteria[0]["label_en"] == "Operating years"

    row["criteria"][1]["threshold"] = 150  # a rule: only a new version may change it
    row["name_en"] = "Another gloss"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    assert loader.load_files([path]) == 0
    scheme.refresh_from_db()
    assert scheme.criteria[1]["threshold"] == 100 and scheme.name_en == "Chongqing measures (revised gloss)"


def test_the_application_window_is_written_by_gettext_with_its_parts():
    from sme.certification.selectors.applications import window_problem

    scheme = cq()
    scheme.window_opens, scheme.window_closes = "03-01", "03-31"
    assert (
        window_problem(scheme, dt.date(2026, 1, 5))
        == "本办法的申报时间为每年3月1日至3月31日，当前不在申报期内。"
    )
    assert window_problem(scheme, dt.date(2026, 3, 5)) is None
