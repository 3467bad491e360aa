"""The data generator (small, on the test database) and the demo data."""

from __future__ import annotations

import io

from django.core.management import call_command

from sme.assessment.datagen import MARKER
from sme.assessment.demo import SHOWCASE, load_demo_assessments
from sme.assessment.models import AssessmentResponse, PeerStat
from sme.assessment.peers import rebuild_peer_stats
from sme.core.models import AuditLog
from sme.testing.factories import OrganizationFactory, UserFactory


def test_generator_adds_only_what_is_missing(db):
    # Organizations made here: the organization generator VACUUMs, which PostgreSQL refuses inside
    # the test's transaction (the bench run covers that path).
    OrganizationFactory.create_batch(80, verified=True)
    out = io.StringIO()
    call_command("generate_assessment_data", "--responses", "60", stdout=out)

    def generated():
        return AssessmentResponse.objects.filter(pledge_text=MARKER)

    assert generated().count() == 60
    # one latest response per organization and questionnaire, whatever the T0s
    latest = generated().filter(is_latest=True)
    assert latest.count() == latest.values("organization", "questionnaire").distinct().count()
    assert generated().values("organization").distinct().count() == latest.count() < 60  # some have a T0
    assert all(r.total <= r.max_score for r in generated())
    call_command("generate_assessment_data", "--responses", "60", stdout=out)
    assert generated().count() == 60
    call_command("generate_assessment_data", "--responses", "80", stdout=out)
    assert generated().count() == 80
    latest = generated().filter(is_latest=True)
    assert latest.count() == latest.values("organization", "questionnaire").distinct().count()
    counts = rebuild_peer_stats()
    assert counts["district"] > 0
    total = sum(PeerStat.objects.filter(kind="district").values_list("respondents", flat=True))
    assert (
        total
        == AssessmentResponse.objects.filter(is_latest=True, status="submitted")
        .exclude(district_code="")
        .count()
    )


def test_demo_assessments_have_t0_and_t1_and_run_once(db, yuzhong, wanzhou):
    owner = UserFactory(username="qiye_demo", role="enterprise")
    OrganizationFactory(name=SHOWCASE, district=yuzhong, verified=True, owner=owner)
    for n in range(3):
        OrganizationFactory(
            district=wanzhou, verified=True, owner=UserFactory(username=f"demo_e{n}", role="enterprise")
        )
    OrganizationFactory(district=wanzhou, verified=True)  # no member: skipped
    assert load_demo_assessments() == 5
    showcase = AssessmentResponse.objects.filter(organization__name=SHOWCASE).order_by("submitted_at")
    assert showcase.count() == 2
    t0, t1 = showcase
    assert t0.submitted_at < t1.submitted_at and not t0.is_latest and t1.is_latest
    assert t1.total > t0.total
    assert AuditLog.objects.filter(action="assessment_response.submit").count() == 5
    assert PeerStat.objects.exists()
    assert load_demo_assessments() == 0
    assert AssessmentResponse.objects.count() == 5
