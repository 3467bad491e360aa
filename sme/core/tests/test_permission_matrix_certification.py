"""Each role × each certification record and action × inside and outside its scope.

The world: the provider persona's organization in 万州区 has an application in draft, one submitted (with a
material), one under city review (the expert persona assigned to it), one in its public notice (with an
objection), and a certified platform with a submitted re-review and an open spot check; the persona
runs a second platform with no application yet (to apply for).
``district_officer`` is 万州区's (in scope), ``other_district_officer`` 渝中区's (out of scope);
``other_provider`` and ``other_expert`` stand for someone else's organization and an expert not assigned.

Rows and outcomes as in ``test_permission_matrix_records.py``. The applicant's pages and the reviewers'
lists without a record are in ``test_permission_matrix.py``; the services' tests show what each action
does once let through.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sme.certification.models import ExpertReview, Objection
from sme.certification.tests import lifecycle_factories, public_fixtures
from sme.organizations.models import Organization
from sme.testing.factories import UserFactory

from .test_permission_matrix import Row, check_row, row_id

PDF = lifecycle_factories.TINY_PDF

ROLES = [
    "anonymous",
    "enterprise",
    "provider",
    "other_provider",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "other_expert",
    "admin",
]
# Who sees an application once the district has recommended it (city review, notice).
RECOMMENDED = {
    "anonymous": "login",
    "provider": 200,
    "district_officer": 200,
    "city_officer": 200,
    "admin": 200,
    "*": 404,
}
# Who sees a certified platform's record (its title, re-review, spot checks): experts see none.
TITLE = {
    "anonymous": "login",
    "provider": 200,
    "district_officer": 200,
    "city_officer": 200,
    "admin": 200,
    "*": 404,
}

ROWS: list[Row] = [
    # --- the applicant's application -------------------------------------------------------------
    (
        "post",
        "/certification/applications/new/",
        {"anonymous": "login", "provider": 302, "*": "refused"},  # only its managers apply for it
        {"organization": "{second_org}", "scheme": "cq-2013-city"},
    ),
    # A draft is its organization's and the platform administrator's (who sees every case, edits none).
    (
        "get",
        "/certification/applications/{draft}/",
        {"anonymous": "login", "provider": 200, "admin": 200, "*": 404},
    ),
    (
        "get",
        "/certification/applications/{draft}/edit/",
        {"anonymous": "login", "provider": 200, "admin": 403, "*": 404},
    ),
    (
        "post",
        "/certification/applications/{draft}/eligibility/",
        {"anonymous": "login", "provider": 200, "admin": 403, "*": 404},
    ),
    (
        "post",
        "/certification/applications/{draft}/materials/{slot}/",
        {"anonymous": "login", "provider": "refused", "admin": "refused", "*": 404},  # no file sent
    ),
    (
        "post",
        "/certification/applications/{draft}/submit/",
        {"anonymous": "login", "provider": "refused", "admin": "refused", "*": 404},  # no declaration
    ),
    # --- the district's review of a submitted application -------------------------------------------
    (
        "get",
        "/certification/applications/{submitted}/",
        {"anonymous": "login", "provider": 200, "district_officer": 200, "admin": 200, "*": 404},
    ),
    (
        "post",
        "/certification/applications/{submitted}/recommend/",
        {"anonymous": "login", "provider": "refused", "district_officer": 302, "admin": "refused", "*": 404},
    ),
    (
        "post",
        "/certification/applications/{submitted}/no-such-action/",
        {"anonymous": "login", "provider": 404, "district_officer": 404, "admin": 404, "*": 404},
    ),
    (
        "get",
        "/certification/applications/{submitted}/dossier.pdf",
        {"anonymous": "login", "provider": 200, "district_officer": 200, "admin": 200, "*": 404},
    ),
    (
        "get",
        "/certification/applications/export.xlsx",  # each officer's own scope
        {
            "anonymous": "login",
            "district_officer": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 403,
        },
    ),
    # --- the city's review, the experts, the notice ----------------------------------------------
    ("get", "/certification/applications/{reviewing}/", {**RECOMMENDED, "expert": 200}),
    (
        "post",
        "/certification/applications/{reviewing}/experts/",
        {
            **RECOMMENDED,
            "provider": "refused",
            "district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
            "expert": "refused",
        },
    ),
    (
        "get",
        "/certification/applications/{reviewing}/review/",
        {
            **RECOMMENDED,
            "provider": 403,
            "district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "expert": 200,
        },
    ),
    (
        "post",
        "/certification/applications/{reviewing}/grant/",
        {
            **RECOMMENDED,
            "provider": "refused",
            "district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
            "expert": "refused",
        },  # not in its notice period
    ),
    (
        "get",
        "/certification/expert/conflicts/",
        {"anonymous": "login", "expert": 302, "other_expert": 302, "*": 403},
    ),
    ("get", "/certification/notices/{notice}/", {"*": 200}),
    (
        "post",
        "/certification/objections/{objection}/resolve/",
        {
            **RECOMMENDED,
            "provider": "refused",
            "district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
        },  # no decision given
    ),
    # --- schemes ---------------------------------------------------------------------------------
    ("get", "/certification/schemes/{scheme}/", {"*": 200}),
    ("get", "/certification/schemes/{scheme}/copy/", {"anonymous": "login", "admin": 200, "*": 403}),
    ("get", "/certification/schemes/{scheme}/revise/", {"anonymous": "login", "admin": 200, "*": 403}),
    # --- the register, public --------------------------------------------------------------------
    ("get", "/certification/platforms/{key}/", {"*": 200}),
    ("get", "/certification/platforms/{key}/certificate.pdf", {"*": 200}),
    # --- after certification: the title, summaries, re-reviews, spot checks ------------------------
    ("get", "/certification/certified/{cert}/", TITLE),
    (
        "get",
        "/certification/certified/{cert}/summary/",
        {**TITLE, "district_officer": 403, "city_officer": 403, "admin": 403},
    ),
    (
        "post",
        "/certification/certified/{cert}/rereview/",
        {
            **TITLE,
            "provider": "refused",
            "district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
        },  # its re-review is already open
    ),
    (
        "get",
        "/certification/certified/{cert}/spot-check/",  # the certifying authority only
        {**TITLE, "provider": 403, "district_officer": 403, "admin": 403},
    ),
    (
        "get",
        "/certification/certified/{cert}/revoke/",
        {**TITLE, "provider": 403, "district_officer": 403, "admin": 403},
    ),
    (
        "get",
        "/certification/summaries/overdue/",
        {
            "anonymous": "login",
            "district_officer": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 403,
        },
    ),
    ("get", "/certification/rereviews/", {"anonymous": "login", "*": 200}),  # each sees their scope's
    ("get", "/certification/rereviews/{rereview}/", TITLE),
    (
        "post",
        "/certification/rereviews/{rereview}/total/",  # the running total of a score form
        TITLE,
    ),
    (
        "post",
        "/certification/rereviews/{rereview}/district_return/",
        {**TITLE, "provider": 400, "district_officer": 400, "city_officer": 400, "admin": 400},  # no note
    ),
    ("get", "/certification/spot-checks/", {"anonymous": "login", "*": 200}),  # each sees their scope's
    ("get", "/certification/spot-checks/{spot}/", TITLE),
    (
        "post",
        "/certification/spot-checks/{spot}/rectify/",  # the platform reports; others' form is refused
        {**TITLE, "provider": 302, "district_officer": 400, "city_officer": 400, "admin": 400},
        {"text": "已在网站公开服务收费标准。"},
    ),
    (
        "post",
        "/certification/spot-checks/{spot}/pass/",
        {**TITLE, "provider": 403, "district_officer": 403, "city_officer": 302, "admin": 403},
    ),
]

# Certification's files through the one download view (sme.core.files): an application's material
# to whoever may open the application, a re-review's audit report to whoever may open the re-review;
# anyone else (anonymous visitors included) gets 404.
DOWNLOADS: list[Row] = [
    (
        "get",
        "/files/certification.material/{material}/",
        {"provider": 200, "district_officer": 200, "admin": 200, "*": 404},
    ),
    (
        "get",
        "/files/certification.rereviewauditreport/{audit_report}/",
        {**TITLE, "anonymous": 404},
    ),
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
):
    settings.MEDIA_ROOT = str(tmp_path)
    provider_org = Organization.objects.get(memberships__user=provider_user)
    other_provider = UserFactory(username="provider_yz", role="provider")
    public_fixtures.provider("500103").memberships.create(user=other_provider, role="owner", status="active")
    other_expert = UserFactory(username="expert_wang", role="expert")
    second_org = public_fixtures.provider("500101")  # the persona's other platform, without an application
    second_org.memberships.create(user=provider_user, role="owner", status="active")
    scheme = public_fixtures.scheme()
    slot = next(s["key"] for s in scheme.materials if s.get("provided_by") == "upload")

    draft = public_fixtures.application(provider_org, status="draft", created_by=provider_user)
    submitted = public_fixtures.application(provider_org, status="submitted", created_by=provider_user)
    material = public_fixtures.material(submitted, slot, PDF)
    default_storage.save(material.file.name, ContentFile(PDF))
    reviewing = public_fixtures.application(provider_org, status="city_review", created_by=provider_user)
    ExpertReview.objects.create(application=reviewing, expert=expert, assigned_by=city_officer, scheme=scheme)
    today = dt.date.today()
    noticed = public_fixtures.application(provider_org, status="notice", created_by=provider_user)
    notice = public_fixtures.notice(
        noticed, published_on=today, starts_on=today, ends_on=today + dt.timedelta(days=10)
    )
    objection = Objection.objects.create(notice=notice, name="张某", contact="13900000000", text="数据不实")

    cert = lifecycle_factories.certification(provider_org, status="rereview")
    rereview = lifecycle_factories.rereview(cert, status="submitted")
    audit_report = rereview.audit_reports.get()
    default_storage.save(audit_report.file.name, ContentFile(PDF))
    spot = lifecycle_factories.spot_check(cert, opened_by=city_officer)
    users = {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "other_provider": other_provider,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "other_expert": other_expert,
        "admin": admin_user,
    }
    ids = {
        "second_org": second_org.pk,
        "scheme": scheme.pk,
        "slot": slot,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "material": material.pk,
        "reviewing": reviewing.pk,
        "notice": notice.pk,
        "objection": objection.pk,
        "cert": cert.pk,
        "key": cert.number,
        "rereview": rereview.pk,
        "audit_report": audit_report.pk,
        "spot": spot.pk,
    }
    return {"users": users, "ids": ids}


@pytest.mark.parametrize("row", ROWS + DOWNLOADS, ids=row_id)
def test_certification_record_access(client, world, row):
    check_row(client, world, ROLES, row)
