import pytest
from django.urls import reverse

from conftest import login
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.moderation import services
from sme.moderation.models import Report, ReportStatus
from sme.testing.factories import UserFactory

from .factories import public_rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating(enterprise_owner, provider_user):
    return public_rating(enterprise_owner, provider_user)


def test_report_then_officer_hides_rating_it_leaves_the_service_page_and_is_audited(
    client, rating, provider_user, district_officer
):
    report = services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="abuse")
    assert report.district_id == rating.order.provider_district_id
    page = reverse("catalog:service", args=[rating.service_id])
    assert "骗子公司" in client.get(page).content.decode()

    decided = services.report_decide(
        actor=district_officer, report=report, decision="hide", reason="含侮辱性言辞"
    )
    rating.refresh_from_db()
    assert rating.is_hidden and rating.hidden_reason == "含侮辱性言辞"
    assert [r.pk for r in decided] == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.decided_by, report.decision_reason) == (
        ReportStatus.HIDDEN,
        district_officer,
        "含侮辱性言辞",
    )
    assert "骗子公司" not in client.get(page).content.decode()
    assert AuditLog.objects.filter(
        action="moderation_report.hide", object_id=str(report.pk), actor=district_officer
    ).exists()
    assert AuditLog.objects.filter(action="order.rating_hide", object_id=str(rating.pk)).exists()


def test_hiding_requires_a_reason_and_changes_nothing(rating, provider_user, district_officer):
    report = services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="abuse")
    with pytest.raises(InvalidInput) as info:
        services.report_decide(actor=district_officer, report=report, decision="hide", reason="  ")
    assert info.value.field_errors["reason"]
    rating.refresh_from_db()
    report.refresh_from_db()
    assert not rating.is_hidden and report.status == ReportStatus.OPEN


def test_other_district_officer_cannot_decide(client, rating, provider_user, other_district_officer):
    report = services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="abuse")
    with pytest.raises(NotAllowed):
        services.report_decide(actor=other_district_officer, report=report, decision="hide", reason="x")
    login(client, other_district_officer)
    response = client.post(reverse("moderation:decide", args=[report.pk, "hide"]), {"reason": "x"})
    assert response.status_code == 404
    assert report.pk and "骗子公司" not in client.get(reverse("moderation:queue")).content.decode()
    rating.refresh_from_db()
    assert not rating.is_hidden


def test_city_officer_decides_anywhere_and_all_open_reports_on_target_close_together(
    rating, provider_user, expert, city_officer
):
    first = services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="abuse")
    second = services.report_file(
        actor=expert, kind="rating", target_id=rating.pk, reason="false_information"
    )
    decided = services.report_decide(actor=city_officer, report=second, decision="dismiss")
    assert [r.pk for r in decided] == [second.pk, first.pk]
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    logged = TransitionLog.objects.filter(workflow="moderation_report")
    assert logged.filter(action="dismiss").count() == 2
    assert logged.filter(action="file", from_status="created", to_status="open").count() == 2
    rating.refresh_from_db()
    assert not rating.is_hidden
    with pytest.raises(Conflict):
        services.report_decide(
            actor=city_officer, report=Report.objects.get(pk=first.pk), decision="hide", reason="x"
        )


def test_one_open_report_per_reporter_and_target(rating, provider_user):
    services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="abuse")
    with pytest.raises(Conflict):
        services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="privacy")
    assert Report.objects.count() == 1


def test_report_input_is_checked(rating, provider_user):
    with pytest.raises(InvalidInput) as info:
        services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="other")
    assert "reason_text" in info.value.field_errors
    with pytest.raises(InvalidInput) as info:
        services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="nonsense")
    assert "reason" in info.value.field_errors
    with pytest.raises(InvalidInput):
        services.report_file(actor=provider_user, kind="rating", target_id=rating.pk + 999, reason="abuse")
    with pytest.raises(InvalidInput):
        services.report_file(actor=provider_user, kind="rating_reply", target_id=rating.pk, reason="abuse")


def test_a_reported_reply_is_hidden_and_the_rating_stays(
    client, enterprise_owner, provider_user, district_officer
):
    rating = public_rating(enterprise_owner, provider_user, reply="恶意差评，该企业从未付款。")
    report = services.report_file(
        actor=enterprise_owner, kind="rating_reply", target_id=rating.pk, reason="false_information"
    )
    services.report_decide(actor=district_officer, report=report, decision="hide", reason="不实")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.HIDDEN
    rating.refresh_from_db()
    assert rating.reply_hidden and not rating.is_hidden and rating.reply_hidden_reason == "不实"
    page = client.get(f"/catalog/services/{rating.service_id}/").content.decode()
    assert rating.comment in page and "恶意差评" not in page
    assert AuditLog.objects.filter(action="order.rating_reply_hide", object_id=str(rating.pk)).exists()


def test_demand_report_hidden_through_demands_service(
    enterprise_owner, provider_user, other_district_officer, yuzhong
):
    from sme.demands.models import Demand
    from sme.demands.tests.factories import demand

    posted = demand(enterprise_owner, title="加我微信领补贴", description="广告内容")
    assert posted.district_id == yuzhong.pk
    report = services.report_file(
        actor=provider_user, kind="demand", target_id=posted.pk, reason="advertising"
    )
    services.report_decide(actor=other_district_officer, report=report, decision="hide", reason="广告")
    assert Demand.objects.get(pk=posted.pk).is_hidden


def test_report_page_and_htmx_partial(client, rating, expert):
    url = reverse("moderation:report", args=["rating", rating.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    login(client, expert)
    assert client.get(url).status_code == 200
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'data-testid="report-form"' in partial
    bad = client.post(url, {"reason": "other"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and 'data-testid="error-reason_text"' in bad.content.decode()
    done = client.post(url, {"reason": "abuse"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="report-done"' in done.content.decode()
    assert Report.objects.filter(reporter=expert).count() == 1
    assert client.get(reverse("moderation:report", args=["rating", rating.pk + 999])).status_code == 404


def test_queue_scoped_and_forbidden_to_non_officers(
    client, rating, provider_user, district_officer, other_district_officer, django_assert_max_num_queries
):
    for _i in range(5):
        services.report_file(
            actor=UserFactory(role="enterprise"), kind="rating", target_id=rating.pk, reason="abuse"
        )
    assert login(client, provider_user).get(reverse("moderation:queue")).status_code == 403
    login(client, district_officer)
    client.get(reverse("moderation:queue"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("moderation:queue")).content.decode()
    assert page.count('data-testid="report-row"') == 5
    other = login(client, other_district_officer).get(reverse("moderation:queue")).content.decode()
    assert 'data-testid="report-row"' not in other


def test_report_button_include_renders_for_logged_in_users(rf, rating, expert):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/catalog/services/1/")
    request.user = expert
    html = render_to_string(
        "moderation/_report_button.html",
        {"kind": "rating", "target_id": rating.pk, "user": expert, "request": request},
    )
    assert reverse("moderation:report", args=["rating", rating.pk]) in html
    request.user = AnonymousUser()
    assert "举报" not in render_to_string(
        "moderation/_report_button.html",
        {"kind": "rating", "target_id": rating.pk, "user": AnonymousUser(), "request": request},
    )


def test_reporters_hear_the_outcome_in_their_language_and_the_log_names_the_report(
    rating, provider_user, district_officer, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from sme.notifications.models import Notification

    report = services.report_file(actor=provider_user, kind="rating", target_id=rating.pk, reason="abuse")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_decide(actor=district_officer, report=report, decision="hide", reason="含侮辱性言辞")
    told = Notification.objects.get(recipient=provider_user)
    assert told.event == "moderation"
    assert told.title == "您的举报已处理：已屏蔽"
    with translation.override("en"):
        assert told.title_text == "Your report has been handled: Hidden"
    filed = AuditLog.objects.get(action="moderation_report.file")
    assert filed.object_label == f"对服务评价 #{rating.pk} 的举报"
    assert filed.changes == {"status": ["created", "open"], "reason": [None, "abuse"]}
