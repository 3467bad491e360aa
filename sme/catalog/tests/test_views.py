"""Pages per role and scope, facets, the review queue and flags, and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import login
from sme.catalog import selectors, services
from sme.catalog.models import Service, ServiceCategory, ServiceRevision, ServiceStatus, SubsidyCap
from sme.catalog.tests.factories import complete_data, pending_service, published_service
from sme.certification.models import Application, Certification, Scheme
from sme.core.todos import todos_for
from sme.orders.models import ProviderYearFigures
from sme.regions.models import Region
from sme.testing.factories import OrganizationFactory, UserFactory


@pytest.fixture
def people(
    enterprise_owner,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    admin_user,
):
    return {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("enterprise", 403),
        ("provider", 403),
        ("district_officer", 200),
        ("other_district_officer", 200),
        ("city_officer", 200),
        ("expert", 403),
        ("admin", 200),
    ],
)
def test_review_queue_by_role(client, people, role, expected):
    if people[role] is not None:
        login(client, people[role])
    assert client.get("/catalog/review/").status_code == expected


@pytest.mark.parametrize(
    ("role", "status"),
    [("district_officer", 200), ("other_district_officer", 404), ("city_officer", 200), ("enterprise", 403)],
)
def test_review_revision_scope(client, people, role, status):
    service = pending_service(people["provider"])
    revision = ServiceRevision.objects.get(service=service)
    login(client, people[role])
    assert client.get(f"/catalog/review/revisions/{revision.pk}/").status_code == status
    response = client.post(f"/catalog/review/revisions/{revision.pk}/", {"action": "approve"})
    service.refresh_from_db()
    if status == 200:
        assert response.status_code == 302 and service.status == ServiceStatus.PUBLISHED
    else:
        assert response.status_code == status and service.status == ServiceStatus.PENDING


def test_review_queue_lists_only_own_district(
    client, provider_user, district_officer, other_district_officer
):
    pending_service(provider_user, title="万州的服务")
    login(client, district_officer)
    assert "万州的服务" in client.get("/catalog/review/").content.decode()
    login(client, other_district_officer)
    assert "万州的服务" not in client.get("/catalog/review/").content.decode()


def test_todo_counts_for_officers(provider_user, district_officer, other_district_officer):
    pending_service(provider_user)
    pending_service(provider_user, title="第二项")
    titles = [t.title for t in todos_for(district_officer)]
    assert "2 项服务待审核" in titles
    assert not any("服务待审核" in t.title for t in todos_for(other_district_officer))


@pytest.mark.parametrize(
    ("role", "status"),
    [("provider", 200), ("district_officer", 200), ("other_district_officer", 404), ("enterprise", 404)],
)
def test_manage_page_scope(client, people, role, status):
    service = published_service(people["provider"], people["district_officer"])
    login(client, people[role])
    assert client.get(f"/catalog/mine/{service.pk}/").status_code == status


def test_draft_and_pending_are_not_public(client, provider_user):
    service = pending_service(provider_user)
    assert client.get(f"/catalog/services/{service.pk}/").status_code == 404
    assert client.get(f"/api/v1/catalog/services/{service.pk}").status_code == 404


def test_form_creates_draft_submit_names_missing(client, provider_user):
    login(client, provider_user)
    data = complete_data(content="")
    data["category"] = str(data["category"])
    response = client.post("/catalog/mine/new/", data)
    assert response.status_code == 302
    service = Service.objects.get()
    assert ServiceRevision.objects.get(service=service).process_steps == [
        "需求调研",
        "部署与数据导入",
        "培训与验收",
    ]
    response = client.post(f"/catalog/mine/{service.pk}/submit/", {"version": service.version}, follow=True)
    assert "内容公开" in response.content.decode()
    service.refresh_from_db()
    assert service.status == ServiceStatus.DRAFT


def test_edit_form_stale_version_shows_conflict(client, provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    login(client, provider_user)
    data = complete_data(title="新名称")
    data["category"] = str(data["category"])
    data["version"] = service.version - 1
    response = client.post(f"/catalog/mine/{service.pk}/edit/", data)
    assert response.status_code == 200 and "刚刚已被修改" in response.content.decode()


# --- facets ------------------------------------------------------------------------------------


@pytest.fixture
def catalogue_rows(provider_user, district_officer, city_officer):
    yuzhong_provider = UserFactory(username="provider_yz", role="provider")
    yuzhong = Region.objects.current().get(code="500103", level="district")
    OrganizationFactory(
        district=yuzhong,
        owner=yuzhong_provider,
        kind="service_provider",
        verified=True,
        name="重庆渝中检测技术有限公司",
    )
    finance = published_service(provider_user, district_officer, title="财务管理软件")
    free = published_service(
        provider_user,
        district_officer,
        title="政策宣讲",
        fee_type="free",
        fee_amount="",
        category="policy-info",
    )
    testing = published_service(
        yuzhong_provider,
        city_officer,
        title="产品检验检测",
        category="testing",
        fee_type="range",
        fee_amount="",
        fee_min="2000",
        fee_max="20000",
        district_ids=[yuzhong.pk],
    )
    Service.objects.filter(pk=testing.pk).update(rating_average=Decimal("4.5"), rating_count=3)
    return {"finance": finance, "free": free, "testing": testing}


def titles(client, **params):
    body = client.get("/api/v1/catalog/services", params).json()
    return [r["title"] for r in body["results"]]


def test_facets(client, catalogue_rows):
    assert set(titles(client, category="management-consulting")) == {"财务管理软件"}
    assert titles(client, category="testing") == ["产品检验检测"]
    assert set(titles(client, district="500101")) == {"财务管理软件", "政策宣讲"}
    assert titles(client, district="500103") == ["产品检验检测"]
    assert titles(client, free="1") == ["政策宣讲"]
    assert titles(client, fee_type="range") == ["产品检验检测"]
    assert set(titles(client, price_min="5000", price_max="9000")) == {"财务管理软件", "产品检验检测"}
    assert titles(client, price_min="10000") == ["产品检验检测"]
    assert titles(client, min_rating="4") == ["产品检验检测"]
    assert titles(client, sort="price_asc")[0] == "政策宣讲"
    assert titles(client, sort="price_desc")[0] == "产品检验检测"
    assert titles(client, sort="rating")[0] == "产品检验检测"
    assert titles(client, certified="1") == []


def test_certified_facet(client, catalogue_rows):
    testing = catalogue_rows["testing"]
    Certification.objects.bulk_create(
        [
            Certification(
                application_id=_application_for(testing.provider),
                organization=testing.provider,
                scheme_id=_application_scheme(),
                district=testing.provider_district,
                number="渝中小企认〔2025〕1号",
                title="重庆市中小企业信息化公共服务平台",
                platform_name="渝中检测服务平台",
                granted_on=dt.date(2025, 6, 1),
                valid_until=dt.date(2028, 5, 31),
            )
        ]
    )
    assert titles(client, certified="1") == ["产品检验检测"]
    page = client.get(f"/catalog/providers/{testing.provider_id}/").content.decode()
    assert "重庆市中小企业信息化公共服务平台" in page


def _application_scheme():
    return Scheme.objects.current().get(code="cq-2013-city").pk


def _application_for(org):
    application = Application.objects.create(
        scheme_id=_application_scheme(),
        organization=org,
        district=org.district,
        reference=f"RD-{org.pk}",
        platform_name=org.name,
        created_by=UserFactory(),
        status="certified",
    )
    return application.pk


def test_page_facets_and_htmx_partial(client, catalogue_rows):
    full = client.get("/catalog/", {"category": "testing"})
    assert b"<html" in full.content and "产品检验检测" in full.content.decode()
    partial = client.get("/catalog/", {"free": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="catalog-results")
    text = partial.content.decode()
    assert "<html" not in text and "政策宣讲" in text and "财务管理软件" not in text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"district": "999999"}, "district"),
        ({"fee_type": "cheap"}, "fee_type"),
        ({"price_min": "abc"}, "price_min"),
        ({"min_rating": "9"}, "min_rating"),
        ({"sort": "random"}, "sort"),
        ({"free": "maybe"}, "free"),
        ({"page": "0"}, "page"),
    ],
)
def test_api_bad_parameters_are_400_with_chinese_messages(db, client, params, field):
    response = client.get("/api/v1/catalog/services", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["errors"][field][0]
    assert "查询参数有误" in body["detail"]


def test_categories_api(db, client):
    body = client.get("/api/v1/catalog/categories").json()
    assert [c["name"] for c in body][:7] == [
        "信息查询",
        "技术创新",
        "质量管理",
        "管理咨询",
        "创业辅导",
        "市场开拓",
        "人员培训",
    ]
    assert body[7]["name"] == "设备共享"


# --- price-at-cap flags ------------------------------------------------------------------------


def test_price_exactly_at_a_cap_in_force_is_flagged(
    client, provider_user, district_officer, other_district_officer
):
    at_cap = published_service(provider_user, district_officer, title="恰好封顶", fee_amount="5000")
    published_service(provider_user, district_officer, title="低于封顶", fee_amount="4999")
    small_micro = published_service(
        provider_user, district_officer, title="小微价封顶", fee_amount="8000", small_micro_price="5000"
    )
    SubsidyCap.objects.create(name="服务券", amount=Decimal("5000"), effective_from=dt.date(2026, 1, 1))
    SubsidyCap.objects.create(
        name="过期的券",
        amount=Decimal("4999"),
        effective_from=dt.date(2020, 1, 1),
        effective_until=dt.date(2020, 12, 31),
    )
    SubsidyCap.objects.create(
        name="培训券",
        category=ServiceCategory.objects.get(key="training"),
        amount=Decimal("8000"),
        effective_from=dt.date(2026, 1, 1),
    )
    login(client, district_officer)
    page = client.get("/catalog/review/").content.decode()
    flagged = page[page.index("flags-table") :]
    assert at_cap.title in flagged and small_micro.title in flagged and "低于封顶" not in flagged
    login(client, other_district_officer)
    assert "恰好封顶" not in client.get("/catalog/review/").content.decode()


# --- query counts ------------------------------------------------------------------------------


def test_catalogue_query_count(client, provider_user, district_officer, django_assert_max_num_queries):
    for i in range(6):
        published_service(provider_user, district_officer, title=f"服务{i}")
    # district code, capped count, page keys, rows, their districts, certified providers, district menu
    with django_assert_max_num_queries(8):
        response = client.get("/catalog/", {"q": "服务", "district": "500101", "sort": "price_asc"})
    assert response.content.decode().count("list-group-item") == 6
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/catalog/services").json()["count"] == 6


def test_provider_page_query_count(client, provider_user, district_officer, django_assert_max_num_queries):
    service = None
    for i in range(5):
        service = published_service(provider_user, district_officer, title=f"服务{i}")
    year = timezone.localdate().year
    for y in (year - 3, year - 2, year - 1, year):
        ProviderYearFigures.objects.create(
            provider=service.provider,
            year=y,
            smes_served=10 + y % 7,
            orders_completed=20,
            computed_at=timezone.now(),
        )
    # organization, count, page keys, page rows, certifications, figures
    with django_assert_max_num_queries(6):
        response = client.get(f"/catalog/providers/{service.provider_id}/")
    text = response.content.decode()
    assert text.count("服务数据") == 1 and str(year - 2) in text and f"<td>{year - 3}</td>" not in text


def test_provider_page_lists_its_services_a_page_at_a_time(client, provider_user, district_officer):
    made = [published_service(provider_user, district_officer, title=f"服务{i:02d}") for i in range(3)]
    provider_id = made[0].provider_id
    first = selectors.provider_page(provider_id, per_page=2)
    assert first is not None
    assert [s.title for s in first.services.items] == ["服务02", "服务01"]
    assert (first.services.count, first.services.num_pages) == (3, 2)
    second = selectors.provider_page(provider_id, page=2, per_page=2)
    assert second is not None and [s.title for s in second.services.items] == ["服务00"]
    page = client.get(f"/catalog/providers/{provider_id}/", {"page": "9"}).content.decode()
    assert all(f"服务{i:02d}" in page for i in range(3))


def test_review_queue_query_count(client, provider_user, district_officer, django_assert_max_num_queries):
    for i in range(5):
        pending_service(provider_user, title=f"待审{i}")
    login(client, district_officer)
    with django_assert_max_num_queries(12):
        response = client.get("/catalog/review/")
    assert response.content.decode().count("/catalog/review/revisions/") == 5


def test_service_page_shows_the_disclosures_and_asks_visitors_to_log_in_to_order(
    client, provider_user, district_officer
):
    service = published_service(provider_user, district_officer)
    text = client.get(f"/catalog/services/{service.pk}/").content.decode()
    assert "需求调研" in text and "符合《企业会计准则》" in text
    assert f"/orders/new/{service.pk}/" not in text, "a visitor is not known to be allowed to order"
    assert f"/accounts/login/?next=/catalog/services/{service.pk}/" in text


def test_order_button_only_for_those_the_order_service_accepts(
    client, enterprise_owner, provider_user, district_officer, city_officer, expert
):
    """The button and the order service ask the same rule (sme.orders.permissions.order_refusal)."""
    service = published_service(provider_user, district_officer)
    unverified = UserFactory(username="owner_pending", role="enterprise")
    OrganizationFactory(owner=unverified, verification_status="pending", name="重庆待审企业有限公司")
    url = f"/catalog/services/{service.pk}/"
    for user, may in [
        (enterprise_owner, True),
        (provider_user, False),
        (district_officer, False),
        (city_officer, False),
        (expert, False),
        (unverified, False),
    ]:
        login(client, user)
        text = client.get(url).content.decode()
        assert ('data-testid="order-button"' in text) is may, user.username
        assert (client.get(f"/orders/new/{service.pk}/").status_code == 200) is may, user.username


def test_revisions_page_shows_diff(client, provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    services.service_revise(
        actor=provider_user, service=service, data=complete_data(title="新名称"), version=service.version
    )
    login(client, provider_user)
    text = client.get(f"/catalog/mine/{service.pk}/revisions/").content.decode()
    assert "新名称" in text and "财务管理软件实施服务" in text


def test_catalogue_lines_name_the_districts_served(client, provider_user, district_officer):
    two = list(
        Region.objects.current().filter(code__in=["500101", "500103"], level="district").order_by("code")
    )
    named = published_service(
        provider_user, district_officer, title="两区服务", district_ids=[r.pk for r in two]
    )
    published_service(
        provider_user, district_officer, title="全市服务", serves_all_districts=True, district_ids=[]
    )
    page = client.get("/catalog/").content.decode()
    assert "万州区、渝中区" in page and "服务全市" in page
    rows = {r["title"]: r for r in client.get("/api/v1/catalog/services").json()["results"]}
    assert [d["code"] for d in rows["两区服务"]["districts"]] == ["500101", "500103"]
    assert rows["全市服务"]["districts"] == [] and rows["全市服务"]["serves_all_districts"] is True
    assert rows["两区服务"]["id"] == named.pk


def test_a_first_publication_is_labelled_so_and_a_fee_change_as_a_change(
    client, provider_user, district_officer
):
    new = pending_service(provider_user, title="全新服务")
    changed = published_service(provider_user, district_officer, title="已上架服务")
    services.service_revise(
        actor=provider_user,
        service=changed,
        data=complete_data(title="已上架服务", fee_amount="9000"),
        version=changed.version,
    )
    login(client, provider_user)
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: row.split("</tr>")[0]
        for row in client.get("/catalog/mine/").content.decode().split("<tr>")[2:]
    }
    assert "首次发布" in rows["全新服务"] and "变更" not in rows["全新服务"]
    assert "收费或时间变更" in rows["已上架服务"] and "首次发布" not in rows["已上架服务"]
    page = client.get(f"/catalog/mine/{new.pk}/").content.decode()
    assert "首次发布" in page and "收费或时间变更" not in page
    page = client.get(f"/catalog/mine/{changed.pk}/").content.decode()
    assert "收费或时间变更" in page


def test_a_provider_may_say_it_takes_orders_only_from_its_districts(client, provider_user, district_officer):
    only = published_service(provider_user, district_officer, title="只服务万州", districts_only="on")
    open_to_all = published_service(provider_user, district_officer, title="欢迎外区")
    city = published_service(
        provider_user, district_officer, serves_all_districts=True, district_ids=[], districts_only="on"
    )
    assert only.published_revision.districts_only and only.published_revision.refuses_other_districts
    assert not city.published_revision.districts_only, "the whole city has no outside"
    area = client.get(f"/catalog/services/{only.pk}/").content.decode().split('data-testid="service-area"')[1]
    assert "只接受以上区县企业的订单" in area.split("</div></div>")[0]
    area = client.get(f"/catalog/services/{open_to_all.pk}/").content.decode()
    assert "其他区县的企业确认知悉服务区域后可以下单" in area
    assert client.get(f"/api/v1/catalog/services/{only.pk}").json()["districts_only"] is True
    login(client, provider_user)
    form = client.get(f"/catalog/mine/{only.pk}/edit/").content.decode()
    tag = next(t for t in form.split("<input")[1:] if 'name="districts_only"' in t.split(">")[0])
    assert "checked" in tag.split(">")[0]
