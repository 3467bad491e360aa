"""Each role × the foundation's records and actions × inside and outside its scope: accounts, organizations,
memberships, enterprise imports, assessments, notifications, stored files, the public tools.

The world: the enterprise owner's organization in 渝中区 (``yz``) with a pending join request, a pending
enterprise in 万州区 (``wz``), a 万州区 registry import by 万州区's officer, a submitted and a draft
assessment of ``yz``, a staff account to act on. ``district_officer`` is 万州区's, ``other_district_officer``
渝中区's: each is in scope for one of the two organizations and out of scope for the other.

A row is ``(method, path template, {role: outcome})`` or, for a form, ``(method, template, table, data)``;
API POSTs go as JSON; an outcome is a status code, ``"login"`` (redirected to the login page) or ``"refused"`` (redirected
with an error message: the view took the request and the service said no). ``"*"`` is every role not
named. POSTs carry no more than the data given: they show who gets through to the service, the services'
own tests show what it then does.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sme.assessment.selectors import instrument_for, questionnaire_for
from sme.assessment.tests.factories import ResponseFactory, lowest_answers
from sme.enterprises.models import EnterpriseImport
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory, officer

from .test_permission_matrix import Row, check_row, row_id

ROLES = [
    "anonymous",
    "enterprise",
    "other_enterprise",
    "provider",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "admin",
]
OFFICERS_IN_SCOPE_OF_WZ = {"district_officer": 200, "city_officer": 200, "admin": 200}

ROWS: list[Row] = [
    # --- the portal, public --------------------------------------------------------------------
    ("get", "/", {"anonymous": 200, "*": 302}),  # signed-in users go to their dashboard
    ("get", "/healthz", {"*": 200}),
    # --- accounts --------------------------------------------------------------------------------
    ("get", "/accounts/login/", {"anonymous": 200, "*": 302}),
    ("get", "/accounts/register/", {"anonymous": 200, "*": 302}),
    ("post", "/accounts/logout/", {"*": 302}),
    ("get", "/accounts/password/", {"anonymous": "login", "*": 200}),
    ("post", "/accounts/users/{staff}/deactivate/", {"anonymous": "login", "admin": 302, "*": 403}),
    (
        "post",
        "/accounts/users/{staff}/unlock/",
        {"anonymous": "login", "admin": "refused", "*": 403},
    ),  # not locked
    ("post", "/accounts/users/{staff}/promote/", {"anonymous": "login", "*": 403}),  # no such action
    ("post", "/api/v1/auth/token/", {"*": 400}),  # no credentials: refused the same way for everyone
    # --- organizations ---------------------------------------------------------------------------
    (  # one organization: straight to it; none: the (empty) list
        "get",
        "/organizations/mine/",
        {"anonymous": "login", "enterprise": 302, "other_enterprise": 302, "provider": 302, "*": 200},
    ),
    (
        "post",
        "/organizations/{wz}/verify/",
        # the city and the admin see it but do not verify: the district does
        {
            "anonymous": "login",
            "district_officer": 302,
            "city_officer": "refused",
            "admin": "refused",
            "*": 404,
        },
    ),
    (
        "post",
        "/api/v1/organizations/{wz}/verify/",
        {"anonymous": 403, "district_officer": 200, "city_officer": 403, "admin": 403, "*": 404},
    ),
    (
        "post",
        "/organizations/{yz}/members/{membership}/decide/",
        {  # officers in scope see the organization, but only its managers decide
            "anonymous": "login",
            "enterprise": 302,
            "other_district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
            "*": 404,
        },
        {"decision": "approve"},
    ),
    # --- enterprises: the registry import of 万州区's officer --------------------------------------
    (
        "get",
        "/enterprises/mine/",
        {"anonymous": "login", "enterprise": 302, "other_enterprise": 302, "*": 200},
    ),
    ("get", "/enterprises/imports/{job}/", {"anonymous": "login", **OFFICERS_IN_SCOPE_OF_WZ, "*": 404}),
    (
        "get",
        "/enterprises/imports/{job}/progress/",
        {"anonymous": "login", **OFFICERS_IN_SCOPE_OF_WZ, "*": 404},
    ),
    (
        "get",
        "/enterprises/imports/{job}/report/",
        {"anonymous": "login", **OFFICERS_IN_SCOPE_OF_WZ, "*": 404},
    ),
    # --- assessment: yz's submitted response and its draft -----------------------------------------
    (
        "post",
        "/assessment/start/miit-manufacturing/",
        {"anonymous": "login", "enterprise": 302, "*": 404},
        {"organization": "{yz}"},
    ),
    (
        "get",
        "/assessment/{draft}/fill/1/",
        {"anonymous": "login", "enterprise": 200, "*": 404},  # officers never see drafts
    ),
    ("get", "/assessment/{draft}/submit/", {"anonymous": "login", "enterprise": 200, "*": 404}),
    ("post", "/assessment/{draft}/delete/", {"anonymous": "login", "enterprise": 302, "*": 404}),
    (
        "get",
        "/assessment/{response}/",
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
        "get",
        "/assessment/{response}/report.pdf",
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
        "get",
        "/assessment/{response}/verify/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "get",
        "/api/v1/assessment/responses/{response}",
        {
            "anonymous": 403,
            "enterprise": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (  # scores what it is sent, stores nothing
        "post",
        "/api/v1/assessment/questionnaires/miit-manufacturing/score",
        {"*": 200},
        {"answers": "{answers}"},
    ),
    ("post", "/api/v1/assessment/questionnaires/miit-manufacturing/score", {"*": 400}, {"answers": "{bad}"}),
    # --- certification's public self-check API -----------------------------------------------------
    (
        "post",
        "/api/v1/certification/schemes/cq-2013-city/eligibility",
        {"*": 200},
        {"district": "500101", "on": "2013-06-01", "figures": "{figures}"},
    ),
    ("post", "/api/v1/certification/schemes/cq-2013-city/eligibility", {"*": 400}),  # no figures
    # --- notifications ---------------------------------------------------------------------------
    ("post", "/notifications/read/", {"anonymous": "login", "*": 302}),
    ("get", "/notifications/settings/", {"anonymous": "login", "*": 200}),
    # --- stored files (sme.core.files): one download for every kind; an unregistered kind is 404 ---
    ("get", "/files/no.such-kind/1/", {"*": 404}),
    ("get", "/files/accounts.user/{staff}/", {"*": 404}),  # a model, but not a registered file kind
]


@pytest.fixture
def world(
    settings,
    tmp_path,
    enterprise_owner,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    admin_user,
    wanzhou,
):
    settings.MEDIA_ROOT = str(tmp_path)
    yz = Organization.objects.get(memberships__user=enterprise_owner)
    wz = OrganizationFactory(district=wanzhou, name="万州测试待审企业有限公司")
    other_enterprise_owner = UserFactory(username="owner_other", role="enterprise")
    OrganizationFactory(district=wanzhou, owner=other_enterprise_owner, verified=True)
    newcomer = UserFactory(username="joining_yz", role="enterprise")
    membership = Membership.objects.create(organization=yz, user=newcomer, role="member", status="pending")
    staff = officer("district_officer", wanzhou, username="officer_wz_second")
    report = default_storage.save("enterprise-imports/reports/matrix.xlsx", ContentFile(b"PK\x03\x04"))
    job = EnterpriseImport.objects.create(
        created_by=district_officer,
        district=wanzhou,
        file="enterprise-imports/matrix.csv",
        file_name="matrix.csv",
        sha256="0" * 64,
        file_format="csv",
        status="done",
        report=report,
    )
    response = ResponseFactory(organization=yz, created_by=enterprise_owner, submitted=True)
    draft = ResponseFactory(organization=yz, created_by=enterprise_owner)
    users = {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "other_enterprise": other_enterprise_owner,
        "provider": provider_user,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }
    instrument = instrument_for(questionnaire_for("miit-manufacturing"))
    ids = {
        "answers": lowest_answers(instrument),
        "bad": {"no-such-item": "x"},
        "figures": {
            "years_operating": 3,
            "total_assets_wan": 120,
            "staff": 25,
            "qualified_staff_share": 0.64,
            "smes_served_by_year": [70, 80, 90],
            "satisfaction": 0.85,
        },
        "yz": yz.pk,
        "wz": wz.pk,
        "membership": membership.pk,
        "staff": staff.pk,
        "job": job.pk,
        "response": response.pk,
        "draft": draft.pk,
    }
    return {"users": users, "ids": ids}


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_record_access(client, world, row):
    check_row(client, world, ROLES, row)
