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
from sme.organizations.workflow import APPLICANT, MEMBERSHIP, ORG_MANAGER
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# (action, sources, target, roles), as the organization's people understand it: someone asks (or
# asks again after a refusal), a manager approves or declines; the founder starts as an active owner.
TABLE = {
    ("found", frozenset({START}), "active", frozenset({APPLICANT})),
    ("request", frozenset({START, "declined"}), "pending", frozenset({APPLICANT})),
    ("approve", frozenset({"pending"}), "active", frozenset({ORG_MANAGER})),
    ("decline", frozenset({"pending"}), "declined", frozenset({ORG_MANAGER})),
}

STATUSES = ["pending", "active", "declined"]
ACTIONS = ["request", "approve", "decline"]
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
# (status, action) → who may take it, and where it leads.
ALLOWED = {
    ("declined", "request"): ({"applicant"}, "pending"),
    ("pending", "approve"): ({"owner", "org_admin"}, "active"),
    ("pending", "decline"): ({"owner", "org_admin"}, "declined"),
}


def test_the_table_is_the_one_written_here():
    rows = {(t.action, t.sources, t.target, t.roles) for t in MEMBERSHIP.transitions}
    assert rows == TABLE
    assert MEMBERSHIP.creation_actions == {"found", "request"}


def test_audit_codes_keep_their_names():
    from sme.core import audit

    for code in ("membership.request", "membership.approve", "membership.decline", "membership.found"):
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


def _membership(people, wanzhou, status):
    org = OrganizationFactory(district=wanzhou, owner=people["owner"], verified=True)
    Membership.objects.create(organization=org, user=people["org_admin"], role="admin", status="active")
    Membership.objects.create(organization=org, user=people["member"], role="member", status="active")
    return Membership.objects.create(organization=org, user=people["applicant"], role="member", status=status)


@pytest.mark.parametrize(("status", "action", "who"), list(itertools.product(STATUSES, ACTIONS, PEOPLE)))
def test_every_move(status, action, who, people, wanzhou):
    membership = _membership(people, wanzhou, status)
    actor = people[who]
    allowed, target = ALLOWED.get((status, action), (set(), None))
    roles = membership_roles(actor, membership)
    if who in allowed:
        apply_transition(workflow=MEMBERSHIP, obj=membership, action=action, actor=actor, roles=roles)
        membership.refresh_from_db()
        assert membership.status == target
        log = TransitionLog.objects.get(workflow="membership", object_id=str(membership.pk))
        assert (log.action, log.from_status, log.to_status, log.actor) == (action, status, target, actor)
        assert AuditLog.objects.filter(action=f"membership.{action}", object_id=str(membership.pk)).exists()
    else:
        expected = NotAllowed if (status, action) in ALLOWED else Conflict
        with pytest.raises(expected):
            apply_transition(workflow=MEMBERSHIP, obj=membership, action=action, actor=actor, roles=roles)
        membership.refresh_from_db()
        assert membership.status == status
        assert not TransitionLog.objects.filter(workflow="membership").exists()
