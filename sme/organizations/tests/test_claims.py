"""Claiming an organization nobody acts for yet (imported from the registry): the applicant types the
legal representative's name, the district officer of its district decides with the registry's name
beside it, and the first person approved becomes the owner. Audited and notified."""

from __future__ import annotations

import pytest

from conftest import login
from sme.core.errors import InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.organizations import services
from sme.organizations.models import Membership, MembershipRole, MembershipStatus
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/accounts/register/"
PASSWORD = "Claim-Pass-2026"
CLAIMS = "/organizations/claims/"


@pytest.fixture
def imported(wanzhou):
    """An enterprise of 万州区 as a registry import leaves it: verified, no members."""
    return OrganizationFactory(
        district=wanzhou,
        verification_status="verified",
        name="重庆万州名录企业有限公司",
        legal_representative="王建国",
    )


def _register(client, org, legal_representative="王建国", username="claimant", mobile="13612345678"):
    return client.post(
        REGISTER,
        {
            "role": "enterprise",
            "mode": "join",
            "uscc": org.uscc,
            "legal_representative": legal_representative,
            "username": username,
            "real_name": "王小明",
            "mobile": mobile,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_registering_to_an_imported_enterprise_is_a_claim_the_district_officer_is_told_of(
    client, imported, district_officer, other_district_officer
):
    response = _register(client, imported, legal_representative="王 建国")
    assert response.status_code == 302
    claim = Membership.objects.get(organization=imported)
    assert (claim.status, claim.role, claim.claimed_legal_representative) == ("pending", "member", "王 建国")
    note = Notification.objects.get(recipient=district_officer)
    assert note.event == "organizations" and note.url == CLAIMS
    assert "王小明" in note.title and imported.name in note.title
    assert "王 建国" in note.body and "王建国" in note.body
    assert not Notification.objects.filter(recipient=other_district_officer).exists()
    audit = AuditLog.objects.get(action="membership.request")
    assert audit.changes["claimed_legal_representative"] == [None, "王 建国"]
    dashboard = client.get("/dashboard/").content.decode()
    assert "待所在区县主管部门审核" in dashboard


def test_a_claim_needs_the_legal_representatives_name(client, imported):
    response = _register(client, imported, legal_representative="")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-legal_representative"' in html and "尚无负责人" in html
    assert not Membership.objects.exists()
    applicant = UserFactory(username="claimant2")
    with pytest.raises(InvalidInput) as exc:
        services.membership_request(actor=applicant, organization=imported)
    assert "legal_representative" in exc.value.field_errors


def test_the_officer_sees_the_typed_name_against_the_registrys(client, imported, district_officer, wanzhou):
    _register(client, imported, legal_representative="王建国")
    other = OrganizationFactory(district=wanzhou, verification_status="verified", legal_representative="李四")
    services.membership_request(
        actor=UserFactory(username="guesser"), organization=other, legal_representative="李五"
    )
    login(client, district_officer)
    page = client.get(CLAIMS).content.decode()
    first = page.split(f'data-testid="claim-{Membership.objects.get(organization=imported).pk}"', 1)[1]
    first = first.split("</tr>", 1)[0]
    assert 'data-matches="yes"' in first and "申请人填写：王建国" in first and "名录记载：王建国" in first
    second = page.split(f'data-testid="claim-{Membership.objects.get(organization=other).pk}"', 1)[1]
    assert 'data-matches="no"' in second.split("</tr>", 1)[0]
    assert "机构认领待审核" in client.get("/dashboard/").content.decode()
    assert 'data-testid="claims-link"' in client.get("/organizations/").content.decode()


def test_approving_makes_the_first_claimant_the_owner(client, imported, district_officer):
    _register(client, imported)
    claim = Membership.objects.get(organization=imported)
    login(client, district_officer)
    response = client.post(
        f"/organizations/{imported.pk}/members/{claim.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302 and response["Location"] == CLAIMS
    claim.refresh_from_db()
    assert (claim.status, claim.role) == (MembershipStatus.ACTIVE, MembershipRole.OWNER)
    log = TransitionLog.objects.get(workflow="membership", action="approve_claim")
    assert log.actor == district_officer
    audit = AuditLog.objects.get(action="membership.approve_claim")
    assert audit.actor == district_officer
    assert audit.changes["role"] == ["member", "owner"]
    assert audit.changes["claimed_legal_representative"] == ["王建国", "王建国"]
    note = Notification.objects.filter(recipient=claim.user).latest("id")
    assert "负责人" in note.title and note.event == "organizations"
    assert 'data-testid="empty-state"' in client.get(CLAIMS).content.decode()


def test_once_an_owner_exists_the_owner_decides_and_the_officer_no_longer(imported, district_officer):
    first = services.membership_request(
        actor=UserFactory(username="first_claimant"), organization=imported, legal_representative="王建国"
    )
    second = services.membership_request(
        actor=UserFactory(username="second_claimant"), organization=imported, legal_representative="王建国"
    )
    services.membership_decide(actor=district_officer, membership=first, approve=True)
    second.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        services.membership_decide(actor=district_officer, membership=second, approve=True)
    assert "已有负责人" in exc.value.message
    second.refresh_from_db()
    assert second.status == MembershipStatus.PENDING
    owner = Membership.objects.get(pk=first.pk).user
    decided = services.membership_decide(actor=owner, membership=second, approve=True)
    assert (decided.status, decided.role) == ("active", "member")


def test_declining_a_claim_needs_a_reason_the_applicant_reads(client, imported, district_officer):
    _register(client, imported, legal_representative="张三")
    claim = Membership.objects.get(organization=imported)
    login(client, district_officer)
    url = f"/organizations/{imported.pk}/members/{claim.pk}/decide/"
    client.post(url, {"decision": "decline", "note": ""})
    claim.refresh_from_db()
    assert claim.status == "pending"
    client.post(url, {"decision": "decline", "note": "法定代表人与名录不一致，请核实后重新申请。"})
    claim.refresh_from_db()
    assert claim.status == "declined"
    note = Notification.objects.filter(recipient=claim.user).latest("id")
    assert "未获批准" in note.title and "法定代表人与名录不一致" in note.body
    assert AuditLog.objects.filter(action="membership.decline_claim", actor=district_officer).exists()


def test_only_the_district_officer_of_the_district_decides(
    client, imported, other_district_officer, city_officer
):
    claim = services.membership_request(
        actor=UserFactory(username="claimant3"), organization=imported, legal_representative="王建国"
    )
    for officer in (other_district_officer, city_officer):
        with pytest.raises(NotAllowed):
            services.membership_decide(actor=officer, membership=claim, approve=True)
    login(client, other_district_officer)
    assert 'data-testid="empty-state"' in client.get(CLAIMS).content.decode()
    assert (
        client.post(
            f"/organizations/{imported.pk}/members/{claim.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 404
    )
    login(client, city_officer)
    assert client.get(CLAIMS).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "pending"
