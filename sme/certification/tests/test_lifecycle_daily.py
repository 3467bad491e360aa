"""The daily job: summary reminders 30 and 7 days before the due date, each sent once; the overdue flag;
re-reviews opened 90 days before validity ends; expiry; the notices step; the command and the task."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import login
from sme.certification import daily
from sme.certification.models import CertificationStatus, ReReview, ReReviewStatus, SummaryDuty
from sme.certification.selectors import titles as title_selectors
from sme.certification.services import summaries as summary_services
from sme.core import clock
from sme.core.models import AuditLog, TransitionLog
from sme.core.tasks import run_daily
from sme.notifications.models import Notification
from sme.organizations.models import Organization

from . import lifecycle_factories as lf

# cq-2013-city: summaries due 03-31 of the next year. The title below was granted in 2024, so its
# 2025 summary is due 2026-03-31; validity runs to 2027-05-31 (no re-review in 2026).
DUE = dt.date(2026, 3, 31)


@pytest.fixture
def organization(provider_user):
    provider_user.email = "provider@example.com"
    provider_user.save()
    return Organization.objects.get(memberships__user=provider_user)


@pytest.fixture
def title(organization):
    return lf.certification(organization, granted_on=dt.date(2024, 6, 1))


def run(day, capture):
    with capture(execute=True):
        return daily.certification_daily(today=day)


def reminders_to(user):
    return list(Notification.objects.filter(recipient=user, title__contains="年度工作总结").order_by("id"))


def test_reminders_are_sent_once_each(title, provider_user, django_capture_on_commit_callbacks, mailoutbox):
    assert lf.scheme().annual_summary_due == "03-31"
    quiet = run(DUE - dt.timedelta(days=31), django_capture_on_commit_callbacks)
    assert (quiet.reminders_30, quiet.reminders_7, quiet.overdue_flagged) == (0, 0, 0)
    assert not SummaryDuty.objects.exists()

    first = run(DUE - dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert first.reminders_30 == 1
    assert len(reminders_to(provider_user)) == 1 and "还有30天" in reminders_to(provider_user)[0].title
    assert len(mailoutbox) == 1 and "2025年度工作总结" in mailoutbox[0].subject

    again = run(DUE - dt.timedelta(days=30), django_capture_on_commit_callbacks)
    later = run(DUE - dt.timedelta(days=20), django_capture_on_commit_callbacks)
    assert again.reminders_30 == later.reminders_30 == 0
    assert len(reminders_to(provider_user)) == 1 and len(mailoutbox) == 1

    last = run(DUE - dt.timedelta(days=7), django_capture_on_commit_callbacks)
    assert last.reminders_7 == 1 and last.reminders_30 == 0
    assert run(DUE - dt.timedelta(days=3), django_capture_on_commit_callbacks).reminders_7 == 0
    assert run(DUE, django_capture_on_commit_callbacks).reminders_7 == 0
    assert len(reminders_to(provider_user)) == 2 and len(mailoutbox) == 2

    duty = SummaryDuty.objects.get(certification=title, year=2025)
    assert (duty.due_on, duty.reminded_30_on, duty.reminded_7_on, duty.overdue_since) == (
        DUE,
        DUE - dt.timedelta(days=30),
        DUE - dt.timedelta(days=7),
        None,
    )


def test_overdue_flag_is_set_once_and_shown_to_district_and_city(
    client,
    title,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    django_capture_on_commit_callbacks,
    clock,
):
    flagged = run(DUE + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert flagged.overdue_flagged == 1 and flagged.reminders_7 == flagged.reminders_30 == 0
    assert run(DUE + dt.timedelta(days=2), django_capture_on_commit_callbacks).overdue_flagged == 0
    assert len([n for n in reminders_to(provider_user) if "逾期" in n.title]) == 1
    duty = SummaryDuty.objects.get(certification=title)
    assert duty.overdue and duty.overdue_since == DUE + dt.timedelta(days=1)

    assert list(title_selectors.overdue_summaries(district_officer)) == [duty]
    assert list(title_selectors.overdue_summaries(city_officer)) == [duty]
    assert list(title_selectors.overdue_summaries(other_district_officer)) == []
    for user in (district_officer, city_officer, provider_user):
        page = login(client, user).get(f"/certification/certified/{title.pk}/")
        assert page.status_code == 200 and 'data-testid="overdue-flag"' in page.content.decode()
    listing = login(client, district_officer).get("/certification/certified/?overdue=1")
    assert title.number in listing.content.decode()
    overdue_page = login(client, city_officer).get("/certification/summaries/overdue/")
    assert title.platform_name in overdue_page.content.decode()

    # Reported late: the flag goes, the summary is marked late, nothing more is sent.
    clock.pin(DUE + dt.timedelta(days=5))
    summary = summary_services.summary_submit(
        actor=provider_user,
        certification=title,
        year=2025,
        text="全年服务企业120家。",
        smes_served=120,
        satisfaction_percent="91.5",
        service_revenue_wan="230.5",
        public_services=12,
    )
    duty.refresh_from_db()
    assert not duty.overdue and duty.summary == summary
    assert list(title_selectors.overdue_summaries(district_officer)) == []
    assert run(DUE + dt.timedelta(days=6), django_capture_on_commit_callbacks).overdue_flagged == 0


def test_no_reminder_once_reported(title, provider_user, django_capture_on_commit_callbacks, clock):
    clock.pin(DUE - dt.timedelta(days=40))
    summary_services.summary_submit(
        actor=provider_user,
        certification=title,
        year=2025,
        text="按时报送。",
        smes_served=90,
        satisfaction_percent=90,
        service_revenue_wan=100,
    )
    for day in (DUE - dt.timedelta(days=30), DUE - dt.timedelta(days=7), DUE + dt.timedelta(days=1)):
        report = run(day, django_capture_on_commit_callbacks)
        assert (report.reminders_30, report.reminders_7, report.overdue_flagged) == (0, 0, 0)
    assert reminders_to(provider_user) == []
    assert not SummaryDuty.objects.filter(certification=title, summary__isnull=True).exists()


def test_a_summary_the_duty_does_not_know_yet_stops_the_reminders(
    title, provider_user, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from sme.certification.models import AnnualSummary

    run(DUE - dt.timedelta(days=30), django_capture_on_commit_callbacks)
    summary = AnnualSummary.objects.create(  # written past the service, as an import would
        certification=title,
        year=2025,
        due_on=DUE,
        text="导入的总结",
        smes_served=10,
        satisfaction_percent=90,
        service_revenue_wan=10,
        submitted_at=timezone.now(),
        submitted_by=provider_user,
    )
    report = run(DUE - dt.timedelta(days=7), django_capture_on_commit_callbacks)
    assert report.reminders_7 == 0 and len(reminders_to(provider_user)) == 1
    assert SummaryDuty.objects.get(certification=title).summary == summary


def test_a_job_that_starts_late_sends_only_the_reminder_due_now(
    title, provider_user, django_capture_on_commit_callbacks
):
    report = run(DUE - dt.timedelta(days=5), django_capture_on_commit_callbacks)
    assert (report.reminders_30, report.reminders_7) == (0, 1)
    assert len(reminders_to(provider_user)) == 1


def test_titles_out_of_force_or_granted_this_year_are_not_reminded(
    organization, provider_user, django_capture_on_commit_callbacks
):
    lf.certification(organization, granted_on=dt.date(2024, 6, 1), status="revoked")
    lf.certification(organization, granted_on=dt.date(2026, 1, 10))  # nothing to report for 2025
    report = run(DUE - dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert report.reminders_30 == 0 and reminders_to(provider_user) == []


def test_rereview_opens_90_days_before_validity_ends_once(
    organization, provider_user, django_capture_on_commit_callbacks
):
    today = dt.date(2026, 6, 1)
    due_now = lf.certification(
        organization, granted_on=dt.date(2023, 9, 1), valid_until=today + dt.timedelta(days=90)
    )
    not_yet = lf.certification(
        organization, granted_on=dt.date(2023, 9, 2), valid_until=today + dt.timedelta(days=91)
    )
    report = run(today, django_capture_on_commit_callbacks)
    assert report.rereviews_opened == 1
    due_now.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due_now.status, not_yet.status) == ("rereview", "active")
    rereview = ReReview.objects.get(certification=due_now)
    assert (rereview.status, rereview.cycle_ends_on, rereview.scheme) == (
        ReReviewStatus.DRAFT,
        due_now.valid_until,
        lf.scheme(),
    )
    log = TransitionLog.objects.get(workflow="certification_title", object_id=str(due_now.pk))
    assert (log.action, log.actor) == ("open_rereview", None)
    assert Notification.objects.filter(recipient=provider_user, title__contains="三年复核已开始").count() == 1

    assert run(today, django_capture_on_commit_callbacks).rereviews_opened == 0
    assert ReReview.objects.count() == 1
    assert run(today + dt.timedelta(days=1), django_capture_on_commit_callbacks).rereviews_opened == 1


def test_expiry_of_active_titles_past_validity(
    organization, provider_user, django_capture_on_commit_callbacks
):
    today = dt.date(2026, 6, 1)
    lapsed = lf.certification(
        organization, granted_on=dt.date(2023, 5, 1), valid_until=today - dt.timedelta(days=1)
    )
    last_day = lf.certification(organization, granted_on=dt.date(2023, 6, 1), valid_until=today)
    under_review = lf.certification(
        organization,
        granted_on=dt.date(2023, 4, 1),
        valid_until=today - dt.timedelta(days=10),
        status="rereview",
    )
    report = run(today, django_capture_on_commit_callbacks)
    assert report.expired == 1
    for cert in (lapsed, last_day, under_review):
        cert.refresh_from_db()
    assert lapsed.status == CertificationStatus.EXPIRED
    assert last_day.status == CertificationStatus.REREVIEW  # its last valid day: the re-review opens
    assert under_review.status == CertificationStatus.REREVIEW
    assert AuditLog.objects.filter(action="certification_title.expire", object_id=str(lapsed.pk)).exists()
    assert Notification.objects.filter(recipient=provider_user, title__contains="已过期").count() == 1
    assert run(today, django_capture_on_commit_callbacks).expired == 0


def test_the_job_closes_ended_notices_through_the_lead_service(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []

    def fake():
        seen.append(clock.today())
        return {"granted": 2, "waiting": 1}

    monkeypatch.setattr(daily, "close_due_notices", fake)
    report = run(dt.date(2026, 2, 3), django_capture_on_commit_callbacks)
    assert seen == [dt.date(2026, 2, 3)]
    assert report.notices == {"granted": 2, "waiting": 1}


def test_command_with_today_and_the_task(title, provider_user):
    day = (DUE - dt.timedelta(days=30)).isoformat()
    out = StringIO()
    call_command("run_daily", "--only", "certification", "--today", day, stdout=out)
    assert "reminders_30 1" in out.getvalue()
    out = StringIO()
    call_command("run_daily", "--only", "certification", "--today", day, "--json", stdout=out)
    assert '"reminders_30": 0' in out.getvalue(), "idempotent: the second run the same day sends none"
    result = run_daily.apply(args=[(DUE - dt.timedelta(days=7)).isoformat()]).get()
    assert result["reports"]["certification"]["reminders_7"] == 1
    assert result["reports"]["certification"]["today"] == "2026-03-24"
    with pytest.raises(CommandError):
        call_command("run_daily", "--only", "certification", "--today", "2026-13-01")


def test_summary_due_date_of_a_leap_day_rule(title):
    scheme = title.scheme
    scheme.annual_summary_due = "02-29"
    assert title_selectors.summary_due_on(scheme, 2026) == dt.date(2027, 2, 28)
    assert title_selectors.summary_due_on(scheme, 2027) == dt.date(2028, 2, 29)
