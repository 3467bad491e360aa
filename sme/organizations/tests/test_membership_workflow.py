"""The membership state machine: its table written out by hand, then walked for every
(status, action, person) through the kernel with the roles ``permissions.membership_roles`` gives."""

from __future__ import annotations

import itertools

import pytest

from sme.core.errors import Conflict, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.core.workflow import START, apply_transition
from sme.organizations.models import Membership
from sme.organizations.permissions import membership_roles
from sme.organizations.workflow import APPLICANT, DISTRICT_OFFICER, MEMBERSHIP, ORG_MANAGER
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# (action, sources, target, roles), as the organization's people understand it: someone asks (or
# asks again after a refusal), a manager approves or declines; the founder starts as an active owner;
# an organization nobody acts for yet (imported) is claimed, and its district officer decides.
TABLE = {
    ("found", frozenset({START}), "active", frozenset({APPLICANT})),
    ("request", frozenset({START, "declined"}), "pending", frozenset({APPLICANT})),
    ("approve", frozenset({"pending"}), "active", frozenset({ORG_MANAGER})),
    ("decline", frozenset({"pending"}), "declined", frozenset({ORG_MANAGER})),
    ("approve_claim", frozenset({"pending"}), "active", frozenset({DISTRICT_OFFICER})),
    ("decline_claim", frozenset({"pending"}), "declined", frozenset({DISTRICT_OFFICER})),
}

STATUSES = ["pending", "active", "declined"]
ACTIONS = ["request", "approve", "decline", "approve_claim", "decline_claim"]
PEOPLE = [
    "applicant",
    "owner",
    "org_admin",
    "member",
    "district_officer",
    "city_officer",
    "admin",
    "stranger",
]
# (status, action) → who may take it, and where it leads, in an organization with members …
ALLOWED = {
    ("declined", "request"): ({"applicant"}, "pending"),
    ("pending", "approve"): ({"owner", "org_admin"}, "active"),
    ("pending", "decline"): ({"owner", "org_admin"}, "declined"),
    # the district officer holds the role, but the guard refuses: the owner decides here
    ("pending", "approve_claim"): (set(), "active"),
    ("pending", "decline_claim"): (set(), "declined"),
}
# … and in one nobody acts for yet (imported from the registry).
ALLOWED_MEMBERLESS = {
    ("declined", "request"): ({"applicant"}, "pending"),
    ("pending", "approve"): (set(), "active"),
    ("pending", "decline"): (set(), "declined"),
    ("pending", "approve_claim"): ({"district_officer"}, "active"),
    ("pending", "decline_claim"): ({"district_officer"}, "declined"),
}


def test_the_table_is_the_one_written_here():
    rows = {(t.action, t.sources, t.target, t.roles) for t in MEMBERSHIP.transitions}
    assert rows == TABLE
    assert MEMBERSHIP.creation_actions == {"found", "request"}


def test_audit_codes_keep_their_names():
    from sme.core import audit

    for code in (
        "membership.request",
        "membership.approve",
        "membership.decline",
        "membership.found",
        "membership.approve_claim",
        "membership.decline_claim",
    ):
        assert audit.is_registered(code), code


@pytest.fixture
def people(wanzhou, district_officer, city_officer, admin_user):
    return {
        "applicant": UserFactory(username="m_applicant"),
        "owner": UserFactory(username="m_owner"),
        "org_admin": UserFactory(username="m_admin"),
        "member": UserFactory(username="m_member"),
        "district_officer": district_officer,
        "city_officer": city_officer,
        "admin": admin_user,
        "stranger": UserFactory(username="m_stranger"),
    }


def _membership(people, wanzhou, status, *, memberless=False):
    if memberless:
        org = OrganizationFactory(district=wanzhou, verified=True)
    else:
        org = OrganizationFactory(district=wanzhou, owner=people["owner"], verified=True)
        Membership.objects.create(organization=org, user=people["org_admin"], role="admin", status="active")
        Membership.objects.create(organization=org, user=people["member"], role="member", status="active")
    return Membership.objects.create(organization=org, user=people["applicant"], role="member", status=status)


@pytest.mark.parametrize("memberless", [False, True], ids=["with-members", "memberless"])
@pytest.mark.parametrize(("status", "action", "who"), list(itertools.product(STATUSES, ACTIONS, PEOPLE)))
def test_every_move(status, action, who, memberless, people, wanzhou):
    membership = _membership(people, wanzhou, status, memberless=memberless)
    actor = people[who]
    table = ALLOWED_MEMBERLESS if memberless else ALLOWED
    allowed, target = table.get((status, action), (set(), None))
    roles = membership_roles(actor, membership)
    note = "法定代表人不一致" if action.startswith("decline") else ""
    if who in allowed:
        apply_transition(
            workflow=MEMBERSHIP, obj=membership, action=action, actor=actor, roles=roles, note=note
        )
        membership.refresh_from_db()
        assert membership.status == target
        log = TransitionLog.objects.get(workflow="membership", object_id=str(membership.pk))
        assert (log.action, log.from_status, log.to_status, log.actor) == (action, status, target, actor)
        assert AuditLog.objects.filter(action=f"membership.{action}", object_id=str(membership.pk)).exists()
    else:
        expected = NotAllowed if (status, action) in table else Conflict
        with pytest.raises(expected):
            apply_transition(
                workflow=MEMBERSHIP, obj=membership, action=action, actor=actor, roles=roles, note=note
            )
        membership.refresh_from_db()
        assert membership.status == status
        assert not TransitionLog.objects.filter(workflow="membership").exists()


def test_every_action_is_documented():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[3] / "docs" / "workflows" / "membership.md").read_text()
    for t in MEMBERSHIP.transitions:
        assert f"`{t.action}`" in page, t.action
