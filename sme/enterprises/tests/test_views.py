"""Enterprise pages: who sees what (role and scope), the officers' list, editing, the code picker."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import login
from sme.enterprises.models import EnterpriseProfile, EnterpriseYearFigures
from sme.enterprises.tests.factories import EnterpriseProfileFactory, YearFiguresFactory
from sme.regions.models import Region
from sme.testing.factories import OrganizationFactory

LAST_YEAR = dt.date.today().year - 1
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


@pytest.fixture
def world(
    own_enterprise,
    wanzhou,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    admin_user,
    enterprise_owner,
):
    wz = OrganizationFactory(district=wanzhou, verification_status="verified", name="万州测试企业")
    EnterpriseProfileFactory(organization=wz, industry_code="13", industry_section="C", size_class="small")
    return {
        "wz": wz,
        "yz": own_enterprise,
        "users": {
            "enterprise": enterprise_owner,
            "provider": provider_user,
            "district_officer": district_officer,
            "other_district_officer": other_district_officer,
            "city_officer": city_officer,
            "expert": expert,
            "admin": admin_user,
        },
    }


# (url template, {role: expected}); "login" is a redirect to the login page.
PAGES = [
    ("/enterprises/", {"anonymous": "login", "enterprise": 403, "provider": 403, "expert": 403, "*": 200}),
    (
        "/enterprises/{wz}/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 404},
    ),
    (
        "/enterprises/{yz}/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/enterprises/{yz}/profile/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "/enterprises/{yz}/figures/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "/enterprises/{wz}/profile/",
        {"anonymous": "login", "district_officer": 403, "city_officer": 403, "admin": 403, "*": 404},
    ),
    (
        "/enterprises/imports/",
        {
            "anonymous": "login",
            "district_officer": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 403,
        },
    ),
    ("/enterprises/industry-codes/?q=13", {"anonymous": "login", "*": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("template", "expected"), PAGES)
def test_permission_matrix(client, world, role, template, expected):
    if role != "anonymous":
        login(client, world["users"][role])
    url = template.format(wz=world["wz"].pk, yz=world["yz"].pk)
    response = client.get(url)
    want = expected.get(role, expected.get("*"))
    if want == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want, url


def test_district_officer_list_holds_only_their_district(client, world, district_officer):
    login(client, district_officer)
    body = client.get("/enterprises/").content.decode()
    assert "万州测试企业" in body
    assert world["yz"].name not in body


def test_city_officer_filters_by_size_section_district_and_flag(client, world, city_officer, yuzhong):
    EnterpriseProfileFactory(
        organization=world["yz"],
        industry_code="65",
        industry_section="I",
        size_class="medium",
        is_high_tech=True,
    )
    login(client, city_officer)
    assert world["yz"].name in client.get("/enterprises/?size_class=medium").content.decode()
    assert world["yz"].name not in client.get("/enterprises/?size_class=small").content.decode()
    assert "万州测试企业" in client.get("/enterprises/?section=C").content.decode()
    assert "万州测试企业" not in client.get("/enterprises/?section=I").content.decode()
    body = client.get(f"/enterprises/?district={yuzhong.pk}").content.decode()
    assert world["yz"].name in body and "万州测试企业" not in body
    body = client.get("/enterprises/?flag=is_high_tech").content.decode()
    assert world["yz"].name in body and "万州测试企业" not in body


def test_unclassified_filter_includes_enterprises_without_a_profile(client, world, city_officer, wanzhou):
    bare = OrganizationFactory(district=wanzhou, name="没有档案的企业")
    login(client, city_officer)
    body = client.get("/enterprises/?size_class=none").content.decode()
    assert bare.name in body and "万州测试企业" not in body


def test_list_query_ceiling(client, city_officer, wanzhou, django_assert_max_num_queries):
    for i in range(30):
        org = OrganizationFactory(district=wanzhou, verification_status="verified")
        EnterpriseProfileFactory(organization=org, size_class="small" if i % 2 else "micro")
    login(client, city_officer)
    client.get("/enterprises/")  # warm the caches (badge, code lists): the ceiling is for rows
    with django_assert_max_num_queries(12):
        response = client.get("/enterprises/?section=C&page=2")
    assert response.status_code == 200
    assert response.content.decode().count('data-size="') == 10


def test_detail_shows_class_group_figures_rule_and_reasons(client, own_enterprise, enterprise_owner):
    from sme.enterprises import services

    services.enterprise_profile_update(
        actor=enterprise_owner,
        organization=own_enterprise,
        expected_version=1,
        industry_code="65",
        is_tech_sme=True,
        is_specialized_new=False,
        is_high_tech=False,
    )
    services.enterprise_figures_set(
        actor=enterprise_owner,
        organization=own_enterprise,
        expected_version=2,
        year=LAST_YEAR,
        employees=120,
        revenue_wan=None,
        assets_wan=None,
    )
    login(client, enterprise_owner)
    body = client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
    assert 'data-testid="size-class"' in body
    assert "第12组 软件和信息技术服务业" in body
    assert "工信部联企业〔2011〕300号" in body
    assert "缺少营业收入" in body  # group 12 needs revenue: not classified, and it says so
    assert "不能按本标准划型" in body


def test_not_classifiable_enterprise_shows_the_reason(client, own_enterprise, enterprise_owner):
    EnterpriseProfileFactory(
        organization=own_enterprise,
        industry_code="J",
        industry_section="J",
        size_class="",
        size_standard_version="2011",
        size_reasons=["金融业适用《金融业企业划型标准规定》（银发〔2015〕309号），不能按本标准划型。"],
    )
    login(client, enterprise_owner)
    body = client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
    assert "不能按本标准划型" in body
    assert "银发〔2015〕309号" in body


def test_profile_edit_page_saves_and_recomputes(client, own_enterprise, enterprise_owner):
    YearFiguresFactory(organization=own_enterprise, employees=400, revenue_wan=5000)
    login(client, enterprise_owner)
    response = client.post(
        f"/enterprises/{own_enterprise.pk}/profile/",
        {"industry_code": "c", "is_high_tech": "on", "version": 1},
    )
    assert response.status_code == 302
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert (profile.industry_code, profile.is_high_tech, profile.size_class) == ("C", True, "medium")


def test_profile_edit_conflict_is_shown_on_the_form(client, own_enterprise, enterprise_owner):
    EnterpriseProfileFactory(organization=own_enterprise, version=3)
    login(client, enterprise_owner)
    response = client.post(
        f"/enterprises/{own_enterprise.pk}/profile/", {"industry_code": "65", "version": 2}
    )
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert EnterpriseProfile.objects.get(organization=own_enterprise).industry_code == "C"


def test_figures_page_shows_field_errors_and_saves_nothing(client, own_enterprise, enterprise_owner):
    login(client, enterprise_owner)
    response = client.post(
        f"/enterprises/{own_enterprise.pk}/figures/",
        {"year": LAST_YEAR, "employees": "-3", "revenue_wan": "abc", "assets_wan": "", "version": 1},
    )
    assert response.status_code == 200
    assert 'data-testid="error-employees"' in response.content.decode()
    assert not EnterpriseYearFigures.objects.exists()


def test_figures_page_saves_a_year(client, own_enterprise, enterprise_owner):
    EnterpriseProfileFactory(organization=own_enterprise, industry_code="52", industry_section="F")
    login(client, enterprise_owner)
    response = client.post(
        f"/enterprises/{own_enterprise.pk}/figures/",
        {"year": LAST_YEAR, "employees": "60", "revenue_wan": "600.5", "assets_wan": "", "version": 1},
    )
    assert response.status_code == 302
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert profile.size_class == "medium"  # 零售业: X ≥ 50 and Y ≥ 500
    assert profile.size_figures == {"employees": 60, "revenue": "600.5"}


def test_industry_search_finds_codes_and_names(client, enterprise_owner):
    login(client, enterprise_owner)
    body = client.get("/enterprises/industry-codes/?q=59").content.decode()
    assert 'data-code="59"' in body and 'data-code="591"' in body
    body = client.get("/enterprises/industry-codes/?q=软件").content.decode()
    assert 'data-code="65"' in body
    body = client.get("/enterprises/industry-codes/?q=").content.decode()
    assert 'data-code="A"' in body and 'data-code="13"' not in body
    assert "没有匹配" in client.get("/enterprises/industry-codes/?q=不存在的行业").content.decode()


def test_my_enterprise_redirects_to_the_one_enterprise(client, own_enterprise, enterprise_owner):
    login(client, enterprise_owner)
    response = client.get("/enterprises/mine/")
    assert response.status_code == 302 and response["Location"] == f"/enterprises/{own_enterprise.pk}/"


def test_enterprise_never_sees_another_enterprise(client, enterprise_owner, yuzhong):
    other = OrganizationFactory(district=yuzhong, verification_status="verified")
    EnterpriseProfileFactory(organization=other)
    login(client, enterprise_owner)
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404
    assert client.get(f"/enterprises/{other.pk}/figures/").status_code == 404


def test_old_district_enterprise_is_in_the_successor_officers_scope(client):
    from sme.testing.factories import officer

    kaixian = Region.objects.get(code="500234")  # 开县, now 开州区
    kaizhou = Region.objects.current().get(code="500154")
    org = OrganizationFactory(district=kaixian, verification_status="verified")
    login(client, officer("district_officer", kaizhou))
    assert client.get(f"/enterprises/{org.pk}/").status_code == 200
