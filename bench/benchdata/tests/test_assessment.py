"""The assessment benchmark data generator (``generate_assessment_data``), small, on the test database."""

from __future__ import annotations

import io

from django.core.management import call_command

from bench.benchdata.assessment import MARKER
from sme.assessment.models import AssessmentResponse, PeerStat
from sme.assessment.peers import rebuild_peer_stats
from sme.testing.factories import OrganizationFactory


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
