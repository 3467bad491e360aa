"""The workflow kernel on a real table: the start step, compare-and-set, guards, notes, logs."""

from __future__ import annotations

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.core.workflow import START, Workflow, apply_transition, start_transition, transition
from sme.organizations.models import Membership, MembershipStatus
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "守卫拒绝：名单已满"


def _full(obj, actor, note):
    return REFUSED if note == "满" else None


KERNEL = Workflow(
    name="kernel_test",
    status_labels={MembershipStatus.PENDING: "待审", MembershipStatus.ACTIVE: "有效"},
    transitions=(
        transition("ask", [START], MembershipStatus.PENDING, ["member"], "申请"),
        transition(
            "approve", [MembershipStatus.PENDING], MembershipStatus.ACTIVE, ["manager"], "批准", guard=_full
        ),
        transition("decline", [MembershipStatus.PENDING], "declined", ["manager"], "拒绝", note=True),
    ),
)


@pytest.fixture
def pending():
    return Membership.objects.create(
        organization=OrganizationFactory(), user=UserFactory(), status=MembershipStatus.PENDING
    )


def test_the_start_step_writes_the_creation_rows(pending):
    start_transition(workflow=KERNEL, obj=pending, action="ask", actor=pending.user, roles=["member"])
    log = TransitionLog.objects.get(workflow="kernel_test", object_id=str(pending.pk))
    assert (log.from_status, log.to_status, log.action) == ("created", "pending", "ask")
    row = AuditLog.objects.get(action="kernel_test.ask")
    assert row.changes == {"status": ["created", "pending"]}
    assert row.summary == "新建 → 待审"


def test_the_start_step_checks_the_role_and_the_first_status(pending):
    with pytest.raises(NotAllowed):
        start_transition(workflow=KERNEL, obj=pending, action="ask", actor=None, roles=["manager"])
    pending.status = MembershipStatus.ACTIVE
    with pytest.raises(ValueError):
        start_transition(workflow=KERNEL, obj=pending, action="ask", actor=None, roles=["member"])
    assert not TransitionLog.objects.exists()
    assert "ask" in KERNEL.creation_actions and "approve" not in KERNEL.creation_actions


def test_a_stale_read_loses_and_nothing_is_overwritten(pending):
    first = Membership.objects.get(pk=pending.pk)
    second = Membership.objects.get(pk=pending.pk)
    moved = apply_transition(workflow=KERNEL, obj=first, action="approve", actor=None, roles=["manager"])
    assert moved.status == MembershipStatus.ACTIVE
    with pytest.raises(Conflict):
        apply_transition(
            workflow=KERNEL, obj=second, action="decline", actor=None, roles=["manager"], note="晚了"
        )
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.ACTIVE
    assert TransitionLog.objects.filter(object_id=str(pending.pk)).count() == 1


def test_guard_and_note_refusals_change_nothing(pending):
    with pytest.raises(NotAllowed, match=REFUSED):
        apply_transition(
            workflow=KERNEL, obj=pending, action="approve", actor=None, roles=["manager"], note="满"
        )
    with pytest.raises(InvalidInput):
        apply_transition(workflow=KERNEL, obj=pending, action="decline", actor=None, roles=["manager"])
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING
    assert (
        not TransitionLog.objects.exists()
        and not AuditLog.objects.filter(action__startswith="kernel_test").exists()
    )


def test_updates_and_changes_go_with_the_move(pending):
    apply_transition(
        workflow=KERNEL,
        obj=pending,
        action="approve",
        actor=None,
        roles=["manager"],
        updates={"role": "manager"},
        changes={"role": ["member", "manager"]},
    )
    pending.refresh_from_db()
    assert pending.role == "manager"
    assert AuditLog.objects.get(action="kernel_test.approve").changes == {
        "status": ["pending", "active"],
        "role": ["member", "manager"],
    }


def test_a_creation_row_may_carry_its_own_summary(pending):
    from sme.core.messages import msg

    start_transition(
        workflow=KERNEL,
        obj=pending,
        action="ask",
        actor=None,
        roles=["member"],
        summary=msg("申请加入：%(n)s", n="甲"),
    )
    assert AuditLog.objects.get(action="kernel_test.ask").summary == "申请加入：甲"


VERIFY = Workflow(
    name="kernel_test_verify",
    status_labels={},
    transitions=(transition("verify", ["pending"], "verified", ["officer"], "审核通过"),),
)


def test_expected_version_refuses_a_move_read_before_an_edit_that_kept_the_status():
    from sme.core.versioning import update_versioned
    from sme.organizations.models import Organization

    org = OrganizationFactory(verification_status="pending")
    read_early = Organization.objects.get(pk=org.pk)
    update_versioned(org, name="改名后")  # an edit that keeps the status
    with pytest.raises(Conflict):
        apply_transition(
            workflow=VERIFY,
            obj=read_early,
            action="verify",
            actor=None,
            roles=["officer"],
            status_field="verification_status",
            expected_version=read_early.version,
        )
    moved = apply_transition(
        workflow=VERIFY,
        obj=org,
        action="verify",
        actor=None,
        roles=["officer"],
        status_field="verification_status",
        expected_version=org.version,
    )
    assert (moved.verification_status, moved.version, moved.name) == (
        "verified",
        read_early.version + 2,
        "改名后",
    )
