"""The demand pages and the API per role and scope, and the flow through the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import login
from sme.demands import services
from sme.demands.models import Demand, DemandStatus, Proposal, ProposalStatus
from sme.demands.tests import factories as f
from sme.orders.models import Order, OrderStatus
from sme.testing.factories import OrganizationFactory, UserFactory


@pytest.fixture
def rival(yuzhong):
    user, _org = f.provider(yuzhong, name="重庆竞争对手服务有限公司", username="rival_provider")
    return user


@pytest.fixture
def other_enterprise_user(yuzhong):
    user = UserFactory(username="other_ent", role="enterprise")
    OrganizationFactory(district=yuzhong, owner=user, verification_status="verified", name="别家企业")
    return user


@pytest.fixture
def answered(enterprise_owner, provider_user, rival):
    demand = f.demand(enterprise_owner, title="财务软件上云")
    f.proposal(provider_user, demand, price="52000", approach="我方方案：本地部署")
    f.proposal(rival, demand, price="61000", approach="竞争对手方案：SaaS 订阅")
    return demand


# --- scope ------------------------------------------------------------------------------------


def test_anonymous_goes_to_login(client, answered):
    for url in ("/demands/", "/demands/mine/", "/demands/new/", f"/demands/{answered.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("enterprise_owner", 200),
        ("provider_user", 200),
        ("rival", 200),
        ("other_enterprise_user", 404),
        ("other_district_officer", 200),  # 渝中区: the demand's district
        ("district_officer", 404),  # 万州区
        ("city_officer", 200),
        ("admin_user", 200),
        ("expert", 404),
    ],
)
def test_detail_scope(client, request, answered, persona, expected):
    login(client, request.getfixturevalue(persona))
    assert client.get(f"/demands/{answered.pk}/").status_code == expected


def test_provider_never_sees_a_competitors_proposal(client, answered, provider_user):
    login(client, provider_user)
    page = client.get(f"/demands/{answered.pk}/").content.decode()
    assert "我方方案：本地部署" in page
    assert "竞争对手方案" not in page and "重庆竞争对手服务有限公司" not in page
    api = client.get(f"/api/v1/demands/{answered.pk}").json()
    assert [p["approach"] for p in api["proposals"]] == ["我方方案：本地部署"]


def test_enterprise_sees_every_proposal(client, answered, enterprise_owner):
    login(client, enterprise_owner)
    page = client.get(f"/demands/{answered.pk}/").content.decode()
    assert "我方方案：本地部署" in page and "竞争对手方案：SaaS 订阅" in page
    assert "52,000 元" not in page and "5.2 万元" in page  # money as Chinese readers read it
    api = client.get(f"/api/v1/demands/{answered.pk}").json()
    assert len(api["proposals"]) == 2


def test_other_enterprise_gets_404_on_page_and_api(client, answered, other_enterprise_user):
    login(client, other_enterprise_user)
    assert client.get(f"/demands/{answered.pk}/").status_code == 404
    assert client.get(f"/api/v1/demands/{answered.pk}").status_code == 404
    assert client.get("/api/v1/demands").json()["results"] == []


def test_certified_only_demand_hidden_from_uncertified_providers(
    client, enterprise_owner, provider_user, wanzhou
):
    demand = f.demand(enterprise_owner, visibility="certified", title="仅认定机构可见的需求")
    login(client, provider_user)
    assert "仅认定机构可见的需求" not in client.get("/demands/").content.decode()
    assert client.get(f"/demands/{demand.pk}/").status_code == 404
    assert client.get("/api/v1/demands").json()["results"] == []
    response = client.post(
        f"/demands/{demand.pk}/proposal/", {"price": "1000", "delivery_workdays": "5", "approach": "x"}
    )
    assert response.status_code == 404 and not Proposal.objects.exists()

    certified_user, _org = f.provider(wanzhou, certified=True)
    client.logout()
    login(client, certified_user)
    assert "仅认定机构可见的需求" in client.get("/demands/").content.decode()
    assert [d["id"] for d in client.get("/api/v1/demands").json()["results"]] == [demand.pk]


def test_hidden_demand_leaves_provider_lists_but_not_the_enterprises(
    client, enterprise_owner, provider_user, other_district_officer
):
    demand = f.demand(enterprise_owner, title="被屏蔽的需求")
    services.demand_hide(actor=other_district_officer, demand=demand, reason="虚假信息")
    login(client, provider_user)
    assert "被屏蔽的需求" not in client.get("/demands/").content.decode()
    assert client.get(f"/demands/{demand.pk}/").status_code == 404
    client.logout()
    login(client, enterprise_owner)
    page = client.get(f"/demands/{demand.pk}/").content.decode()
    assert "虚假信息" in page


def test_officer_list_is_read_only_and_in_scope(client, answered, other_district_officer, district_officer):
    login(client, other_district_officer)
    page = client.get("/demands/").content.decode()
    assert "财务软件上云" in page
    detail = client.get(f"/demands/{answered.pk}/").content.decode()
    assert 'data-testid="accept-link"' not in detail and 'data-testid="proposal-form"' not in detail
    p = Proposal.objects.filter(demand=answered).first()
    assert client.post(f"/demands/proposals/{p.pk}/shortlist/", {"shortlisted": "1"}).status_code == 403
    assert client.post(f"/demands/proposals/{p.pk}/accept/", {"version": p.version}).status_code == 403
    client.logout()
    login(client, district_officer)
    assert "财务软件上云" not in client.get("/demands/").content.decode()


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("expert", "/demands/", 403),
        ("expert", "/demands/mine/", 403),
        ("expert", "/demands/new/", 403),
        ("provider_user", "/demands/mine/", 403),
        ("provider_user", "/demands/new/", 403),
        ("district_officer", "/demands/new/", 403),
        ("enterprise_owner", "/demands/mine/", 200),
        ("enterprise_owner", "/demands/new/", 200),
        ("provider_user", "/demands/", 200),
        ("city_officer", "/demands/", 200),
        ("admin_user", "/demands/", 200),
    ],
)
def test_pages_per_role(client, request, persona, url, expected):
    login(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == expected


def test_enterprise_list_redirects_to_its_own(client, enterprise_owner):
    login(client, enterprise_owner)
    response = client.get("/demands/")
    assert response.status_code == 302 and response["Location"] == "/demands/mine/"


# --- the flow through the pages ---------------------------------------------------------------


def test_post_answer_shortlist_accept_through_the_pages(
    client, enterprise_owner, provider_user, rival, clock
):
    cat = f.category("财务管理")
    login(client, enterprise_owner)
    deadline = clock.today() + dt.timedelta(days=10)
    response = client.post(
        "/demands/new/",
        {
            "enterprise": f.enterprise_of(enterprise_owner).pk,
            "title": "进销存系统",
            "category": cat.pk,
            "description": "需要进销存系统",
            "budget_min": "20000",
            "budget_max": "50000",
            "deadline": deadline.isoformat(),
            "district": "",
            "visibility": "all",
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{demand.pk}/"
    client.logout()

    for user, price in ((provider_user, "30000"), (rival, "45000")):
        login(client, user)
        response = client.post(
            f"/demands/{demand.pk}/proposal/",
            {
                "provider": f.provider_of(user).pk,
                "price": price,
                "delivery_workdays": "15",
                "approach": "方案",
            },
        )
        assert response.status_code == 302
        client.logout()
    ours = Proposal.objects.get(provider=f.provider_of(provider_user))

    login(client, enterprise_owner)
    row = client.post(
        f"/demands/proposals/{ours.pk}/shortlist/", {"shortlisted": "1"}, headers={"HX-Request": "true"}
    )
    assert row.status_code == 200 and 'data-testid="shortlisted"' in row.content.decode()
    confirm = client.get(f"/demands/proposals/{ours.pk}/accept/")
    assert "3 万元" in confirm.content.decode()
    response = client.post(f"/demands/proposals/{ours.pk}/accept/", {"version": ours.version})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == OrderStatus.ACCEPTED and order.agreed_price == Decimal("30000")
    assert Demand.objects.get().status == DemandStatus.AWARDED
    assert Proposal.objects.get(provider=f.provider_of(rival)).status == ProposalStatus.NOT_SELECTED


def test_stale_confirmation_page_is_refused(client, enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand, price="50000")
    services.proposal_revise(
        actor=provider_user, proposal=p, price="80000", delivery_workdays=20, approach="涨价"
    )
    login(client, enterprise_owner)
    response = client.post(f"/demands/proposals/{p.pk}/accept/", {"version": 1}, follow=True)
    assert "刚刚已被服务机构修改" in response.content.decode()
    assert not Order.objects.exists()


def test_bad_demand_form_shows_field_errors(client, enterprise_owner):
    cat = f.category()
    login(client, enterprise_owner)
    response = client.post(
        "/demands/new/",
        {
            "enterprise": f.enterprise_of(enterprise_owner).pk,
            "category": cat.pk,
            "title": "x",
            "description": "y",
            "budget_min": "50000",
            "budget_max": "100",
            "deadline": "2020-01-01",
            "visibility": "all",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-budget_max"' in body and "预算上限不能低于预算下限" in body
    assert 'data-testid="error-deadline"' in body and "截止日期不能早于今天" in body
    assert not Demand.objects.exists()


def test_proposal_after_deadline_refused_on_the_page(client, enterprise_owner, provider_user, clock):
    deadline = clock.today() + dt.timedelta(days=1)
    demand = f.demand(enterprise_owner, deadline=deadline)
    clock.pin(deadline + dt.timedelta(days=1))
    login(client, provider_user)
    # No longer listed and no longer visible to a provider that had not answered.
    assert client.get(f"/demands/{demand.pk}/").status_code == 404
    response = client.post(
        f"/demands/{demand.pk}/proposal/", {"price": "1000", "delivery_workdays": "5", "approach": "x"}
    )
    assert response.status_code == 404 and not Proposal.objects.exists()


def test_enterprise_withdraws_from_the_page(client, answered, enterprise_owner):
    login(client, enterprise_owner)
    response = client.post(f"/demands/{answered.pk}/withdraw/", {"note": "不再需要"})
    assert response.status_code == 302
    assert Demand.objects.get(pk=answered.pk).status == DemandStatus.WITHDRAWN
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.NOT_SELECTED}


def test_officer_hides_from_the_page_with_a_reason(client, answered, other_district_officer):
    login(client, other_district_officer)
    response = client.post(f"/demands/{answered.pk}/hide/", {"reason": ""})
    assert response.status_code == 400 and "请填写屏蔽理由" in response.content.decode()
    response = client.post(f"/demands/{answered.pk}/hide/", {"reason": "广告"})
    assert response.status_code == 302 and Demand.objects.get(pk=answered.pk).is_hidden


# --- to-dos -----------------------------------------------------------------------------------


def test_todo_counts_demands_with_unseen_proposals(client, answered, enterprise_owner):
    from sme.core.todos import todos_for

    titles = [t.title for t in todos_for(enterprise_owner)]
    assert "1 条需求收到新方案" in titles
    login(client, enterprise_owner)
    client.get(f"/demands/{answered.pk}/")
    assert "1 条需求收到新方案" not in [t.title for t in todos_for(enterprise_owner)]


# --- no N+1 -----------------------------------------------------------------------------------


@pytest.fixture
def many(enterprise_owner, provider_user, rival):
    cats = [f.category(f"类别{i}") for i in range(3)]
    demands = [f.demand(enterprise_owner, cat=cats[i % 3], title=f"需求{i}") for i in range(15)]
    for d in demands[:8]:
        f.proposal(provider_user, d)
        f.proposal(rival, d)
    return demands


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("provider_user", "/demands/"),
        ("enterprise_owner", "/demands/mine/"),
        ("other_district_officer", "/demands/"),
        ("city_officer", "/demands/?status=open"),
        ("provider_user", "/api/v1/demands"),
        ("enterprise_owner", "/api/v1/demands"),
    ],
)
def test_lists_do_not_grow_with_rows(client, request, many, persona, url, django_assert_max_num_queries):
    login(client, request.getfixturevalue(persona))
    client.get(url)  # warm the caches (badge, categories): the ceiling is for rows
    # 15 demands, 16 proposals: one query per row would blow well past the bound.
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_detail_queries_bounded(client, many, enterprise_owner, django_assert_max_num_queries):
    login(client, enterprise_owner)
    with django_assert_max_num_queries(25):
        assert client.get(f"/demands/{many[0].pk}/").status_code == 200


def test_unverified_provider_sees_why_the_list_is_empty(client, enterprise_owner, wanzhou):
    f.demand(enterprise_owner, title="看不到的需求")
    user = UserFactory(username="pending_provider", role="provider")
    OrganizationFactory(district=wanzhou, owner=user, kind="service_provider", verification_status="pending")
    login(client, user)
    page = client.get("/demands/").content.decode()
    assert 'data-testid="not-verified"' in page and "看不到的需求" not in page


def test_winner_sees_its_order_on_the_demand(client, answered, enterprise_owner, provider_user):
    ours = Proposal.objects.get(provider=f.provider_of(provider_user))
    order = services.proposal_accept(actor=enterprise_owner, proposal=ours)
    login(client, provider_user)
    page = client.get(f"/demands/{answered.pk}/").content.decode()
    assert 'data-testid="own-order-link"' in page and order.number in page
