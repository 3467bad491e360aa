"""A title whose re-review is never filed does not stay 复核中 forever: the daily job (``manage.py
run_daily --only certification``) expires it once the scheme's grace period after ``valid_until`` has
passed, tells the holder and the officers concerned, and the public register shows it expired. A
re-review that was filed waits for the officers, whatever the date."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from conftest import login
from sme.certification.models import CertificationStatus, ReReviewStatus, Scheme
from sme.certification.selectors import titles as title_selectors
from sme.certification.services import rereviews as rereview_services
from sme.core.errors import Conflict
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations.models import Organization

from . import lifecycle_factories as lf

VALID_UNTIL = dt.date(2026, 5, 31)
GRACE_END = VALID_UNTIL + dt.timedelta(days=30)  # the shipped schemes' default


@pytest.fixture
def organization(provider_user):
    return Organization.objects.get(memberships__user=provider_user)


@pytest.fixture
def stalled(organization):
    """Under re-review since the job opened it; the platform never filed it."""
    title = lf.certification(
        organization, status="rereview", granted_on=dt.date(2023, 6, 1), valid_until=VALID_UNTIL
    )
    lf.rereview(title, status=ReReviewStatus.DRAFT, complete=False)
    return title


def run_daily(day: dt.date, capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("run_daily", "--only", "certification", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_grace_period_is_a_scheme_setting_of_30_days_by_default(db):
    for scheme in Scheme.objects.current():
        assert scheme.rereview_grace_days == 30, scheme.code
    assert Scheme._meta.get_field("rereview_grace_days").default == 30


def test_a_stalled_rereview_expires_when_the_grace_period_ends(
    client,
    stalled,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    django_capture_on_commit_callbacks,
):
    assert title_selectors.grace_ends_on(stalled) == GRACE_END
    run_daily(GRACE_END, django_capture_on_commit_callbacks)  # its last day of grace
    stalled.refresh_from_db()
    assert stalled.status == CertificationStatus.REREVIEW
    assert not Notification.objects.filter(title__contains="已过期").exists()

    out = run_daily(GRACE_END + dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert "rereviews_lapsed 1" in out and "expired 1" in out
    stalled.refresh_from_db()
    assert stalled.status == CertificationStatus.EXPIRED
    log = TransitionLog.objects.get(workflow="certification_title", object_id=str(stalled.pk))
    assert (log.action, log.from_status, log.to_status, log.actor) == ("expire", "rereview", "expired", None)
    assert AuditLog.objects.filter(action="certification_title.expire", object_id=str(stalled.pk)).exists()

    # The holder, the district and the deciding authority are told, in the certification category.
    told = Notification.objects.filter(title__contains="称号已过期")
    assert {n.recipient for n in told} == {provider_user, district_officer, city_officer}
    assert other_district_officer not in {n.recipient for n in told}
    note = told.get(recipient=provider_user)
    assert note.event == "certification"
    assert "宽限期" in note.body and "2026年6月30日" in note.body.replace(" ", "")

    # The register: no longer among the titles in force; listed, marked, among the expired ones.
    register = client.get("/certification/register/").content.decode()
    assert stalled.number not in register
    expired = client.get("/certification/register/", {"status": "expired"}).content.decode()
    assert stalled.number in expired and 'data-testid="register-status"' in expired and "已过期" in expired
    page = client.get(f"/certification/platforms/{stalled.number}/").content.decode()
    assert 'data-testid="status-banner"' in page and "称号已过期" in page
    assert "复核材料未在宽限期内报送" in page
    history = title_selectors.certification_history(stalled)
    assert (history[-1].kind, history[-1].on) == ("expired", GRACE_END + dt.timedelta(days=1))

    # Idempotent; and the re-review left in draft can no longer be filed.
    out = run_daily(GRACE_END + dt.timedelta(days=2), django_capture_on_commit_callbacks)
    assert "expired 0" in out
    assert told.count() == 3
    rereview = stalled.rereviews.get()
    with pytest.raises(Conflict):
        rereview_services.rereview_transition(actor=provider_user, rereview=rereview, action="submit")


def test_a_filed_rereview_waits_for_the_officers(
    organization, district_officer, django_capture_on_commit_callbacks
):
    filed = lf.certification(organization, status="rereview", valid_until=VALID_UNTIL)
    lf.rereview(filed, status=ReReviewStatus.SUBMITTED)
    run_daily(GRACE_END + dt.timedelta(days=200), django_capture_on_commit_callbacks)
    filed.refresh_from_db()
    assert filed.status == CertificationStatus.REREVIEW


def test_the_scheme_sets_the_grace_period(stalled, django_capture_on_commit_callbacks):
    Scheme.objects.filter(pk=stalled.scheme_id).update(rereview_grace_days=10)
    run_daily(VALID_UNTIL + dt.timedelta(days=10), django_capture_on_commit_callbacks)
    stalled.refresh_from_db()
    assert stalled.status == CertificationStatus.REREVIEW
    run_daily(VALID_UNTIL + dt.timedelta(days=11), django_capture_on_commit_callbacks)
    stalled.refresh_from_db()
    assert stalled.status == CertificationStatus.EXPIRED


def test_the_scheme_pages_say_the_grace_period(client, admin_user):
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    page = client.get(f"/certification/schemes/{scheme.pk}/").content.decode()
    assert "有效期届满后30天内仍未报送复核材料的，称号过期" in page
    login(client, admin_user)
    revise = client.get(f"/certification/schemes/{scheme.pk}/revise/").content.decode()
    assert 'name="rereview_grace_days"' in revise
