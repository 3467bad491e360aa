"""Writes to organizations and memberships: what each one changes, logs, audits and tells whom."""

from __future__ import annotations

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations import services
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory, officer

pytestmark = pytest.mark.django_db


def _fields(district, **overrides):
    from sme.organizations import uscc

    values = {
        "kind": "enterprise",
        "name": "  重庆万州新建科技有限公司 ",
        "uscc_code": uscc.make(district.code),
        "legal_representative": "王五",
        "district": district,
        "address": "重庆市万州区高笋塘1号",
        "contact_name": "王五",
        "contact_phone": "023-58000000",
    }
    values.update(overrides)
    return values


@pytest.fixture
def founder(db):
    return UserFactory(username="founder", role="enterprise")


# --- organization_create ----------------------------------------------------------------------------


def test_create_makes_the_founder_an_active_owner_and_tells_the_district(
    founder, wanzhou, district_officer, other_district_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        org = services.organization_create(actor=founder, **_fields(wanzhou))
    assert org.name == "重庆万州新建科技有限公司"
    assert org.verification_status == "pending" and org.submitted_at is not None
    owner = Membership.objects.get(organization=org)
    assert (owner.user, owner.role, owner.status) == (founder, "owner", "active")
    log = TransitionLog.objects.get(workflow="membership", object_id=str(owner.pk))
    assert (log.action, log.from_status, log.to_status) == ("found", "created", "active")
    assert AuditLog.objects.get(action="organization.create").summary == "注册机构，待区县主管部门认证"
    told = Notification.objects.get()
    assert (told.recipient, told.event) == (district_officer, "organizations")
    assert org.name in told.title and told.message["title"]["m"] == "新机构待认证：%(name)s"


def test_audit_summaries_read_in_the_readers_language(founder, wanzhou, enterprise_owner):
    from django.utils import translation

    from sme.core.messages import render

    services.organization_create(actor=founder, **_fields(wanzhou))
    org = Organization.objects.get(memberships__user=enterprise_owner)
    services.organization_update(actor=enterprise_owner, organization=org, expected_version=1, address="X路")
    created = AuditLog.objects.get(action="organization.create")
    updated = AuditLog.objects.get(action="organization.update")
    with translation.override("en"):
        assert render(created.summary_message).startswith("Organization registered")
        assert render(updated.summary_message) == "Organization information edited: Address"


def test_create_refuses_a_taken_code_and_changes_nothing(founder, wanzhou, enterprise_owner):
    taken = Organization.objects.get(memberships__user=enterprise_owner)
    before = (Organization.objects.count(), Membership.objects.count(), AuditLog.objects.count())
    with pytest.raises(InvalidInput) as exc:
        services.organization_create(actor=founder, **_fields(wanzhou, uscc_code=taken.uscc))
    assert taken.name in exc.value.message and "uscc" in exc.value.field_errors
    assert (Organization.objects.count(), Membership.objects.count(), AuditLog.objects.count()) == before


def test_create_flags_a_code_of_another_district(founder, wanzhou):
    from sme.organizations import uscc

    org = services.organization_create(actor=founder, **_fields(wanzhou, uscc_code=uscc.make("500103")))
    assert org.region_mismatch is True
    assert "不一致" in AuditLog.objects.get(action="organization.create").summary


# --- organization_update ----------------------------------------------------------------------------


def test_update_writes_compare_and_set_and_audits_the_difference(enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    updated = services.organization_update(
        actor=enterprise_owner,
        organization=org,
        expected_version=org.version,
        address="重庆市渝中区新华路8号",
    )
    assert updated.address == "重庆市渝中区新华路8号" and updated.version == 2
    row = AuditLog.objects.get(action="organization.update")
    assert row.changes["address"][1] == "重庆市渝中区新华路8号"
    assert row.summary == "修改机构信息：地址"


def test_update_from_a_stale_form_changes_nothing(enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    stale = Organization.objects.get(pk=org.pk)
    services.organization_update(
        actor=enterprise_owner, organization=org, expected_version=1, address="A路1号"
    )
    with pytest.raises(Conflict) as exc:
        services.organization_update(
            actor=enterprise_owner, organization=stale, expected_version=1, address="B路2号"
        )
    assert "已被他人修改" in exc.value.message
    assert Organization.objects.get(pk=org.pk).address == "A路1号"
    assert AuditLog.objects.filter(action="organization.update").count() == 1


def test_a_verified_organization_keeps_its_identity(enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    with pytest.raises(NotAllowed):
        services.organization_update(
            actor=enterprise_owner, organization=org, expected_version=1, name="新名称"
        )
    assert Organization.objects.get(pk=org.pk).name == org.name


@pytest.mark.parametrize("who", ["member", "district_officer", "admin_user"])
def test_only_managers_edit(who, request, wanzhou):
    org = OrganizationFactory(district=wanzhou, owner=UserFactory(username="wz_owner2"))
    if who == "member":
        actor = UserFactory(username="wz_member2")
        Membership.objects.create(organization=org, user=actor, role="member", status="active")
    else:
        actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.organization_update(actor=actor, organization=org, expected_version=1, address="X")


# --- memberships --------------------------------------------------------------------------------


def test_request_is_pending_logged_and_told_to_the_managers(
    provider_user, django_capture_on_commit_callbacks
):
    org = Organization.objects.get(memberships__user=provider_user)
    joiner = UserFactory(username="joiner", role="provider", real_name="赵六")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(actor=joiner, organization=org)
    assert (membership.status, membership.role) == ("pending", "member")
    log = TransitionLog.objects.get(workflow="membership", object_id=str(membership.pk))
    assert (log.action, log.from_status, log.to_status, log.actor) == (
        "request",
        "created",
        "pending",
        joiner,
    )
    assert AuditLog.objects.get(action="membership.request").actor == joiner
    told = Notification.objects.get()
    assert told.recipient == provider_user and told.event == "organizations"
    assert "赵六" in told.title and org.name in told.title


def test_request_twice_is_refused(provider_user):
    org = Organization.objects.get(memberships__user=provider_user)
    joiner = UserFactory(username="joiner", role="provider")
    services.membership_request(actor=joiner, organization=org)
    with pytest.raises(InvalidInput):
        services.membership_request(actor=joiner, organization=org)
    with pytest.raises(InvalidInput):  # an active member neither
        services.membership_request(actor=provider_user, organization=org)


def test_asking_again_after_a_refusal_reuses_the_membership(provider_user):
    org = Organization.objects.get(memberships__user=provider_user)
    joiner = UserFactory(username="joiner", role="provider")
    first = services.membership_request(actor=joiner, organization=org)
    services.membership_decide(actor=provider_user, membership=first, approve=False)
    again = services.membership_request(actor=joiner, organization=org)
    assert again.pk == first.pk and again.status == "pending"
    moves = TransitionLog.objects.filter(workflow="membership", object_id=str(first.pk)).order_by("id")
    assert [(m.from_status, m.to_status) for m in moves] == [
        ("created", "pending"),
        ("pending", "declined"),
        ("declined", "pending"),
    ]


@pytest.mark.parametrize("approve", [True, False])
def test_decide_moves_logs_and_tells_the_applicant(
    approve, provider_user, django_capture_on_commit_callbacks
):
    org = Organization.objects.get(memberships__user=provider_user)
    joiner = UserFactory(username="joiner", role="provider")
    membership = services.membership_request(actor=joiner, organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.membership_decide(actor=provider_user, membership=membership, approve=approve)
    target, action = ("active", "approve") if approve else ("declined", "decline")
    assert decided.status == target
    row = AuditLog.objects.get(action=f"membership.{action}")
    assert row.actor == provider_user and row.changes["status"] == ["pending", target]
    assert row.object_label == str(decided) and joiner.display_name in row.object_label
    told = Notification.objects.get(recipient=joiner)
    assert told.event == "organizations" and org.name in told.title


def test_only_a_manager_decides(provider_user, wanzhou, district_officer):
    org = Organization.objects.get(memberships__user=provider_user)
    plain = UserFactory(username="plain_member", role="provider")
    Membership.objects.create(organization=org, user=plain, role="member", status="active")
    joiner = UserFactory(username="joiner", role="provider")
    membership = services.membership_request(actor=joiner, organization=org)
    for actor in (plain, joiner, district_officer):
        with pytest.raises(NotAllowed):
            services.membership_decide(actor=actor, membership=membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_two_managers_approving_at_once(provider_user, django_capture_on_commit_callbacks):
    """Both read the request while pending; the first decision wins, the second is told."""
    org = Organization.objects.get(memberships__user=provider_user)
    other_manager = UserFactory(username="second_manager", role="provider")
    Membership.objects.create(organization=org, user=other_manager, role="admin", status="active")
    joiner = UserFactory(username="joiner", role="provider")
    membership = services.membership_request(actor=joiner, organization=org)
    seen_by_first = Membership.objects.get(pk=membership.pk)
    seen_by_second = Membership.objects.get(pk=membership.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(actor=provider_user, membership=seen_by_first, approve=True)
        with pytest.raises(Conflict) as exc:
            services.membership_decide(actor=other_manager, membership=seen_by_second, approve=False)
    assert "已被他人处理" in exc.value.message
    membership.refresh_from_db()
    assert membership.status == "active"
    decisions = TransitionLog.objects.filter(workflow="membership", object_id=str(membership.pk))
    assert [d.action for d in decisions.order_by("id")] == ["request", "approve"]
    assert AuditLog.objects.filter(action__in=["membership.approve", "membership.decline"]).count() == 1
    assert Notification.objects.filter(recipient=joiner).count() == 1


def test_district_officer_notifications_reach_only_that_district(
    founder, wanzhou, yuzhong, django_capture_on_commit_callbacks
):
    own = officer("district_officer", wanzhou, username="wz_officer_a")
    other = officer("district_officer", yuzhong, username="yz_officer_a")
    inactive = officer("district_officer", wanzhou, username="wz_officer_gone", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_create(actor=founder, **_fields(wanzhou))
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert own.username in recipients
    assert other.username not in recipients and inactive.username not in recipients
