"""The order state machine, walked as a table: every (status, action, role)."""

from __future__ import annotations

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed, ServiceError
from sme.core.models import AuditLog, TransitionLog
from sme.orders import services
from sme.orders.models import Order, OrderStatus
from sme.orders.workflow import ORDER
from sme.organizations.models import Membership
from sme.testing.factories import UserFactory

S = OrderStatus
# Every action offered after creation, written out (not read from the table under test).
ACTIONS = [
    "accept",
    "agree_cancel",
    "cancel",
    "confirm",
    "decline",
    "deliver",
    "dispute",
    "refuse_cancel",
    "request_cancel",
    "rework",
    "start",
    "withdraw_dispute",
]
CREATION: dict[tuple[str, str], tuple[str, set[str]]] = {
    ("created", "place"): (S.SUBMITTED, {"buyer"}),
    ("created", "place_accepted"): (S.ACCEPTED, {"buyer"}),
}
NOTE_REQUIRED = {"decline", "deliver", "dispute", "request_cancel"}
PERSONAS = ["buyer", "provider", "enterprise_member", "provider_member", "district_officer", "city_officer"]

# (status, action) -> (target, personas allowed). Everything else is refused. Written out by hand,
# mirroring docs/workflows/order.md, so a change of workflow.py must change this too.
EXPECTED: dict[tuple[str, str], tuple[str, set[str]]] = {
    (S.SUBMITTED, "accept"): (S.ACCEPTED, {"provider"}),
    (S.SUBMITTED, "decline"): (S.DECLINED, {"provider"}),
    (S.SUBMITTED, "cancel"): (S.CANCELLED, {"buyer"}),
    (S.ACCEPTED, "start"): (S.IN_PROGRESS, {"provider"}),
    (S.IN_PROGRESS, "deliver"): (S.DELIVERED, {"provider"}),
    (S.DELIVERED, "confirm"): (S.COMPLETED, {"buyer"}),
    (S.DELIVERED, "dispute"): (S.DISPUTED, {"buyer"}),
    (S.DISPUTED, "rework"): (S.IN_PROGRESS, {"provider"}),
    (S.DISPUTED, "withdraw_dispute"): (S.COMPLETED, {"buyer"}),
    **{(s, "request_cancel"): (s, {"buyer", "provider"}) for s in (S.ACCEPTED, S.IN_PROGRESS, S.DISPUTED)},
    **{
        (s, "agree_cancel"): (S.CANCELLED, {"buyer", "provider"})
        for s in (S.ACCEPTED, S.IN_PROGRESS, S.DISPUTED)
    },
    **{(s, "refuse_cancel"): (s, {"buyer", "provider"}) for s in (S.ACCEPTED, S.IN_PROGRESS, S.DISPUTED)},
}


@pytest.fixture
def people(enterprise_owner, provider_user, enterprise, provider, district_officer, city_officer):
    enterprise_member = UserFactory(role="enterprise")
    Membership.objects.create(organization=enterprise, user=enterprise_member, role="member", status="active")
    provider_member = UserFactory(role="provider")
    Membership.objects.create(organization=provider, user=provider_member, role="member", status="active")
    return {
        "buyer": enterprise_owner,
        "provider": provider_user,
        "enterprise_member": enterprise_member,
        "provider_member": provider_member,
        "district_officer": district_officer,
        "city_officer": city_officer,
    }


def test_the_table_mirrors_the_expectations():
    table = {
        (source, t.action): (str(t.target), set(t.roles)) for t in ORDER.transitions for source in t.sources
    }
    expected = {**CREATION, **EXPECTED}
    assert table == {k: (str(v[0]), v[1]) for k, v in expected.items()}
    assert ORDER.creation_actions == {"place", "place_accepted"}
    assert {t.action for t in ORDER.transitions if t.note_required} == NOTE_REQUIRED


@pytest.mark.parametrize("status", [s.value for s in S])
def test_every_status_action_and_role(status, people, order):
    for action in ACTIONS:
        for persona in PERSONAS:
            Order.objects.filter(pk=order.pk).update(status=status, cancel_requested_by="")
            if action in ("agree_cancel", "refuse_cancel"):
                # A request is pending from the other side of the persona (the buyer's for the rest).
                asker = "provider" if persona == "buyer" else "enterprise"
                Order.objects.filter(pk=order.pk).update(cancel_requested_by=asker)
            fresh = Order.objects.get(pk=order.pk)
            version_read = fresh.version
            expected = EXPECTED.get((status, action))
            actor = people[persona]
            logs_before = TransitionLog.objects.filter(object_id=str(order.pk)).count()
            if expected is not None and persona in expected[1]:
                result = services.order_transition(actor=actor, order=fresh, action=action, note="理由说明")
                assert result.status == expected[0], (status, action, persona)
                assert result.version == version_read + 1
                assert TransitionLog.objects.filter(object_id=str(order.pk)).count() == logs_before + 1
                assert AuditLog.objects.filter(action=f"order.{action}", object_id=str(order.pk)).exists()
            else:
                with pytest.raises(ServiceError) as caught:
                    services.order_transition(actor=actor, order=fresh, action=action, note="理由说明")
                if expected is None:
                    assert isinstance(caught.value, Conflict), (status, action, persona)
                else:
                    assert isinstance(caught.value, NotAllowed), (status, action, persona)
                assert Order.objects.get(pk=order.pk).status == status
                assert TransitionLog.objects.filter(object_id=str(order.pk)).count() == logs_before


def test_cancellation_by_agreement(order, enterprise_owner, provider_user):
    order = services.order_transition(actor=provider_user, order=order, action="accept")
    order = services.order_transition(
        actor=enterprise_owner, order=order, action="request_cancel", note="预算取消"
    )
    assert order.status == S.ACCEPTED and order.cancel_requested_by == "enterprise"
    # The asking side cannot answer its own request, nor ask twice.
    with pytest.raises(NotAllowed):
        services.order_transition(actor=enterprise_owner, order=order, action="agree_cancel")
    with pytest.raises(NotAllowed):
        services.order_transition(actor=provider_user, order=order, action="request_cancel", note="再次")
    order = services.order_transition(actor=provider_user, order=order, action="refuse_cancel")
    assert order.status == S.ACCEPTED and order.cancel_requested_by == ""
    order = services.order_transition(
        actor=provider_user, order=order, action="request_cancel", note="人手不足"
    )
    order = services.order_transition(actor=enterprise_owner, order=order, action="agree_cancel")
    assert order.status == S.CANCELLED and order.cancelled_at is not None


def test_reasons_are_required(order, provider_user):
    with pytest.raises(InvalidInput):
        services.order_transition(actor=provider_user, order=order, action="decline", note="  ")
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED


def test_stale_version_is_a_conflict(order, provider_user):
    stale = Order.objects.get(pk=order.pk)
    services.order_transition(actor=provider_user, order=order, action="accept")
    with pytest.raises(Conflict):
        services.order_transition(actor=provider_user, order=stale, action="decline", note="晚了")
