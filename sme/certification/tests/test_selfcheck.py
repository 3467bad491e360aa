"""The public self-check: ``/api/v1/certification/schemes…`` and the page ``/certification/self-check/``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import login

pytestmark = pytest.mark.django_db

SCHEMES = "/api/v1/certification/schemes"
ELIGIBILITY = "/api/v1/certification/schemes/{code}/eligibility"
PAGE = "/certification/self-check/"

# The issue's example body, verbatim.
EXAMPLE = {
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


def post_check(client, body, code="cq-2013-city", status=200):
    response = client.post(ELIGIBILITY.format(code=code), json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- POST …/eligibility: 200 -------------------------------------------------------------------


def test_the_issues_example_answers_in_the_issues_shape(client):
    body = post_check(client, EXAMPLE)
    assert body["eligible"] is True
    assert body["zone"] == "yudongbei-yi" and body["zone_label"] == "两翼 · 渝东北翼"
    for row in body["criteria"]:
        assert {"key", "label", "met", "value", "threshold"} <= set(row)
        assert row["met"] in (True, False, None)
    rows = {r["key"]: r for r in body["criteria"]}
    assert (rows["total_assets"]["value"], rows["total_assets"]["threshold"]) == (120, 50)
    assert rows["qualified_staff_share"]["value"] == 0.64
    assert rows["smes_served"]["value"] == 90 and rows["smes_served"]["threshold"] == 30
    assert rows["smes_served_growth"] == {**rows["smes_served_growth"], "met": True, "value": [70, 80, 90]}
    reviewer = [r for r in body["criteria"] if r["met"] is None]
    assert {r["article"] for r in reviewer} >= {"第五条（二）", "第五条（五）", "第五条（六）"}


def test_the_same_figures_fail_in_the_city_circle(client):
    body = post_check(
        client,
        {**EXAMPLE, "district": "500103", "figures": {**EXAMPLE["figures"], "total_assets_wan": 99.99}},
    )
    assert body["eligible"] is False and body["zone"] == "yixiaoshi-jingjiquan"
    unmet = [r for r in body["criteria"] if r["met"] is False]
    assert [(r["key"], r["value"], r["threshold"]) for r in unmet] == [("total_assets", 99.99, 100)]


def test_the_national_scheme(client):
    figures = {
        **EXAMPLE["figures"],
        "total_assets_wan": 300,
        "qualified_staff_share": 0.8,
        "smes_served_by_year": [100, 120, 150],
        "service_institutions": 5,
        "free_or_low_fee_share": 0.2,
    }
    body = post_check(
        client, {"district": "500101", "on": "2018-03-01", "figures": figures}, code="national-2017"
    )
    assert body["eligible"] is True and body["zone"] is None
    assert body["scheme"]["code"] == "national-2017"


# --- 400 -----------------------------------------------------------------------------------------


def test_each_missing_figure_is_named(client):
    body = post_check(client, {**EXAMPLE, "figures": {"staff": 25}}, status=400)
    assert set(body["errors"]) == {
        "figures.years_operating",
        "figures.total_assets_wan",
        "figures.qualified_staff_share",
        "figures.smes_served_by_year",
        "figures.satisfaction",
    }
    assert body["errors"]["figures.years_operating"] == ["缺少运营年限（年）。"]
    assert "缺少运营年限" in body["detail"]


def test_each_malformed_figure_is_named(client):
    figures = {
        **EXAMPLE["figures"],
        "staff": "25",
        "satisfaction": 85,
        "total_assets_wan": -1,
        "smes_served_by_year": [80, 90],
        "years_operating": True,
    }
    body = post_check(client, {**EXAMPLE, "figures": figures}, status=400)
    errors = body["errors"]
    assert set(errors) == {
        "figures.staff",
        "figures.satisfaction",
        "figures.total_assets_wan",
        "figures.smes_served_by_year",
        "figures.years_operating",
    }
    assert "“25”" in errors["figures.staff"][0]
    assert "0 到 1" in errors["figures.satisfaction"][0]
    assert "不能为负数" in errors["figures.total_assets_wan"][0]
    assert "收到 2 年" in errors["figures.smes_served_by_year"][0]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"district": None}, "district", "缺少所在区县"),
        ({"district": "999999"}, "district", "999999"),
        ({"on": None}, "on", "缺少自测日期"),
        ({"on": "2013/06/01"}, "on", "YYYY-MM-DD"),
        ({"on": "2013-02-30"}, "on", "YYYY-MM-DD"),
        ({"on": 20130601}, "on", "YYYY-MM-DD"),
        ({"on": "2012-12-31"}, "on", "2013-02-26"),
        ({"figures": [1, 2]}, "figures", "figures 应为对象"),
    ],
)
def test_district_date_and_figures_problems_are_named(client, change, field, fragment):
    body = post_check(client, {**EXAMPLE, **change}, status=400)
    assert set(body["errors"]) == {field}
    assert fragment in body["errors"][field][0]


def test_everything_wrong_at_once(client):
    body = post_check(client, {"on": "yesterday", "figures": {"staff": 9.5}}, status=400)
    assert {"district", "on", "figures.staff", "figures.satisfaction"} <= set(body["errors"])
    assert len(body["errors"]["on"]) == 1


def test_a_body_that_is_not_an_object(client):
    body = post_check(client, [EXAMPLE], status=400)
    assert list(body["errors"]) == ["__all__"]
    response = client.post(
        ELIGIBILITY.format(code="cq-2013-city"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400


# --- 404, methods, no login ----------------------------------------------------------------------


def test_an_unknown_scheme_is_404(client):
    body = post_check(client, EXAMPLE, code="cq-2099-city", status=404)
    assert "cq-2099-city" in body["detail"]
    assert client.get(f"{SCHEMES}/cq-2099-city").status_code == 404


def test_only_post_checks(client):
    assert client.get(ELIGIBILITY.format(code="cq-2013-city")).status_code == 405


def test_no_login_and_no_csrf_token_needed(enterprise_owner):
    anonymous = Client(enforce_csrf_checks=True)
    assert post_check(anonymous, EXAMPLE)["eligible"] is True
    signed_in = login(Client(enforce_csrf_checks=True), enterprise_owner)
    assert post_check(signed_in, EXAMPLE)["eligible"] is True


def test_the_check_reads_little(client, django_assert_max_num_queries):
    post_check(client, EXAMPLE)  # warm the scope cache
    with django_assert_max_num_queries(6):
        post_check(client, EXAMPLE)


# --- the scheme list and detail ------------------------------------------------------------------


def test_the_scheme_list(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = client.get(SCHEMES).json()
    by_code = {r["code"]: r for r in rows}
    assert [r["code"] for r in rows] == ["cq-2013-city", "national-2017"]  # local first
    assert by_code["cq-2013-city"] == {
        "code": "cq-2013-city",
        "version": 1,
        "name": "重庆市中小企业信息化公共服务平台认定的管理办法",
        "name_en": "Measures for the Certification of Chongqing SME Informatization Public Service Platforms",
        "title": "重庆市中小企业信息化公共服务平台",
        "title_en": "Chongqing SME Informatization Public Service Platform",
        "level": "city",
        "issuing_authority": "重庆市中小企业局",
        "document_number": "渝中小企〔2013〕24号",
        "document_date": "2013-02-26",
        "region": "500000",
        "effective_from": "2013-02-26",
        "effective_until": None,
    }
    assert by_code["national-2017"]["level"] == "national" and by_code["national-2017"]["region"] is None


def test_the_scheme_detail(client):
    body = client.get(f"{SCHEMES}/cq-2013-city").json()
    assert len(body["categories"]) == 8 and len(body["materials"]) == 10
    assert {c["key"] for c in body["criteria"]} >= {"total_assets", "smes_served_growth", "leadership"}
    figures = {f["name"]: f for f in body["figures"]}
    assert list(figures) == [
        "years_operating",
        "total_assets_wan",
        "staff",
        "qualified_staff_share",
        "smes_served_by_year",
        "satisfaction",
    ]
    assert (
        figures["smes_served_by_year"]["kind"] == "series"
        and figures["smes_served_by_year"]["min_years"] == 3
    )
    assert figures["satisfaction"]["kind"] == "share"
    assert "expert_form" not in body


def test_the_api_is_in_the_openapi_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/certification/schemes/{code}/eligibility:" in text
    assert "certification_scheme_eligibility" in text and "SelfCheckResult" in text


# --- the page ------------------------------------------------------------------------------------


def page_data(**changes):
    data = {
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
    data.update(changes)
    return data


def test_the_page_has_the_form_and_no_result_yet(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "公共服务平台认定条件自测" in html
    assert '<option value="cq-2013-city" selected>' in html
    assert '<option value="500101">500101 万州区</option>' in html
    assert '<option value="cq-liangjiang">两江新区</option>' in html
    assert 'value="500228"' not in html  # 梁平县 is no current district
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'name="smes_served_by_year_3"' in html and 'name="service_institutions"' not in html
    assert 'data-testid="selfcheck-result"' not in html
    assert 'hx-post="/certification/self-check/"' in html


def test_the_national_scheme_asks_for_its_own_figures(client):
    html = client.get(PAGE, {"scheme": "national-2017"}).content.decode()
    assert '<option value="national-2017" selected>' in html
    assert 'name="service_institutions"' in html and 'name="free_or_low_fee_share"' in html


def test_a_plain_post_shows_the_whole_page_with_the_result(client):
    response = client.post(PAGE, page_data())
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'data-testid="selfcheck-result" data-eligible="true" data-zone="yudongbei-yi"' in html
    assert "两翼 · 渝东北翼" in html
    assert "120 万元" in html and "≥ 50 万元" in html  # money in 万元
    assert "64%" in html and "≥ 60%" in html  # shares in %
    assert "70 → 80 → 90 家" in html
    assert 'data-criterion="leadership" data-status="reviewer"' in html and "由评审认定" in html


def test_htmx_gets_the_result_fragment(client):
    response = client.post(
        PAGE, page_data(district="500103", total_assets_wan="99.99"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-eligible="false"' in html
    assert 'data-criterion="total_assets" data-status="unmet"' in html
    assert "99.99 万元" in html and "≥ 100 万元" in html and "不符合" in html
    assert 'data-criterion="staff" data-status="met"' in html and "符合" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"staff": "abc"}, "从业人数请填写数字，收到“abc”。"),
        ({"qualified_staff_share": "120"}, "应为 0 到 100 之间的百分数"),
        ({"district": ""}, "缺少所在区县"),
        ({"smes_served_by_year_2": ""}, "请填写全部 3 个年度"),
        ({"satisfaction": ""}, "缺少用户满意度"),
        ({"on": "2012-01-01"}, "2013-02-26 起施行"),
        ({"on": "someday"}, "日期应为 YYYY-MM-DD"),
        ({"staff": "-3"}, "从业人数不能为负数"),
    ],
)
def test_bad_input_is_named_on_the_page(client, changes, message):
    html = client.post(PAGE, page_data(**changes)).content.decode()
    assert 'data-testid="selfcheck-errors"' in html and message in html
    assert 'data-testid="selfcheck-result"' not in html
    assert "hx-swap-oob" not in html  # a whole page has its errors in place


def test_htmx_updates_every_field_error_out_of_band(client):
    html = client.post(PAGE, page_data(staff="abc", district=""), HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<div id="selfcheck-err-staff" hx-swap-oob="innerHTML"><div>从业人数请填写数字，收到“abc”。</div></div>'
        in html
    )
    assert '<div id="selfcheck-err-district" hx-swap-oob="innerHTML"><div>缺少所在区县' in html
    page = client.post(PAGE, page_data(staff="abc")).content.decode()  # without JavaScript
    assert 'id="selfcheck-err-staff" class="invalid-feedback d-block"><div>从业人数请填写数字' in page
    fixed = client.post(PAGE, page_data(), HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="selfcheck-err-staff" hx-swap-oob="innerHTML"></div>' in fixed  # the old message goes
    assert '<div id="selfcheck-err-smes_served_by_year" hx-swap-oob="innerHTML"></div>' in fixed


def test_percent_signs_and_separators_are_accepted(client):
    html = client.post(
        PAGE, page_data(qualified_staff_share="64%", total_assets_wan="1,200")
    ).content.decode()
    assert 'data-eligible="true"' in html and "1200 万元" in html


def test_a_link_with_figures_shows_the_result(client):
    link = page_data(
        scheme="national-2017", on="2018-01-01", service_institutions="5", free_or_low_fee_share="20"
    )
    html = client.get(PAGE, link).content.decode()
    assert '<option value="national-2017" selected>' in html
    assert 'data-testid="selfcheck-result" data-eligible="false"' in html  # 120万 < 300万
    assert 'data-criterion="total_assets" data-status="unmet"' in html


def test_an_unknown_scheme_falls_back_and_says_so(client):
    html = client.post(PAGE, page_data(scheme="nope")).content.decode()
    assert "没有编码为“nope”的认定办法" in html


def test_the_series_fields_are_labelled_with_years_before_the_date(client):
    html = client.get(PAGE, page_data(on="2013-06-01")).content.decode()
    assert 'id="selfcheck-label-smes_served_by_year_1">2010年</label>' in html
    assert 'id="selfcheck-label-smes_served_by_year_3">2012年</label>' in html
    fragment = client.post(PAGE, page_data(on="2016-03-01"), HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<label id="selfcheck-label-smes_served_by_year_1" hx-swap-oob="innerHTML">2013年</label>' in fragment
    )
    assert (
        '<label id="selfcheck-label-smes_served_by_year_3" hx-swap-oob="innerHTML">2015年</label>' in fragment
    )


def test_the_page_needs_no_login_and_is_the_same_signed_in(client, provider_user):
    assert client.get(PAGE).status_code == 200
    login(client, provider_user)
    assert 'data-eligible="true"' in client.post(PAGE, page_data()).content.decode()


def test_today_is_the_default_date(client, clock):
    clock.pin(dt.date(2014, 3, 1))
    html = client.post(PAGE, page_data(on="")).content.decode()
    assert 'data-eligible="true"' in html


# --- other schemes -------------------------------------------------------------------------------


@pytest.fixture
def district_scheme(yuzhong):
    """A 渝中区 scheme modelled on the city's (第十七条), as an administrator's copy would be."""
    from sme.certification.models import Scheme

    city = Scheme.objects.current().get(code="cq-2013-city")
    values = {f.name: getattr(city, f.name) for f in Scheme._meta.concrete_fields if f.name not in ("id",)}
    values.update(
        code="yuzhong-2020", level="district", region=yuzhong, name="渝中区服务平台认定办法", copied_from=city
    )
    return Scheme.objects.create(**values)


def test_a_district_scheme_lists_first_and_offers_only_its_district(client, district_scheme):
    assert [r["code"] for r in client.get(SCHEMES).json()] == [
        "yuzhong-2020",
        "cq-2013-city",
        "national-2017",
    ]
    html = client.get(PAGE).content.decode()
    assert '<option value="yuzhong-2020" selected>' in html
    assert '<option value="500103">500103 渝中区</option>' in html and 'value="500101"' not in html
    body = post_check(client, EXAMPLE, code="yuzhong-2020", status=400)
    assert list(body["errors"]) == ["district"] and "渝中区" in body["errors"]["district"][0]
    assert (
        post_check(client, {**EXAMPLE, "district": "500103"}, code="yuzhong-2020")["zone"]
        == "yixiaoshi-jingjiquan"
    )


def test_without_current_schemes(client):
    from sme.certification.models import Scheme

    Scheme.objects.update(is_current=False)
    assert client.get(SCHEMES).json() == []
    assert 'data-testid="selfcheck-no-scheme"' in client.get(PAGE).content.decode()
    post_check(client, EXAMPLE, status=404)
