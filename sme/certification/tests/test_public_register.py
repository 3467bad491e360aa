"""The public register (第十二条) and a platform's page: no login, titles in force only, filters."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse

from sme.certification.selectors.register import platform_url, zone_district_ids
from sme.regions.models import Region

from . import public_fixtures as f

pytestmark = pytest.mark.django_db

REGISTER = "/certification/register/"


@pytest.fixture(autouse=True)
def _fresh_filter_choices():
    """The filter choices are cached for minutes; each test has its own titles."""
    cache.clear()


def names_on(response) -> set[str]:
    return {cert.platform_name for cert, _labels, _url in response.context["entries"]}


@pytest.fixture
def titles(db):
    """Titles in 万州区 (两翼), 黔江区 (两翼, 渝东南翼) and 渝中区 (一小时经济圈), in force or not."""
    wanzhou = f.certification(
        f.application(
            f.provider("500101"), status="certified", platform_name="万州云服平台", categories=["market"]
        ),
        granted_on=dt.date(2024, 5, 10),
    )
    qianjiang = f.certification(
        f.application(
            f.provider("500114"), status="certified", platform_name="黔江信息服务平台", categories=["talent"]
        ),
        granted_on=dt.date(2025, 4, 1),
        status="rereview",
    )
    yuzhong = f.certification(
        f.application(
            f.provider("500103"),
            status="certified",
            platform_name="渝中国家示范平台",
            scheme_obj=f.scheme("national-2017"),
            categories=["financing", "training"],
        ),
        granted_on=dt.date(2025, 9, 1),
    )
    revoked = f.certification(
        f.application(f.provider("500101"), status="certified", platform_name="撤销平台甲"),
        status="revoked",
        revoked_on=dt.date(2026, 3, 1),
        revocation_basis="fraud",
        revocation_reason="申报材料弄虚作假",
    )
    expired = f.certification(
        f.application(f.provider("500103"), status="certified", platform_name="过期平台乙"),
        status="expired",
        granted_on=dt.date(2020, 1, 15),
    )
    return {
        "wanzhou": wanzhou,
        "qianjiang": qianjiang,
        "yuzhong": yuzhong,
        "revoked": revoked,
        "expired": expired,
    }


def test_register_is_public_and_lists_titles_in_force_only(client, titles):
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert names_on(response) == {"万州云服平台", "黔江信息服务平台", "渝中国家示范平台"}
    body = response.content.decode()
    assert "撤销平台甲" not in body and "过期平台乙" not in body
    assert titles["wanzhou"].number in body
    # Newest first.
    order = [c.platform_name for c, _l, _u in response.context["entries"]]
    assert order == ["渝中国家示范平台", "黔江信息服务平台", "万州云服平台"]


def test_register_shows_category_labels_in_the_schemes_words(client, titles):
    body = client.get(REGISTER).content.decode()
    labels = {c["key"]: c["label"] for c in f.scheme().categories}
    assert labels["market"] in body and labels["talent"] in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("district=cq-500101", {"万州云服平台"}),
        ("district=cq-500103", {"渝中国家示范平台"}),
        ("zone=liangyi", {"万州云服平台", "黔江信息服务平台"}),
        ("zone=yudongnan-yi", {"黔江信息服务平台"}),
        ("zone=yixiaoshi-jingjiquan", {"渝中国家示范平台"}),
        ("zone=dushi-gongnengqu", {"渝中国家示范平台"}),
        ("zone=yudongbei-shengtai", {"万州云服平台"}),
        ("category=talent", {"黔江信息服务平台"}),
        ("category=financing", {"渝中国家示范平台"}),
        ("scheme=national-2017", {"渝中国家示范平台"}),
        ("scheme=cq-2013-city", {"万州云服平台", "黔江信息服务平台"}),
        ("year=2025", {"黔江信息服务平台", "渝中国家示范平台"}),
        ("year=2024&zone=liangyi", {"万州云服平台"}),
        ("zone=liangyi&category=financing", set()),
        # A bad value in one filter is dropped; the others still apply.
        ("district=nowhere&scheme=national-2017", {"渝中国家示范平台"}),
    ],
)
def test_register_filters(client, titles, query, expected):
    response = client.get(f"{REGISTER}?{query}")
    assert response.status_code == 200
    assert names_on(response) == expected


def test_the_filters_chosen_stay_selected(client, titles):
    body = client.get(f"{REGISTER}?zone=yudongnan-yi&year=2025&district=cq-500114").content.decode()
    assert '<option value="yudongnan-yi" selected>' in body
    assert '<option value="2025" selected>' in body
    assert '<option value="cq-500114" selected>' in body
    assert '<optgroup label="一圈两翼">' in body


def test_an_empty_result_says_so(client, titles):
    response = client.get(f"{REGISTER}?zone=liangyi&category=financing")
    assert 'data-testid="empty-state"' in response.content.decode()


def test_zone_holds_its_nested_zones():
    liangyi = zone_district_ids("liangyi")
    for code in ("500101", "500114"):  # 万州区 in 渝东北翼, 黔江区 in 渝东南翼
        assert Region.objects.current().get(code=code, level="district").pk in liangyi
    assert Region.objects.current().get(code="500103", level="district").pk not in liangyi
    assert zone_district_ids("no-such-zone") == frozenset()


def test_register_filter_choices_come_from_the_data(client, titles):
    form = client.get(REGISTER).context["form"]
    assert ("cq-500101", "万州区") in form.fields["district"].choices
    assert {"liangyi", "yudongbei-yi", "dushi-gongnengqu"} <= {k for k, _ in form.fields["zone"].choices}
    assert {"cq-2013-city", "national-2017"} <= {k for k, _ in form.fields["scheme"].choices}
    assert [y for y, _ in form.fields["year"].choices if y] == [2025, 2024, 2023, 2022, 2021, 2020]


def test_register_is_paginated_with_a_query_ceiling(client, django_assert_max_num_queries):
    org = f.provider("500101")
    for i in range(45):
        f.certification(
            f.application(org, status="certified", platform_name=f"平台{i:02d}"),
            granted_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
        )
    with django_assert_max_num_queries(9):  # cold: filter choices and the zone's districts
        response = client.get(f"{REGISTER}?page=2&zone=liangyi")
    page = response.context["page"]
    assert page.count == 45 and page.number == 2 and len(page.items) == 20
    assert names_on(response) == {f"平台{i:02d}" for i in range(5, 25)}
    with django_assert_max_num_queries(3):  # the filter choices are cached by now
        client.get(REGISTER)


def test_htmx_filter_answers_the_results_only(client, titles):
    response = client.get(f"{REGISTER}?zone=liangyi", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "万州云服平台" in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


# --- a platform's page ------------------------------------------------------------------------


def test_platform_page_shows_the_public_facts(client, titles):
    cert = titles["yuzhong"]
    response = client.get(platform_url(cert))
    assert response.status_code == 200
    body = response.content.decode()
    scheme = cert.scheme
    for text in (
        cert.platform_name,
        cert.organization.name,
        "渝中区",
        cert.title,
        cert.number,
        scheme.name,
        scheme.document_number,
        "2025年9月1日",
        f"{cert.valid_until.year}年{cert.valid_until.month}月{cert.valid_until.day}日",
    ):
        assert text in body, text
    labels = {c["key"]: c["label"] for c in scheme.categories}
    assert labels["financing"] in body and labels["training"] in body
    assert 'data-testid="status-banner"' not in body
    assert reverse("certification:certificate", args=[cert.number]) in body


def test_platform_is_found_by_number_and_by_id(client, titles):
    cert = titles["wanzhou"]
    assert client.get(f"/certification/platforms/{quote(cert.number)}/").status_code == 200
    by_id = client.get(f"/certification/platforms/{cert.pk}/")
    assert by_id.status_code == 301
    assert by_id["Location"] == platform_url(cert)
    assert client.get("/certification/platforms/nothing-here/").status_code == 404
    assert client.get("/certification/platforms/999999/").status_code == 404


def test_revoked_platform_leaves_the_register_but_its_page_stays(client, titles):
    cert = titles["revoked"]
    response = client.get(platform_url(cert))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="status-banner"' in body
    assert "称号已撤销" in body and "2026年3月1日" in body and "申报材料弄虚作假" in body
    assert "2025年6月1日" in body  # the grant is still part of its history
    assert cert.platform_name not in names_on(client.get(REGISTER))


def test_expired_platform_page_says_so(client, titles):
    body = client.get(platform_url(titles["expired"])).content.decode()
    assert "称号已过期" in body


def test_revocation_takes_a_platform_off_the_register(client, titles):
    cert = titles["wanzhou"]
    assert cert.platform_name in names_on(client.get(REGISTER))
    type(cert).objects.filter(pk=cert.pk).update(status="revoked", revoked_on=dt.date(2026, 5, 1))
    assert cert.platform_name not in names_on(client.get(REGISTER))
    assert client.get(platform_url(cert)).status_code == 200


@pytest.mark.parametrize("persona", ["enterprise_owner", "district_officer", "city_officer", "admin_user"])
def test_public_pages_answer_everyone_alike(client, titles, persona, request):
    from conftest import login

    login(client, request.getfixturevalue(persona))
    assert names_on(client.get(REGISTER)) == {"万州云服平台", "黔江信息服务平台", "渝中国家示范平台"}
    assert client.get(platform_url(titles["revoked"])).status_code == 200
