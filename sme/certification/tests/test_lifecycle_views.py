"""The after-certification pages: who sees what (scope → 404, role → 403), query ceilings on lists,
the forms end to end through the browser's requests, and the public announcements page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import login
from sme.certification import todos
from sme.certification.models import AnnualSummary, ReReview, SpotCheck, SummaryDuty
from sme.certification.services import rereviews as rereview_services
from sme.certification.services import titles as title_services
from sme.core.models import AuditLog, TransitionLog
from sme.organizations.models import Organization
from sme.testing.factories import officer

from . import lifecycle_factories as lf

ROLES = [
    "anonymous",
    "applicant",
    "outsider",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "admin",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(
    provider_user,
    enterprise_owner,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    admin_user,
):
    """A title of the 万州 provider under re-review (draft, with its audit report), and a spot check."""
    organization = Organization.objects.get(memberships__user=provider_user)
    today = timezone.localdate()
    cert = lf.certification(
        organization,
        granted_on=today.replace(year=today.year - 3) + dt.timedelta(days=30),
        status="rereview",
    )
    rereview = lf.rereview(cert, status="draft", complete=False)
    rereview_services.rereview_update(
        actor=provider_user,
        rereview=rereview,
        expected_version=1,
        three_year_summary="三年工作总结",
        audit_report=SimpleUploadedFile("审计报告.pdf", lf.TINY_PDF),
    )
    check = lf.spot_check(cert, city_officer)
    return {
        "cert": cert,
        "rereview": rereview,
        "check": check,
        "users": {
            "anonymous": None,
            "applicant": provider_user,
            "outsider": enterprise_owner,
            "district_officer": district_officer,
            "other_district_officer": other_district_officer,
            "city_officer": city_officer,
            "expert": expert,
            "admin": admin_user,
        },
    }


LOGIN = "login"
IN_SCOPE = {"applicant": 200, "district_officer": 200, "city_officer": 200, "admin": 200}
PAGES = [
    ("/certification/certified/", {"anonymous": LOGIN, "expert": 403, "*": 200}),
    ("/certification/certified/{cert}/", {"anonymous": LOGIN, **IN_SCOPE, "*": 404}),
    (
        "/certification/certified/{cert}/summary/",
        {
            "anonymous": LOGIN,
            "applicant": 200,
            "district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "/certification/certified/{cert}/revoke/",
        {
            "anonymous": LOGIN,
            "city_officer": 200,
            "applicant": 403,
            "district_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "/certification/certified/{cert}/spot-check/",
        {
            "anonymous": LOGIN,
            "city_officer": 200,
            "applicant": 403,
            "district_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "/certification/summaries/overdue/",
        {
            "anonymous": LOGIN,
            "district_officer": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 403,
        },
    ),
    ("/certification/rereviews/", {"anonymous": LOGIN, "*": 200}),
    ("/certification/rereviews/{rereview}/", {"anonymous": LOGIN, **IN_SCOPE, "*": 404}),
    # The one download view (files:download) does not confirm a file to anyone else, signed in or not.
    ("{audit_report}", {"anonymous": 404, **IN_SCOPE, "*": 404}),
    ("/certification/spot-checks/", {"anonymous": LOGIN, "*": 200}),
    ("/certification/spot-checks/{check}/", {"anonymous": LOGIN, **IN_SCOPE, "*": 404}),
    ("/certification/announcements/", {"*": 200}),
]


@pytest.mark.parametrize(("url", "expected"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role_and_scope(client, world, url, expected, role):
    user = world["users"][role]
    if user is not None:
        login(client, user)
    path = url.format(
        cert=world["cert"].pk,
        rereview=world["rereview"].pk,
        check=world["check"].pk,
        audit_report=world["rereview"].audit_report.download_url,
    )
    response = client.get(path)
    want = expected.get(role, expected["*"])
    if want == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want, (path, role, response.status_code)


def test_lists_show_only_the_scope(client, world, other_district_officer, enterprise_owner, district_officer):
    cert = world["cert"]
    for user in (other_district_officer, enterprise_owner):
        page = login(client, user).get("/certification/certified/?status=")
        assert cert.number not in page.content.decode()
        assert (
            cert.platform_name not in login(client, user).get("/certification/spot-checks/").content.decode()
        )
    assert cert.number in login(client, district_officer).get("/certification/certified/").content.decode()


def test_list_pages_query_ceiling(client, world, city_officer, django_assert_max_num_queries):
    organization = Organization.objects.get(pk=world["cert"].organization_id)
    for i in range(25):
        cert = lf.certification(organization, granted_on=dt.date(2022, 1, 1) + dt.timedelta(days=i))
        lf.spot_check(cert, city_officer)
        SummaryDuty.objects.create(
            certification=cert, year=2025, due_on=dt.date(2026, 3, 31), overdue_since=dt.date(2026, 4, 1)
        )
        if i % 2:
            title_services.certification_revoke(actor=city_officer, certification=cert, reason=f"弄虚作假{i}")
    login(client, city_officer)
    for url in (
        "/certification/certified/",
        "/certification/certified/?overdue=1",
        "/certification/spot-checks/",
        "/certification/rereviews/?status=draft",
        "/certification/summaries/overdue/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        page = client.get("/certification/announcements/")
    assert page.content.decode().count('data-testid="announcement"') == 12
    login(client, city_officer)
    overdue = client.get("/certification/summaries/overdue/").content.decode()
    assert overdue.count("<tr>") - 1 == 13  # the 13 titles still in force; revoked ones owe nothing


def test_summary_form_end_to_end(client, provider_user):
    organization = Organization.objects.get(memberships__user=provider_user)
    today = timezone.localdate()
    cert = lf.certification(organization, granted_on=dt.date(today.year - 1, 3, 1))
    login(client, provider_user)
    bad = client.post(
        f"/certification/certified/{cert.pk}/summary/",
        {
            "year": today.year - 1,
            "text": "总结",
            "smes_served": 10,
            "satisfaction_percent": "150",
            "service_revenue_wan": "1",
            "public_services": 0,
        },
    )
    assert bad.status_code == 400 and "100" in bad.content.decode()
    assert not AnnualSummary.objects.exists()
    good = client.post(
        f"/certification/certified/{cert.pk}/summary/",
        {
            "year": today.year - 1,
            "text": "全年服务企业80家",
            "smes_served": 80,
            "satisfaction_percent": "91.2",
            "service_revenue_wan": "55.5",
            "public_services": 3,
        },
    )
    assert good.status_code == 302
    summary = AnnualSummary.objects.get(certification=cert)
    assert (summary.year, summary.smes_served, summary.satisfaction_percent) == (
        today.year - 1,
        80,
        Decimal("91.2"),
    )
    # Nothing left to report: the form sends the platform back with a message.
    assert client.get(f"/certification/certified/{cert.pk}/summary/").status_code == 302


def test_rereview_pages_end_to_end(client, world, provider_user, district_officer, city_officer):
    rereview, cert = world["rereview"], world["cert"]
    items = rereview.scheme.annual_form["items"]
    login(client, provider_user)
    scores = {f"score_{i['key']}": str(Decimal(str(i["max_score"])) * Decimal("0.9")) for i in items}
    incomplete = client.post(
        f"/certification/rereviews/{rereview.pk}/",
        {"version": 2, "three_year_summary": "三年工作总结", "submit": "1"},
    )
    assert incomplete.status_code == 400 and "请为" in incomplete.content.decode()
    rereview.refresh_from_db()
    assert rereview.status == "draft"
    response = client.post(
        f"/certification/rereviews/{rereview.pk}/",
        {"version": rereview.version, "three_year_summary": "三年工作总结（定稿）", "submit": "1", **scores},
    )
    assert response.status_code == 302
    rereview.refresh_from_db()
    assert rereview.status == "submitted" and rereview.three_year_summary == "三年工作总结（定稿）"

    page = login(client, district_officer).get(f"/certification/rereviews/{rereview.pk}/").content.decode()
    assert rereview.audit_report.sha256 in page and 'data-testid="action-district_evaluate"' in page
    total = client.post(
        f"/certification/rereviews/{rereview.pk}/total/",
        {f"score_{items[0]['key']}": "10", f"score_{items[1]['key']}": "5.5"},
    )
    assert "合计 15.5 分" in total.content.decode() and "低于合格分 60 分" in total.content.decode()
    too_high = client.post(
        f"/certification/rereviews/{rereview.pk}/district_evaluate/",
        {**scores, f"score_{items[0]['key']}": "999"},
    )
    assert too_high.status_code == 400
    assert (
        client.post(f"/certification/rereviews/{rereview.pk}/district_evaluate/", scores).status_code == 302
    )
    rereview.refresh_from_db()
    assert rereview.status == "district_reviewed"

    # Two city officers on the same page; the second decision arrives after the first.
    from sme.regions.models import Region

    second = officer("city_officer", Region.objects.current().get(code="500000"), username="officer_city_b")
    first = login(client, city_officer).post(
        f"/certification/rereviews/{rereview.pk}/confirm/", {**scores, "note": "合格"}
    )
    assert first.status_code == 302
    late = login(client, second).post(
        f"/certification/rereviews/{rereview.pk}/fail/", {**scores, "note": "不合格"}
    )
    assert late.status_code == 409 and "当前状态为" in late.content.decode()
    cert.refresh_from_db()
    assert cert.status == "active"
    assert (
        TransitionLog.objects.filter(
            workflow="certification_rereview", action__in=["confirm", "fail"]
        ).count()
        == 1
    )


def test_audit_report_download_is_audited(client, world, district_officer):
    report = world["rereview"].audit_report
    page = login(client, district_officer).get(f"/certification/rereviews/{world['rereview'].pk}/")
    assert report.download_url in page.content.decode()
    response = client.get(report.download_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == lf.TINY_PDF
    assert "attachment" in response["Content-Disposition"]
    assert AuditLog.objects.filter(
        action="file.download", actor=district_officer, object_id=str(report.pk)
    ).exists()


def test_spot_check_and_revoke_pages(client, provider_user, city_officer, district_officer):
    organization = Organization.objects.get(memberships__user=provider_user)
    cert = lf.certification(organization, granted_on=timezone.localdate() - dt.timedelta(days=200))
    login(client, city_officer)
    bad = client.post(
        f"/certification/certified/{cert.pk}/spot-check/",
        {
            "checked_on": timezone.localdate().isoformat(),
            "findings": "问题",
            "rectification_due": "2000-01-01",
        },
    )
    assert bad.status_code == 400 and "整改期限不能早于抽查日期" in bad.content.decode()
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    created = client.post(
        f"/certification/certified/{cert.pk}/spot-check/",
        {
            "checked_on": timezone.localdate().isoformat(),
            "findings": "服务记录不完整",
            "rectification_due": due,
        },
    )
    check = SpotCheck.objects.get(certification=cert)
    assert created.status_code == 302 and created["Location"].endswith(f"/spot-checks/{check.pk}/")

    login(client, provider_user)
    assert client.post(f"/certification/spot-checks/{check.pk}/pass/").status_code == 403
    assert (
        client.post(f"/certification/spot-checks/{check.pk}/rectify/", {"text": "已补齐服务记录"}).status_code
        == 302
    )
    login(client, district_officer)
    assert (
        client.post(f"/certification/spot-checks/{check.pk}/rectify/", {"text": "代为整改"}).status_code
        == 400
    )
    login(client, city_officer)
    assert (
        client.post(f"/certification/spot-checks/{check.pk}/pass/", {"note": "整改到位"}).status_code == 302
    )
    check.refresh_from_db()
    assert check.status == "passed" and check.rectifications.count() == 1

    empty = client.post(f"/certification/certified/{cert.pk}/revoke/", {"reason": ""})
    assert empty.status_code == 400
    assert (
        client.post(f"/certification/certified/{cert.pk}/revoke/", {"reason": "伪造服务合同"}).status_code
        == 302
    )
    cert.refresh_from_db()
    assert cert.status == "revoked"
    client.logout()
    announcements = client.get("/certification/announcements/").content.decode()
    assert (
        "伪造服务合同" in announcements
        and cert.number in announcements
        and "弄虚作假（第十五条）" in announcements
    )


def test_open_rereview_from_the_platform_page(client, provider_user):
    organization = Organization.objects.get(memberships__user=provider_user)
    today = timezone.localdate()
    cert = lf.certification(organization, granted_on=today - dt.timedelta(days=900))
    login(client, provider_user)
    page = client.get(f"/certification/certified/{cert.pk}/").content.decode()
    assert 'data-testid="open-rereview"' in page
    response = client.post(f"/certification/certified/{cert.pk}/rereview/")
    rereview = ReReview.objects.get(certification=cert)
    assert response.status_code == 302 and response["Location"].endswith(f"/rereviews/{rereview.pk}/")
    again = client.post(f"/certification/certified/{cert.pk}/rereview/", follow=True)
    assert "当前状态为" in again.content.decode()
    assert ReReview.objects.filter(certification=cert).count() == 1
    young = lf.certification(organization, granted_on=today - dt.timedelta(days=300))
    assert (
        'data-testid="open-rereview"'
        not in client.get(f"/certification/certified/{young.pk}/").content.decode()
    )


def test_todos_for_each_role(world, provider_user, district_officer, city_officer, other_district_officer):
    titles = [t.title for t in todos.lifecycle_todos(provider_user)]
    assert any("三年复核材料" in t for t in titles) and any("抽查整改" in t for t in titles)
    rereview = world["rereview"]
    ReReview.objects.filter(pk=rereview.pk).update(status="submitted")
    assert any(t.count == 1 for t in todos.lifecycle_todos(district_officer) if "三年复核" in t.title)
    assert todos.lifecycle_todos(other_district_officer) == []
    assert [t for t in todos.lifecycle_todos(city_officer) if "三年复核" in t.title] == []
    ReReview.objects.filter(pk=rereview.pk).update(status="district_reviewed")
    assert any(t.count == 1 for t in todos.lifecycle_todos(city_officer) if "三年复核" in t.title)
