"""The certification pages per role and scope, and the forms driving the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from sme.certification.models import Application, ApplicationStatus, Material, Scheme
from sme.certification.selectors import applications as application_selectors
from sme.certification.services import applications as application_services
from sme.certification.services import reviews as review_services
from sme.certification.tests.factories import TINY_PDF, filled_draft, submitted
from sme.core.models import AuditLog
from sme.organizations.models import Organization
from sme.testing.factories import UserFactory

DAY = dt.date(2026, 2, 10)


@pytest.fixture
def provider_org(provider_user):
    return Organization.objects.get(memberships__user=provider_user)


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
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }


@pytest.fixture
def application(clock, provider_user, provider_org):
    clock.pin(DAY)
    return submitted(provider_user, provider_org)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("provider", 200),
        ("district_officer", 200),
        ("other_district_officer", 404),
        ("city_officer", 404),  # not recommended yet: still the district's case
        ("enterprise", 404),
        ("expert", 404),
        ("admin", 200),
    ],
)
def test_application_page_scope(client, people, application, role, expected):
    login(client, people[role])
    assert client.get(f"/certification/applications/{application.pk}/").status_code == expected


def test_anonymous_is_sent_to_login(client, application):
    response = client.get(f"/certification/applications/{application.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("district_officer", 200),
        ("city_officer", 200),
        ("admin", 200),
        ("provider", 403),
        ("enterprise", 403),
        ("expert", 403),
    ],
)
def test_queue_is_for_officers(client, people, role, expected):
    login(client, people[role])
    assert client.get("/certification/review/").status_code == expected


def test_the_district_queue_shows_its_own_district_only(
    client, people, application, django_assert_max_num_queries
):
    login(client, people["district_officer"])
    with django_assert_max_num_queries(20):
        page = client.get("/certification/review/")
    assert application.reference in page.content.decode()
    login(client, people["other_district_officer"])
    assert application.reference not in client.get("/certification/review/").content.decode()


def test_an_expert_sees_only_assigned_cases(client, monkeypatch, application, district_officer, city_officer):
    experts = [UserFactory(username=f"ex{i}", role="expert") for i in range(3)]
    application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    application.refresh_from_db()
    review_services.application_assign_experts(actor=city_officer, application=application, experts=experts)
    login(client, experts[0])
    assert client.get(f"/certification/applications/{application.pk}/review/").status_code == 200
    outsider = UserFactory(username="ex_out", role="expert")
    login(client, outsider)
    assert client.get(f"/certification/applications/{application.pk}/review/").status_code == 404


def test_scores_of_other_experts_are_hidden_until_all_have_scored(
    client, application, district_officer, city_officer
):
    experts = [UserFactory(username=f"ex{i}", role="expert") for i in range(3)]
    application_services.application_district_decide(
        actor=district_officer, application=application, action="recommend"
    )
    application.refresh_from_db()
    application = review_services.application_assign_experts(
        actor=city_officer, application=application, experts=experts
    )
    items = application.scheme.expert_form["items"]
    review_services.expert_review_submit(
        actor=experts[0], application=application, scores={i["key"]: "1" for i in items}
    )
    login(client, experts[1])
    page = client.get(f"/certification/applications/{application.pk}/review/").content.decode()
    assert 'data-testid="others-hidden"' in page
    for e in experts[1:]:
        review_services.expert_review_submit(
            actor=e, application=application, scores={i["key"]: "2" for i in items}
        )
    page = client.get(f"/certification/applications/{application.pk}/review/").content.decode()
    assert 'data-testid="others"' in page
    login(client, city_officer)
    page = client.get(f"/certification/applications/{application.pk}/").content.decode()
    total = len(items) * 1 + len(items) * 2 * 2
    assert f"{total}" in page  # the sum of the three totals, shown to the officer


def test_the_report_form_saves_and_checks_live(client, clock, provider_user, provider_org):
    clock.pin(DAY)
    application = filled_draft(provider_user, provider_org)
    login(client, provider_user)
    page = client.get(f"/certification/applications/{application.pk}/edit/")
    assert page.status_code == 200
    data = {
        "version": application.version,
        **{
            k: v
            for k, v in application_selectors.snapshot(application).items()
            if not k.startswith(("years.", "materials.", "categories", "extra"))
        },
        "categories": ["market"],
        "platform_name": "改名后的平台",
    }
    for y in application.years.all():
        for name in y.FIGURE_FIELDS:
            data[f"y{y.year}_{name}"] = str(getattr(y, name))
    latest = max(application.years.values_list("year", flat=True))
    live = client.post(
        f"/certification/applications/{application.pk}/eligibility/",
        {**data, f"y{latest}_assets_wan": "49.99"},
    )
    assert live.status_code == 200
    assert 'data-criterion="total_assets" data-met="unmet"' in live.content.decode()
    application.refresh_from_db()
    assert str(application.years.get(year=latest).assets_wan) != "49.99"  # the live check stores nothing
    saved = client.post(f"/certification/applications/{application.pk}/edit/", data)
    assert saved.status_code == 302
    application.refresh_from_db()
    assert application.platform_name == "改名后的平台" and application.categories == ["market"]


def test_a_stale_form_is_told_of_the_conflict(client, clock, provider_user, provider_org):
    clock.pin(DAY)
    application = filled_draft(provider_user, provider_org)
    login(client, provider_user)
    data = {"version": application.version - 1, "platform_name": "过期的修改"}
    response = client.post(f"/certification/applications/{application.pk}/edit/", data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    application.refresh_from_db()
    assert application.platform_name != "过期的修改"


def test_upload_and_download_through_the_pages(
    client, clock, provider_user, provider_org, other_district_officer
):
    clock.pin(DAY)
    application = filled_draft(provider_user, provider_org, materials=False)
    login(client, provider_user)
    client.post(
        f"/certification/applications/{application.pk}/materials/business_license/",
        {"file": SimpleUploadedFile("营业执照.pdf", TINY_PDF)},
    )
    material = Material.objects.get(application=application)
    bad = client.post(
        f"/certification/applications/{application.pk}/materials/business_license/",
        {"file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\0" * 100)},
        follow=True,
    )
    assert "不是 PDF" in bad.content.decode()
    assert Material.objects.filter(application=application).count() == 1
    page = client.get(f"/certification/applications/{application.pk}/").content.decode()
    assert material.download_url in page
    download = client.get(material.download_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == TINY_PDF
    assert AuditLog.objects.filter(
        action="file.download", object_id=str(material.pk), actor=provider_user
    ).exists()
    login(client, other_district_officer)
    assert client.get(material.download_url).status_code == 404


def test_submit_and_decide_through_the_pages(client, clock, provider_user, provider_org, district_officer):
    clock.pin(DAY)
    application = filled_draft(provider_user, provider_org)
    login(client, provider_user)
    client.post(
        f"/certification/applications/{application.pk}/submit/",
        {
            "declared": "on",
            "declaration_name": application.legal_representative,
            "declaration_date": DAY.isoformat(),
        },
    )
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    login(client, district_officer)
    page = client.post(f"/certification/applications/{application.pk}/recommend/", follow=True)
    assert "已推荐至市级" in page.content.decode()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RECOMMENDED


def test_a_provider_cannot_decide_its_own_application(client, application, provider_user):
    login(client, provider_user)
    page = client.post(f"/certification/applications/{application.pk}/recommend/", follow=True)
    assert "无权" in page.content.decode()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_scheme_pages(client, admin_user, district_officer):
    page = client.get("/certification/schemes/")
    assert page.status_code == 200 and "渝中小企〔2013〕24号" in page.content.decode()
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    assert client.get(f"/certification/schemes/{scheme.pk}/").status_code == 200
    login(client, district_officer)
    assert client.get(f"/certification/schemes/{scheme.pk}/copy/").status_code == 403
    login(client, admin_user)
    assert client.get(f"/certification/schemes/{scheme.pk}/revise/").status_code == 200


def test_the_case_page_shows_the_platforms_own_figures_beside_the_declared_ones(
    client, application, provider_org, district_officer
):
    """Reviewers see what the platform measured (orders and ratings) for each reported year."""
    from django.utils import timezone

    from sme.orders.models import ProviderYearFigures

    years = sorted(application.years.values_list("year", flat=True))
    ProviderYearFigures.objects.create(
        provider=provider_org,
        year=years[-1],
        smes_served=37,
        orders_completed=52,
        ratings=40,
        satisfied=34,
        satisfaction_rate=Decimal("85.00"),
        computed_at=timezone.now(),
    )
    login(client, district_officer)
    page = client.get(f"/certification/applications/{application.pk}/").content.decode()
    measured = page[page.index('data-testid="measured"') :]
    measured = measured[: measured.index("</table>")]
    assert ">37<" in measured and ">85<" in measured
    # A year with no orders on the platform reads zero SMEs and no satisfaction rate.
    assert measured.count(">0<") == len(years) - 1
