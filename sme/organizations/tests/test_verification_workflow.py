"""The verification state machine, walked for every (status, action, role), and its side effects."""

from __future__ import annotations

import itertools

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations import services
from sme.organizations.models import VerificationStatus
from sme.organizations.workflow import VERIFICATION
from sme.testing.factories import OrganizationFactory, officer

STATUSES = list(VerificationStatus.values)
ACTIONS = ["verify", "reject", "resubmit"]
ACTORS = ["district_officer", "other_district_officer", "city_officer", "owner", "member", "expert", "admin"]

# What the table allows: (status, action) → the actors who may take it.
ALLOWED = {
    ("pending", "verify"): {"district_officer"},
    ("pending", "reject"): {"district_officer"},
    ("rejected", "resubmit"): {"owner"},
}
TARGET = {"verify": "verified", "reject": "rejected", "resubmit": "pending"}


@pytest.fixture
def cast(wanzhou, district_officer, other_district_officer, city_officer, expert, admin_user):
    from sme.testing.factories import UserFactory

    owner = UserFactory(username="wz_owner", role="enterprise")
    member = UserFactory(username="wz_member", role="enterprise")
    return {
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "owner": owner,
        "member": member,
        "expert": expert,
        "admin": admin_user,
    }


def make_org(status, cast, wanzhou):
    from sme.organizations.models import Membership

    org = OrganizationFactory(
        district=wanzhou,
        verification_status=status,
        owner=cast["owner"],
        rejection_reason="材料不全" if status == "rejected" else "",
    )
    Membership.objects.create(organization=org, user=cast["member"], role="member", status="active")
    return org


@pytest.mark.parametrize(("status", "action", "actor"), list(itertools.product(STATUSES, ACTIONS, ACTORS)))
def test_transition_table(status, action, actor, cast, wanzhou, django_capture_on_commit_callbacks):
    org = make_org(status, cast, wanzhou)
    user = cast[actor]
    allowed = actor in ALLOWED.get((status, action), set())
    logs_before = TransitionLog.objects.count()
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            services.organization_transition(actor=user, organization=org, action=action, note="需补充材料")
        org.refresh_from_db()
        assert org.verification_status == TARGET[action]
        log = TransitionLog.objects.latest("id")
        assert (log.from_status, log.to_status, log.actor) == (status, TARGET[action], user)
        assert AuditLog.objects.filter(
            action=f"organization_verification.{action}", object_id=str(org.pk)
        ).exists()
        assert Notification.objects.exists(), "the people concerned are told"
    else:
        # Wrong status is a conflict ("当前状态为…"), right status but wrong person is "无权".
        expected = Conflict if (status, action) not in ALLOWED else NotAllowed
        with pytest.raises(expected) as exc:
            services.organization_transition(actor=user, organization=org, action=action, note="x")
        assert exc.value.message
        org.refresh_from_db()
        assert org.verification_status == status
        assert TransitionLog.objects.count() == logs_before


def test_every_table_row_is_documented():
    """docs/workflows/organization-verification.md lists each transition of the table."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs/workflows/organization-verification.md").read_text()
    for t in VERIFICATION.transitions:
        assert f"`{t.action}`" in doc, t.action


def test_reject_needs_a_reason(cast, wanzhou):
    org = make_org("pending", cast, wanzhou)
    with pytest.raises(InvalidInput):
        services.organization_transition(
            actor=cast["district_officer"], organization=org, action="reject", note=" "
        )
    org.refresh_from_db()
    assert org.verification_status == "pending"


def test_reason_reaches_the_applicant(cast, wanzhou, django_capture_on_commit_callbacks, mailoutbox):
    cast["owner"].email = "owner@example.com"
    cast["owner"].save()
    org = make_org("pending", cast, wanzhou)
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_transition(
            actor=cast["district_officer"], organization=org, action="reject", note="营业执照照片不清晰"
        )
    org.refresh_from_db()
    assert org.rejection_reason == "营业执照照片不清晰"
    note = Notification.objects.get(recipient=cast["owner"])
    assert "营业执照照片不清晰" in note.body
    assert len(mailoutbox) == 1 and "营业执照照片不清晰" in mailoutbox[0].body


def test_two_officers_deciding_at_once(cast, wanzhou):
    """Both read the organization while pending; the first decision wins, the second is told."""
    second_officer = officer("district_officer", wanzhou, username="officer_wz2")
    org = make_org("pending", cast, wanzhou)
    seen_by_first = type(org).objects.get(pk=org.pk)
    seen_by_second = type(org).objects.get(pk=org.pk)
    services.organization_transition(
        actor=cast["district_officer"], organization=seen_by_first, action="verify"
    )
    with pytest.raises(Conflict) as exc:
        services.organization_transition(
            actor=second_officer, organization=seen_by_second, action="reject", note="不符合"
        )
    assert "已被他人处理" in exc.value.message or "当前状态" in exc.value.message
    org.refresh_from_db()
    assert org.verification_status == "verified"
    assert TransitionLog.objects.filter(object_id=str(org.pk)).count() == 1


def test_http_conflict_message(client, cast, wanzhou):
    from conftest import login

    org = make_org("pending", cast, wanzhou)
    services.organization_transition(actor=cast["district_officer"], organization=org, action="verify")
    login(client, cast["district_officer"])
    response = client.post(f"/organizations/{org.pk}/reject/", {"note": "晚了一步"}, follow=True)
    assert "当前状态为「已认证」" in response.content.decode()
    response = client.post(f"/api/v1/organizations/{org.pk}/reject/", {"note": "晚了一步"})
    assert response.status_code == 409 and "已认证" in response.json()["detail"]
