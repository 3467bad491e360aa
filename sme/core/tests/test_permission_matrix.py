"""Each role × each page and API of the foundation × inside and outside its scope.

The world: a pending enterprise in 万州区 (``wz``) and the enterprise owner's own organization in
渝中区 (``yz``). The district officer is 万州区's; the enterprise user owns ``yz`` only.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import messages

from conftest import login
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory

ROLES = ["anonymous", "enterprise", "provider", "district_officer", "city_officer", "expert", "admin"]

# (method, url template, {role: expected status}); "login" means a redirect to the login page.
PAGES: list[tuple[str, str, dict[str, int | str]]] = [
    ("get", "/dashboard/", {"anonymous": "login", "*": 200}),
    (
        "get",
        "/organizations/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "provider": 403,
            "expert": 403,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
        },
    ),
    (
        "get",
        "/organizations/{wz}/",
        {
            "anonymous": "login",
            "enterprise": 404,
            "provider": 404,
            "expert": 404,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
        },
    ),
    (
        "get",
        "/organizations/{yz}/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 404,
            "expert": 404,
            "district_officer": 404,
            "city_officer": 200,
            "admin": 200,
        },
    ),
    (
        "get",
        "/organizations/{yz}/edit/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 404,
            "expert": 404,
            "district_officer": 404,
            "city_officer": 403,
            "admin": 403,
        },
    ),
    (
        "get",
        "/organizations/{yz}/members/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 404,
            "expert": 404,
            "district_officer": 404,
            "city_officer": 403,
            "admin": 403,
        },
    ),
    # claims of imported organizations without members: the district officer's queue
    ("get", "/organizations/claims/", {"anonymous": "login", "district_officer": 200, "*": 403}),
    # an organization's own people go straight to their only organization
    ("get", "/organizations/mine/", {"anonymous": "login", "enterprise": 302, "provider": 302, "*": 200}),
    ("get", "/accounts/login/", {"anonymous": 200, "*": 302}),
    ("get", "/accounts/register/", {"anonymous": 200, "*": 302}),
    ("get", "/accounts/password/", {"anonymous": "login", "*": 200}),
    ("get", "/audit/", {"anonymous": "login", "admin": 200, "*": 403}),
    ("get", "/audit/export.xlsx", {"anonymous": "login", "admin": 200, "*": 403}),
    ("get", "/accounts/users/", {"anonymous": "login", "admin": 200, "*": 403}),
    ("get", "/accounts/users/new/", {"anonymous": "login", "admin": 200, "*": 403}),
    ("get", "/notifications/", {"anonymous": "login", "*": 200}),
    ("get", "/tools/uscc/?code=91110000600037341L", {"*": 200}),
    ("get", "/api/v1/tools/uscc/91110000600037341L", {"*": 200}),
    ("get", "/tools/size-class/?industry=C&employees=50&revenue=1500", {"*": 200}),
    ("get", "/tools/size-class/?industry=I6513&employees=50&revenue=1500", {"*": 200}),
    ("get", "/favicon.ico", {"*": 302}),
    ("get", "/api/v1/tools/size-class?industry=C&employees=50&revenue=1500", {"*": 200}),
    ("get", "/api/v1/regions/districts/", {"*": 200}),
    ("get", "/api/v1/tools/workdays/add?date=2024-09-27&days=7", {"*": 200}),
    ("get", "/api/schema/", {"*": 200}),
    ("get", "/api/docs/", {"*": 200}),
    # Certification (issue 3): the case pages' scope is tested with records in sme/certification/tests.
    (
        "get",
        "/certification/",
        {"anonymous": "login", "district_officer": 302, "city_officer": 302, "expert": 302, "*": 200},
    ),
    (
        "get",
        "/certification/review/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
    ("get", "/certification/expert/", {"anonymous": "login", "expert": 200, "*": 403}),
    ("get", "/certification/certified/", {"anonymous": "login", "expert": 403, "*": 200}),
    ("get", "/certification/register/", {"*": 200}),
    ("get", "/certification/notices/", {"*": 200}),
    ("get", "/certification/announcements/", {"*": 200}),
    ("get", "/certification/self-check/", {"*": 200}),
    ("get", "/certification/schemes/", {"*": 200}),
    ("get", "/api/v1/certification/schemes", {"*": 200}),
    ("get", "/api/v1/certification/schemes/cq-2013-city", {"*": 200}),
    # Enterprises (issue 5): profiles, the officers' list, the registry import
    (
        "get",
        "/enterprises/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
    (
        "get",
        "/enterprises/{wz}/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 404},
    ),
    (
        "get",
        "/enterprises/{yz}/",
        {"anonymous": "login", "enterprise": 200, "city_officer": 200, "admin": 200, "*": 404},
    ),
    (
        "get",
        "/enterprises/{yz}/profile/",
        {"anonymous": "login", "enterprise": 200, "city_officer": 403, "admin": 403, "*": 404},
    ),
    (
        "get",
        "/enterprises/{yz}/figures/",
        {"anonymous": "login", "enterprise": 200, "city_officer": 403, "admin": 403, "*": 404},
    ),
    (
        "get",
        "/enterprises/imports/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
    ("get", "/enterprises/industry-codes/?q=13", {"anonymous": "login", "*": 200}),
    ("get", "/enterprises/mine/", {"anonymous": "login", "enterprise": 302, "*": 200}),
    # Assessment (issue 5)
    (
        "get",
        "/assessment/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 403,
            "expert": 403,
            "district_officer": 302,
            "city_officer": 302,
            "admin": 302,
        },
    ),
    (
        "get",
        "/assessment/responses/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
    ("get", "/api/v1/assessment/questionnaires", {"*": 200}),
    ("get", "/api/v1/assessment/questionnaires/miit-manufacturing", {"*": 200}),
    ("get", "/api/v1/me/", {"anonymous": 403, "*": 200}),
    ("get", "/api/v1/organizations/", {"anonymous": 403, "*": 200}),
    (
        "get",
        "/api/v1/organizations/{wz}/",
        {
            "anonymous": 403,
            "enterprise": 404,
            "provider": 404,
            "expert": 404,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
        },
    ),
    (
        "get",
        "/api/v1/organizations/{yz}/",
        {
            "anonymous": 403,
            "enterprise": 200,
            "provider": 404,
            "expert": 404,
            "district_officer": 404,
            "city_officer": 200,
            "admin": 200,
        },
    ),
    # --- the marketplace (issue 4): lists and forms without a record; records are in
    # test_permission_matrix_marketplace.py ---
    ("get", "/catalog/", {"*": 200}),
    ("get", "/api/v1/catalog/services", {"*": 200}),
    ("get", "/api/v1/catalog/categories", {"*": 200}),
    ("get", "/catalog/mine/", {"anonymous": "login", "provider": 200, "*": 403}),
    (
        "get",
        "/catalog/review/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
    ("get", "/orders/", {"anonymous": "login", "*": 200}),  # an empty list outside any organization
    (
        "get",
        "/orders/flags/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
    ("get", "/api/v1/orders", {"anonymous": 403, "*": 200}),
    (
        "get",
        "/demands/",
        {"anonymous": "login", "enterprise": 302, "expert": 403, "*": 200},
    ),
    ("get", "/demands/mine/", {"anonymous": "login", "enterprise": 200, "*": 403}),
    ("get", "/demands/new/", {"anonymous": "login", "enterprise": 200, "*": 403}),
    ("get", "/api/v1/demands", {"anonymous": 403, "*": 200}),
    (
        "get",
        "/tickets/",
        {"anonymous": "login", "provider": 403, "expert": 403, "*": 200},
    ),
    ("get", "/tickets/new/", {"anonymous": "login", "enterprise": 200, "*": 403}),
    ("get", "/tickets/figures/", {"*": 200}),
    ("get", "/api/v1/tickets/figures", {"*": 200}),
    ("get", "/api/v1/tickets", {"anonymous": 403, "provider": 403, "expert": 403, "*": 200}),
    (
        "get",
        "/moderation/",
        {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403},
    ),
]


# --- the harness of the record matrices (test_permission_matrix_records.py and the others) ----------

Row = tuple  # (method, template, table) or (method, template, table, form data)


def outcome(response) -> int | str:
    """The status, or "login" for a redirect to the login page, or "refused" for another redirect
    that carries an error message (the view took the request, the service said no)."""
    if response.status_code == 302:
        if response["Location"].startswith("/accounts/login/"):
            return "login"
        if any(m.level == messages.ERROR for m in messages.get_messages(response.wsgi_request)):
            return "refused"
    return response.status_code


def _filled(value, ids):
    """A data value with its placeholders filled; a value that is one placeholder alone ("{answers}")
    becomes the world's object itself (a number, a dict for a JSON body)."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        return ids[whole[1]] if whole else value.format(**ids)
    return value


def request_row(client, world, role, method, template, data=None):
    """One request of a row as ``role``; ``{placeholders}`` in the path and the data from world["ids"]."""
    user = world["users"][role]
    client.logout()
    if user is not None:
        login(client, user)
    url = template.format(**world["ids"])
    body = {key: _filled(value, world["ids"]) for key, value in (data or {}).items()}
    if method == "post" and template.startswith("/api/"):
        return client.post(url, body, content_type="application/json")  # what the API parses
    return getattr(client, method)(url, body) if body else getattr(client, method)(url)


def check_row(client, world, roles, row) -> None:
    """Every role through one row, each in a savepoint rolled back after it (one world per row, not per
    role); fails listing every role whose outcome differs from the table."""
    from django.core.cache import cache
    from django.db import transaction

    method, template, table, *data = row
    wrong = {}
    for role in roles:
        savepoint = transaction.savepoint()
        try:
            got = outcome(request_row(client, world, role, method, template, *data))
        finally:
            transaction.savepoint_rollback(savepoint)
            cache.clear()
        expected = table.get(role, table.get("*"))
        if got != expected:
            wrong[role] = f"expected {expected}, got {got}"
    assert not wrong, f"{method.upper()} {template}: {wrong}"


def row_id(row: Row) -> str:
    return f"{row[0].upper()} {row[1]}"


@pytest.fixture
def world(enterprise_owner, provider_user, district_officer, city_officer, expert, admin_user, wanzhou):
    wz = OrganizationFactory(district=wanzhou, name="万州测试待审企业有限公司")
    yz = Organization.objects.get(memberships__user=enterprise_owner)
    users = {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "district_officer": district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }
    return {"wz": wz, "yz": yz, "users": users}


def expected_for(table: dict[str, int | str], role: str) -> int | str:
    return table.get(role, table.get("*"))  # type: ignore[return-value]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "table"), PAGES, ids=[p[1] for p in PAGES])
def test_page_access(client, world, role, method, template, table):
    user = world["users"][role]
    if user is not None:
        login(client, user)
    url = template.format(wz=world["wz"].pk, yz=world["yz"].pk)
    response = getattr(client, method)(url)
    expected = expected_for(table, role)
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    else:
        assert response.status_code == expected, (role, url, response.status_code)


@pytest.mark.parametrize(
    ("role", "status", "verified"),
    [
        ("district_officer", 302, True),  # in scope: verified
        ("city_officer", 302, False),  # sees it, may not verify: told so, nothing changes
        ("admin", 302, False),
        ("enterprise", 404, False),
        ("provider", 404, False),
        ("expert", 404, False),
    ],
)
def test_verify_action_by_role(client, world, role, status, verified):
    login(client, world["users"][role])
    response = client.post(f"/organizations/{world['wz'].pk}/verify/")
    assert response.status_code == status
    world["wz"].refresh_from_db()
    assert world["wz"].is_verified is verified


def test_district_officer_cannot_act_outside_district(client, world, other_district_officer):
    """渝中区's officer can neither see nor verify a 万州区 organization, by page or API."""
    login(client, other_district_officer)
    assert client.post(f"/organizations/{world['wz'].pk}/verify/").status_code == 404
    assert client.post(f"/api/v1/organizations/{world['wz'].pk}/verify/").status_code == 404
    world["wz"].refresh_from_db()
    assert world["wz"].verification_status == "pending"


def test_lists_hold_only_the_callers_scope(client, world, district_officer, yuzhong):
    OrganizationFactory.create_batch(3, district=yuzhong)
    login(client, district_officer)
    page = client.get("/organizations/").content.decode()
    assert world["wz"].name in page and world["yz"].name not in page
    ids = {row["id"] for row in client.get("/api/v1/organizations/?page_size=100").json()["results"]}
    expected = set(
        Organization.objects.filter(district=district_officer.jurisdiction).values_list("pk", flat=True)
    )
    assert ids == expected
    # A filter for another district does not widen the scope.
    ids = {r["id"] for r in client.get(f"/api/v1/organizations/?district={yuzhong.pk}").json()["results"]}
    assert ids == set()


def test_enterprise_sees_only_its_own_organizations(client, world, enterprise_owner):
    login(client, enterprise_owner)
    ids = {row["id"] for row in client.get("/api/v1/organizations/").json()["results"]}
    assert ids == {world["yz"].pk}


def test_city_officer_sees_every_district(client, world, city_officer):
    login(client, city_officer)
    ids = {row["id"] for row in client.get("/api/v1/organizations/?page_size=100").json()["results"]}
    assert {world["wz"].pk, world["yz"].pk} <= ids


def test_denied_page_is_audited(client, world, expert):
    from sme.core.models import AuditLog

    login(client, expert)
    client.get("/audit/")
    row = AuditLog.objects.filter(action="access.denied").latest("id")
    assert row.actor == expert and row.result == "denied" and "/audit/" in row.summary
