"""The certification demo at any date: whatever today is, ``load_demo_certification`` leaves one case
at each stage a persona acts on, every step dated on or before today, through the real services.
Today is moved with the one clock (the ``clock`` fixture); nothing inside the services is patched."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import login
from sme.certification.demo import load_demo_certification
from sme.certification.models import (
    Application,
    ApplicationStatus,
    Certification,
    CertificationStatus,
    ExpertReview,
    Notice,
    ReReview,
    ReReviewStatus,
    SpotCheck,
    SpotCheckStatus,
)
from sme.certification.selectors import applications as application_selectors
from sme.certification.selectors import register as register_selectors
from sme.certification.selectors import titles as title_selectors
from sme.certification.services import applications as application_services
from sme.certification.services import notices as notice_services
from sme.regions.models import Region
from sme.testing.factories import OrganizationFactory, UserFactory, officer

# (name, district, kind); the provider persona owns the first.
ORGANIZATIONS = [
    ("重庆三峡云服信息技术有限公司", "500101", "service_provider"),
    ("重庆解放碑财务咨询有限公司", "500103", "service_provider"),
    ("重庆两路空港供应链管理有限公司", "500112", "service_provider"),
    ("重庆开州电子商务服务中心有限公司", "500154", "service_provider"),
    ("重庆渝中区大坪软件园管理有限公司", "500103", "service_provider"),
    ("万州区中小企业融资担保有限公司", "500101", "financial_institution"),
]


@pytest.fixture
def personas(db):
    """The personas and organizations the certification demo works with (``sme.demo`` makes them)."""
    city = officer("city_officer", Region.objects.current().get(code="500000"), username="shiji_guanli")
    wanzhou = Region.objects.current().get(code="500101", level="district")
    people = {
        "city": city,
        "district": officer("district_officer", wanzhou, username="quxian_wanzhou"),
        "expert": UserFactory(username="zhuanjia_li", role="expert", real_name="刘洋"),
        "provider": UserFactory(username="fuwu_wanzhou", role="provider", real_name="李强"),
    }
    for i, (name, code, kind) in enumerate(ORGANIZATIONS):
        owner = people["provider"] if i == 0 else UserFactory(username=f"demo_owner_{i}", role="provider")
        OrganizationFactory(
            name=name,
            kind=kind,
            verified=True,
            district=Region.objects.current().get(code=code, level="district"),
            legal_representative=f"法人{i}",
            owner=owner,
        )
    return people


DATES = [
    dt.date(2026, 1, 2),  # just after New Year: last year's notices, this year's round barely begun
    dt.date(2026, 2, 28),  # the district deadline
    dt.date(2026, 3, 2),  # just after it: new recommendations wait for 2027
    dt.date(2026, 6, 30),
    dt.date(2026, 12, 20),  # December: a late recommendation waits for the next year's round
    dt.date(2026, 12, 31),  # the notice must end within the years the calendar covers
]


@pytest.mark.parametrize("today", DATES, ids=[d.isoformat() for d in DATES])
def test_every_stage_a_persona_acts_on_is_there(client, clock, personas, today):
    clock.pin(today)
    assert load_demo_certification() == 7
    assert load_demo_certification() == 0  # once

    # Nothing dated after today.
    for app in Application.objects.exclude(status=ApplicationStatus.DRAFT):
        assert app.submitted_at is not None and app.submitted_at.date() <= today, app
    assert all(n.published_on < today for n in Notice.objects.all())
    assert all(c.granted_on < today for c in Certification.objects.all())

    # City review: experts assigned, the expert persona still to score, in a round that has begun.
    at_city = Application.objects.get(status=ApplicationStatus.CITY_REVIEW)
    assert at_city.round_year <= today.year
    reviews = ExpertReview.objects.filter(application=at_city)
    assert reviews.count() >= 3
    assert {r.expert.username for r in reviews if r.submitted_at is None} == {"zhuanjia_li"}
    login(client, personas["expert"])
    home = client.get("/certification/expert/").content.decode()
    assert at_city.platform_name in home and "待评分" in home
    task = client.get(f"/certification/applications/{at_city.pk}/review/").content.decode()
    assert 'data-testid="score-form"' in task

    # A notice open for objections today: anyone may file one.
    notice = Notice.objects.get(closed_at__isnull=True)
    assert notice.starts_on <= today <= notice.ends_on
    notice_services.objection_file(
        notice=notice, name="王某", contact="13800000000", text="请核实服务企业数量。"
    )

    # Titles granted, in force and in the public register.
    in_register = list(register_selectors.register())
    assert {c.platform_name for c in in_register} >= {
        "解放碑中小企业财税云服务平台",
        "空港供应链协同服务平台",
    }

    # A re-review due: the provider persona's title, ending within 90 days, its re-review opened.
    rereview = ReReview.objects.get()
    title = rereview.certification
    assert title.status == CertificationStatus.REREVIEW and rereview.status == ReReviewStatus.DRAFT
    assert today <= title.valid_until <= today + dt.timedelta(days=90)
    assert title in title_selectors.titles_managed_by(personas["provider"])

    # A spot check open, for the city officer persona to decide.
    spot = SpotCheck.objects.get()
    assert spot.status == SpotCheckStatus.OPEN and spot.checked_on <= today < spot.rectification_due
    assert spot.certification.status == CertificationStatus.ACTIVE

    # Waiting for the district persona; recommending it now joins this round or, after the
    # district deadline (第九条: end of February), the next one.
    waiting = application_selectors.review_queue(personas["district"]).get()
    waiting, _message = application_services.application_district_decide(
        actor=personas["district"], application=waiting, action="recommend"
    )
    deadline = dt.date(today.year, 2, 28)
    assert waiting.round_year == (today.year if today <= deadline else today.year + 1)

    # And the provider persona's own draft, for the national scheme.
    draft = Application.objects.get(status=ApplicationStatus.DRAFT)
    assert draft.scheme.code == "national-2017" and draft.organization.name == ORGANIZATIONS[0][0]


def test_a_year_the_calendar_does_not_cover_leaves_that_case_out_with_a_warning(clock, personas, caplog):
    """chinesecalendar 1.11 ends with 2026 and no overrides cover 2027: no notice can be dated in it,
    so that one case is left out, said in the log, and everything else is there."""
    clock.pin(dt.date(2027, 6, 30))
    with caplog.at_level("WARNING", logger="sme.certification.demo"):
        assert load_demo_certification() == 6
    assert "no notice open today" in caplog.text
    assert not Notice.objects.filter(closed_at__isnull=True).exists()
    assert Application.objects.filter(status=ApplicationStatus.CITY_REVIEW).exists()
    assert ReReview.objects.exists() and SpotCheck.objects.exists()
