"""Pages: each role × each page inside and outside its scope, the draft → pledge → report flow, the
report's contents, the authorities' list (scope and query count)."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from conftest import login
from sme.assessment import services
from sme.assessment.models import AssessmentResponse, VerifiedScore
from sme.assessment.peers import rebuild_peer_stats
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import (
    DMA,
    ResponseFactory,
    days_ago,
    highest_answers,
    lowest_answers,
    questionnaire,
)
from sme.core.models import AuditLog
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory

ROLES = [
    "anonymous",
    "enterprise",
    "provider",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "admin",
]


def take(actor, org, answers, code_version=("miit-manufacturing", "2024")):
    q = questionnaire(code_version)
    instrument = instrument_for(q)
    draft = services.response_start(actor=actor, organization=org, questionnaire=q)
    for dimension in instrument.dimensions:
        keys = [i.key for i in dimension.items]
        draft = services.response_save_draft(
            actor=actor,
            response=draft,
            answers={k: answers[k] for k in keys if k in answers},
            item_keys=keys,
            expected_version=draft.version,
        )
    return services.response_submit(actor=actor, response=draft, pledge=True)


@pytest.fixture
def world(
    enterprise_owner,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    admin_user,
    wanzhou,
):
    yz_org = Organization.objects.get(memberships__user=enterprise_owner)
    instrument = instrument_for(questionnaire())
    yz = take(enterprise_owner, yz_org, highest_answers(instrument))
    draft = services.response_start(
        actor=enterprise_owner, organization=yz_org, questionnaire=questionnaire(DMA)
    )
    wz = ResponseFactory(organization=OrganizationFactory(district=wanzhou, verified=True), submitted=True)
    users = {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }
    return {"yz": yz, "draft": draft, "wz": wz, "yz_org": yz_org, "users": users}


OFFICERS_SEE_YZ = {"other_district_officer": 200, "city_officer": 200, "admin": 200}
# (method, url, {role: status}); "login" = redirect to the login page; "*" = every other role.
PAGES = [
    (
        "get",
        "/assessment/",
        {"anonymous": "login", "enterprise": 200, "provider": 403, "expert": 403, "*": 302},
    ),
    (
        "get",
        "/assessment/responses/",
        {"anonymous": "login", "enterprise": 403, "provider": 403, "expert": 403, "*": 200},
    ),
    ("get", "/assessment/{yz}/", {"anonymous": "login", "enterprise": 200, **OFFICERS_SEE_YZ, "*": 404}),
    (
        "get",
        "/assessment/{yz}/report.pdf",
        {"anonymous": "login", "enterprise": 200, **OFFICERS_SEE_YZ, "*": 404},
    ),
    (
        "get",
        "/assessment/{wz}/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 404},
    ),
    ("get", "/assessment/{draft}/fill/1/", {"anonymous": "login", "enterprise": 200, "*": 404}),
    ("get", "/assessment/{draft}/submit/", {"anonymous": "login", "enterprise": 200, "*": 404}),
    ("get", "/assessment/{draft}/", {"anonymous": "login", "enterprise": 302, "*": 404}),
    (
        "get",
        "/assessment/{yz}/verify/",
        {
            "anonymous": "login",
            "other_district_officer": 200,
            "city_officer": 200,
            "enterprise": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "post",
        "/assessment/{yz}/verify/",  # an empty form comes back with its errors; nothing is recorded
        {
            "anonymous": "login",
            "other_district_officer": 200,
            "city_officer": 200,
            "enterprise": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    ("post", "/assessment/{draft}/fill/1/", {"anonymous": "login", "enterprise": 200, "*": 404}),
    ("post", "/assessment/{draft}/submit/", {"anonymous": "login", "enterprise": 200, "*": 404}),
    ("post", "/assessment/start/miit-manufacturing/", {"anonymous": "login", "enterprise": 302, "*": 404}),
    ("post", "/assessment/{draft}/delete/", {"anonymous": "login", "enterprise": 302, "*": 404}),
    ("get", "/api/v1/assessment/questionnaires", {"*": 200}),
    ("get", "/api/v1/assessment/questionnaires/miit-manufacturing", {"*": 200}),
    ("get", "/api/v1/assessment/questionnaires/no-such-thing", {"*": 404}),
    ("post", "/api/v1/assessment/questionnaires/miit-manufacturing/score", {"*": 400}),
    (
        "get",
        "/api/v1/assessment/responses/{yz}",
        {"anonymous": 403, "enterprise": 200, **OFFICERS_SEE_YZ, "*": 404},
    ),
    ("get", "/api/v1/assessment/responses/{draft}", {"anonymous": 403, "enterprise": 200, "*": 404}),
    (
        "get",
        "/api/v1/assessment/responses/{wz}",
        {"anonymous": 403, "district_officer": 200, "city_officer": 200, "admin": 200, "*": 404},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "table"), PAGES, ids=[f"{p[0]} {p[1]}" for p in PAGES])
def test_page_access(client, world, role, method, template, table):
    user = world["users"][role]
    if user is not None:
        login(client, user)
    url = template.format(yz=world["yz"].pk, wz=world["wz"].pk, draft=world["draft"].pk)
    data = {"organization": world["yz_org"].pk} if "/start/" in url else {}
    if url.endswith("/score"):
        response = client.post(url, {"answers": {}}, content_type="application/json")
    else:
        response = getattr(client, method)(url, data)
    expected = table.get(role, table.get("*"))
    if method == "post" and "/verify/" in url:
        assert not VerifiedScore.objects.exists()
    if method == "post" and "/submit/" in url:
        assert AssessmentResponse.objects.get(pk=world["draft"].pk).is_draft  # no pledge, not submitted
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    else:
        assert response.status_code == expected, (role, url, response.status_code)


# --- the enterprise's flow ------------------------------------------------------------------------------


def test_draft_is_saved_and_resumed_later(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    login(client, enterprise_owner)
    start = client.post("/assessment/start/miit-manufacturing/", {"organization": org.pk})
    draft = AssessmentResponse.objects.get(organization=org)
    assert start["Location"] == f"/assessment/{draft.pk}/fill/1/"
    saved = client.post(
        f"/assessment/{draft.pk}/fill/1/",
        {
            "version": draft.version,
            "network": ["office", "external"],
            "equipment_digital_rate__numerator": "12",
            "equipment_digital_rate__denominator": "40",
            "information_systems_coverage": "several",
            "go": "next",
        },
    )
    assert saved["Location"] == f"/assessment/{draft.pk}/fill/2/"
    # Later (a new session): the home page offers to resume, and page 1 shows the answers.
    client.logout()
    login(client, enterprise_owner)
    home = client.get("/assessment/").content.decode()
    assert f"/assessment/{draft.pk}/fill/1/" in home and "继续填写草稿" in home
    page = client.get(f"/assessment/{draft.pk}/fill/1/").content.decode()
    assert re.search(r'value="office"[^>]*checked', page) and re.search(r'value="external"[^>]*checked', page)
    assert not re.search(r'value="shopfloor"[^>]*checked', page)
    assert 'value="12"' in page and 'value="40"' in page
    assert "3/7" in page  # progress: 3 of the 7 items of 数字化基础 answered
    again = client.post("/assessment/start/miit-manufacturing/", {"organization": org.pk})
    assert again["Location"] == f"/assessment/{draft.pk}/fill/1/"  # resumes, no second draft
    assert AssessmentResponse.objects.filter(organization=org).count() == 1


def test_a_bad_answer_is_shown_on_the_page_and_nothing_saved(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    login(client, enterprise_owner)
    client.post("/assessment/start/miit-manufacturing/", {"organization": org.pk})
    draft = AssessmentResponse.objects.get(organization=org)
    page = client.post(
        f"/assessment/{draft.pk}/fill/1/",
        {
            "version": draft.version,
            "network": ["none", "office"],
            "equipment_network_rate__numerator": "9",
            "equipment_network_rate__denominator": "0",
            "go": "next",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="error-network"' in html and "不能再勾选其他选项" in html
    assert 'data-testid="error-equipment_network_rate"' in html and "不能为 0" in html
    draft.refresh_from_db()
    assert draft.answers == {}


def test_pledge_is_required_to_submit(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    q = questionnaire()
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=q)
    AssessmentResponse.objects.filter(pk=draft.pk).update(answers=highest_answers(instrument_for(q)))
    login(client, enterprise_owner)
    page = client.get(f"/assessment/{draft.pk}/submit/").content.decode()
    assert "真实性承诺" in page and "如实填写" in page and 'data-testid="all-answered"' in page
    refused = client.post(f"/assessment/{draft.pk}/submit/", {})
    assert refused.status_code == 200 and "请阅读并勾选真实性承诺" in refused.content.decode()
    assert AssessmentResponse.objects.get(pk=draft.pk).is_draft
    done = client.post(f"/assessment/{draft.pk}/submit/", {"pledge": "on"})
    assert done["Location"] == f"/assessment/{draft.pk}/"
    assert AssessmentResponse.objects.get(pk=draft.pk).status == "submitted"


def test_submit_page_lists_what_is_missing(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=questionnaire())
    login(client, enterprise_owner)
    page = client.get(f"/assessment/{draft.pk}/submit/").content.decode()
    assert 'data-testid="missing-items"' in page and "还有 31 题未作答" in page
    refused = client.post(f"/assessment/{draft.pk}/submit/", {"pledge": "on"}).content.decode()
    assert "还有31题未完成" in refused


def test_report_shows_level_chart_changes_and_recommendations(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    instrument = instrument_for(questionnaire())
    t0 = take(enterprise_owner, org, lowest_answers(instrument))
    AssessmentResponse.objects.filter(pk=t0.pk).update(submitted_at=days_ago(200))
    middle = lowest_answers(instrument)
    middle["information_systems_coverage"] = "all"  # +10 in 数字化基础
    t1 = take(enterprise_owner, org, middle)
    AssessmentResponse.objects.filter(pk=t1.pk).update(submitted_at=days_ago(100))
    answers = dict(middle, green_trend="better", plan_implementation="reviewed")  # +7 成效, +7.5 管理
    t2 = take(enterprise_owner, org, answers)
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{t2.pk}/").content.decode()
    assert 'data-testid="level"' in html and "一级" in html  # 10 + 7.5 + 7 = 24.5 → 一级
    assert re.search(r'data-testid="total">24\.5<', html)
    # change: since T0 (0 points) +24.5; since the previous (10) +14.5
    assert re.search(r'total-since-t0">[^<]*<span[^>]*>\+24\.5 分', html)
    assert re.search(r'total-since-previous">[^<]*<span[^>]*>\+14\.5 分', html)
    radar = json.loads(
        re.search(r'<script id="radar-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert [i["name"] for i in radar["indicators"]] == [
        "数字化基础",
        "数字化经营（场景等级）",
        "数字化管理",
        "数字化成效",
    ]
    # this response: 10/50 = 20 %, level 1 of 4 = 25 %, 7.5/30 = 25 %, 7/20 = 35 %; T0: 0, 25, 0, 0
    assert radar["series"][0]["value"] == [20.0, 25.0, 25.0, 35.0]
    assert radar["series"][1]["value"] == [0.0, 25.0, 0.0, 0.0]
    assert 'data-testid="level-rule"' in html and "待核实" not in html  # notes stay in the admin
    # the two weakest: 数字化基础 (20 %) and 数字化管理 (25 %; the scenario dimension ties but sorts after)
    recommended = re.findall(r'data-testid="category-([\w-]+)"', html)
    assert "it-infrastructure" in recommended and "strategy" in recommended
    assert "energy-saving" not in recommended
    assert html.count('data-testid="peer-hidden"') == 3
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html


def test_t0_report_says_so(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    t0 = take(enterprise_owner, org, highest_answers(instrument_for(questionnaire())))
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{t0.pk}/").content.decode()
    assert 'data-testid="t0-badge"' in html and 'data-testid="total-since-t0"' not in html


def test_dma_report_is_labelled_as_based_on_the_public_description(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    done = take(enterprise_owner, org, highest_answers(instrument_for(questionnaire(DMA))), DMA)
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{done.pk}/").content.decode()
    assert 'data-testid="public-description-note"' in html and "依据公开说明编写" in html
    assert "先进（Advanced）" in html
    home = client.get("/assessment/").content.decode()
    assert "依据公开说明编写" in home


def test_peer_averages_on_the_report(client, enterprise_owner, yuzhong):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    mine = take(enterprise_owner, org, highest_answers(instrument_for(questionnaire())))
    for total in (40, 50, 60, 70):
        ResponseFactory(
            organization=OrganizationFactory(district=yuzhong, verified=True), submitted=True, total=total
        )
    rebuild_peer_stats()
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{mine.pk}/").content.decode()
    # 渝中区: 100, 40, 50, 60, 70 → 320 / 5 = 64; this enterprise +36
    district = html.split('data-testid="peer-district"')[1].split("</div>\n    </div>")[0]
    assert "平均 64 分" in district and "+36" in district and "渝中区" in district


def test_verified_score_beside_the_self_score(client, world, other_district_officer):
    yz = world["yz"]
    login(client, other_district_officer)
    page = client.post(
        f"/assessment/{yz.pk}/verify/",
        {
            "total": "62",
            "evaluated_on": timezone.localdate().isoformat(),
            "note": "现场核查：数据采集只覆盖4个环节。",
        },
    )
    assert page["Location"] == f"/assessment/{yz.pk}/"
    login(client, world["users"]["enterprise"])
    html = client.get(f"/assessment/{yz.pk}/").content.decode()
    verified = html.split('data-testid="verified-score"')[1].split('data-testid="radar-chart"')[0]
    assert "62" in verified and "三级" in verified and "数据采集只覆盖4个环节" in verified
    assert re.search(r'data-testid="total">100<', html)


def test_bad_verified_score_is_shown_on_the_form(client, world, other_district_officer):
    login(client, other_district_officer)
    page = client.post(
        f"/assessment/{world['yz'].pk}/verify/",
        {"total": "120", "evaluated_on": timezone.localdate().isoformat(), "note": "x"},
    )
    assert page.status_code == 200 and "现场评定得分不能大于100" in page.content.decode()
    assert not VerifiedScore.objects.exists()


def test_officer_reading_a_report_is_audited(client, world, city_officer, enterprise_owner):
    login(client, city_officer)
    client.get(f"/assessment/{world['yz'].pk}/")
    assert AuditLog.objects.filter(
        action="assessment_response.view", actor=city_officer, object_id=str(world["yz"].pk)
    ).exists()
    login(client, enterprise_owner)
    client.get(f"/assessment/{world['yz'].pk}/")
    assert not AuditLog.objects.filter(action="assessment_response.view", actor=enterprise_owner).exists()


# --- lists ---------------------------------------------------------------------------------------------


def test_district_officer_lists_only_their_district(client, world, district_officer, wanzhou, yuzhong):
    for _n in range(3):
        ResponseFactory(organization=OrganizationFactory(district=wanzhou, verified=True), submitted=True)
    ResponseFactory(organization=OrganizationFactory(district=wanzhou, verified=True))  # a draft
    login(client, district_officer)
    html = client.get("/assessment/responses/").content.decode()
    shown = {int(pk) for pk in re.findall(r'href="/assessment/(\d+)/"', html)}
    expected = set(
        AssessmentResponse.objects.filter(organization__district=wanzhou, status="submitted").values_list(
            "pk", flat=True
        )
    )
    assert shown == expected and world["yz"].pk not in shown and len(shown) == 4


def test_city_officer_lists_every_district_and_filters(client, world, city_officer, yuzhong):
    login(client, city_officer)
    html = client.get("/assessment/responses/").content.decode()
    assert f'href="/assessment/{world["yz"].pk}/"' in html and f'href="/assessment/{world["wz"].pk}/"' in html
    html = client.get(f"/assessment/responses/?district={yuzhong.pk}&level=L4").content.decode()
    assert (
        f'href="/assessment/{world["yz"].pk}/"' in html
        and f'href="/assessment/{world["wz"].pk}/"' not in html
    )


def test_officer_list_query_ceiling(client, city_officer, wanzhou, django_assert_max_num_queries):
    for _n in range(25):
        response = ResponseFactory(
            organization=OrganizationFactory(district=wanzhou, verified=True), submitted=True
        )
        VerifiedScore.objects.create(
            response=response,
            total=50,
            level_key="L2",
            level_label="二级",
            level_rank=2,
            level_rule_key="miit-2022-bands",
            evaluated_on=timezone.localdate(),
            note="x",
            recorded_by=city_officer,
        )
    login(client, city_officer)
    client.get("/assessment/responses/")  # warm the questionnaire snapshot cache
    with django_assert_max_num_queries(12):
        html = client.get("/assessment/responses/").content.decode()
    assert html.count("已评定</span>") == 20


def test_enterprise_home_query_ceiling(client, enterprise_owner, django_assert_max_num_queries):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    for n in range(10):
        ResponseFactory(organization=org, submitted=True, submitted_at=days_ago(n))
    login(client, enterprise_owner)
    client.get("/assessment/")
    with django_assert_max_num_queries(12):
        html = client.get("/assessment/").content.decode()
    assert html.count("/report.pdf") == 10


def test_enterprise_todo_points_at_the_draft(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    login(client, enterprise_owner)
    assert "开展数字化水平评测" in client.get("/dashboard/").content.decode()
    draft = services.response_start(actor=enterprise_owner, organization=org, questionnaire=questionnaire())
    html = client.get("/dashboard/").content.decode()
    assert f"/assessment/{draft.pk}/fill/1/" in html and "继续填写评测" in html
