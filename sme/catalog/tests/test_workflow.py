"""The publication tables, written out by hand (mirroring docs/workflows/service-publication.md), and
the guard of a revision's publication."""

from __future__ import annotations

import pytest

from sme.catalog import services
from sme.catalog.guards import ready_to_publish
from sme.catalog.models import RevisionStatus, ServiceRevision
from sme.catalog.tests.factories import complete_data, published_service
from sme.catalog.workflow import REVISION, SERVICE
from sme.core.errors import Conflict, InvalidInput

# (source, action) -> (target, roles, reason required). Everything else is refused.
SERVICE_TABLE = {
    ("draft", "submit"): ("pending", {"provider"}, False),
    ("pending", "approve"): ("published", {"reviewer"}, False),
    ("pending", "return"): ("draft", {"reviewer"}, True),
    ("published", "suspend"): ("suspended", {"reviewer"}, True),
    ("suspended", "resume"): ("published", {"reviewer"}, False),
    ("published", "withdraw"): ("withdrawn", {"provider"}, False),
    ("withdrawn", "republish"): ("published", {"provider"}, False),
}
REVISION_TABLE = {
    ("draft", "submit"): ("pending", {"provider"}, False),
    ("draft", "publish_directly"): ("approved", {"provider"}, False),
    ("pending", "approve"): ("approved", {"reviewer"}, False),
    ("pending", "return"): ("rejected", {"reviewer"}, True),
    ("approved", "supersede"): ("superseded", {"system"}, False),
}
GUARDED = {"submit", "publish_directly"}


def rows(workflow):
    return {
        (source, t.action): (str(t.target), set(t.roles), t.note_required)
        for t in workflow.transitions
        for source in t.sources
    }


def test_the_service_table():
    assert rows(SERVICE) == SERVICE_TABLE
    assert all(t.guard is None for t in SERVICE.transitions)


def test_the_revision_table():
    assert rows(REVISION) == REVISION_TABLE
    assert {t.action for t in REVISION.transitions if t.guard is ready_to_publish} == GUARDED


def test_the_guard_refuses_an_incomplete_revision_naming_the_disclosure(provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    revision = ServiceRevision.objects.get(service=service)
    revision.quality_standard = ""
    with pytest.raises(InvalidInput) as refused:
        ready_to_publish(revision, provider_user, "")
    assert "标准公开" in refused.value.message and "quality_standard" in refused.value.field_errors


def test_the_guard_refuses_while_another_change_waits(provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    pending = services.service_revise(
        actor=provider_user, service=service, data=complete_data(fee_amount="9000"), version=service.version
    )
    assert pending.status == RevisionStatus.PENDING
    assert ready_to_publish(pending, provider_user, "") is None  # itself does not count
    other = ServiceRevision.objects.get(service=service, status=RevisionStatus.APPROVED)
    with pytest.raises(Conflict):
        ready_to_publish(other, provider_user, "")
