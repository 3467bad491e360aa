"""The demo data (the benchmark data generator is tested in bench/benchdata/tests)."""

from __future__ import annotations

from sme.assessment.demo import SHOWCASE, load_demo_assessments
from sme.assessment.models import AssessmentResponse, PeerStat
from sme.core.models import AuditLog
from sme.testing.factories import OrganizationFactory, UserFactory


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
