"""The organization pages: what each role sees and may do, inside and outside its scope."""

from __future__ import annotations

import pytest

from conftest import login
from sme.core.models import AuditLog
from sme.organizations import services
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(wanzhou, yuzhong):
    return {
        "wz": OrganizationFactory(district=wanzhou, name="万州列表企业"),
        "yz": OrganizationFactory(district=yuzhong, name="渝中列表企业"),
    }


def test_a_district_officers_list_shows_their_district_only(client, orgs, district_officer):
    page = login(client, district_officer).get("/organizations/").content.decode()
    assert "万州列表企业" in page and "渝中列表企业" not in page
    # asking for another district by parameter does not widen the scope
    page = client.get(f"/organizations/?district={orgs['yz'].district_id}").content.decode()
    assert "渝中列表企业" not in page


def test_the_city_officer_filters_by_district(client, orgs, city_officer):
    page = (
        login(client, city_officer).get(f"/organizations/?district={orgs['yz'].district_id}").content.decode()
    )
    assert "渝中列表企业" in page and "万州列表企业" not in page


def test_the_list_page_query_count_does_not_grow_with_the_rows(
    client, wanzhou, district_officer, django_assert_max_num_queries
):
    OrganizationFactory.create_batch(25, district=wanzhou)
    login(client, district_officer)
    with django_assert_max_num_queries(14):
        assert client.get("/organizations/").status_code == 200


def test_another_districts_detail_is_not_found(client, orgs, district_officer, enterprise_owner):
    assert login(client, district_officer).get(f"/organizations/{orgs['yz'].pk}/").status_code == 404
    assert client.post(f"/organizations/{orgs['yz'].pk}/verify/").status_code == 404
    assert Organization.objects.get(pk=orgs["yz"].pk).verification_status == "pending"
    # an enterprise never sees another's organization either
    assert login(client, enterprise_owner).get(f"/organizations/{orgs['yz'].pk}/").status_code == 404


def test_the_district_officer_verifies_from_the_detail_page(client, orgs, district_officer):
    login(client, district_officer)
    page = client.get(f"/organizations/{orgs['wz'].pk}/").content.decode()
    assert f"/organizations/{orgs['wz'].pk}/verify/" in page
    page = client.post(f"/organizations/{orgs['wz'].pk}/verify/", follow=True).content.decode()
    assert "已认证通过" in page
    assert Organization.objects.get(pk=orgs["wz"].pk).verification_status == "verified"


def test_the_owner_edits_and_a_stale_form_is_told(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    login(client, enterprise_owner)
    form = {
        "address": "重庆市渝中区新华路8号",
        "contact_name": "陈静",
        "contact_phone": "023-63000001",
        "contact_email": "",
        "version": org.version,
    }
    response = client.post(f"/organizations/{org.pk}/edit/", form)
    assert response.status_code == 302
    assert Organization.objects.get(pk=org.pk).address == "重庆市渝中区新华路8号"
    page = client.post(f"/organizations/{org.pk}/edit/", {**form, "address": "旧页面的地址"}).content.decode()
    assert "已被他人修改" in page
    assert Organization.objects.get(pk=org.pk).address == "重庆市渝中区新华路8号"


def test_a_plain_member_may_not_edit_or_manage(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    plain = UserFactory(username="plain_view", role="enterprise")
    Membership.objects.create(organization=org, user=plain, role="member", status="active")
    login(client, plain)
    assert client.get(f"/organizations/{org.pk}/").status_code == 200
    assert client.get(f"/organizations/{org.pk}/edit/").status_code == 403
    assert client.get(f"/organizations/{org.pk}/members/").status_code == 403


def test_the_owner_approves_a_join_request(client, enterprise_owner, django_capture_on_commit_callbacks):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    joiner = UserFactory(username="joiner_view", role="enterprise", real_name="钱七")
    membership = services.membership_request(actor=joiner, organization=org)
    login(client, enterprise_owner)
    assert "钱七" in client.get(f"/organizations/{org.pk}/members/").content.decode()
    url = f"/organizations/{org.pk}/members/{membership.pk}/decide/"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "已批准" in page
    assert Membership.objects.get(pk=membership.pk).status == "active"
    assert AuditLog.objects.filter(action="membership.approve", actor=enterprise_owner).count() == 1
    # the second click (another tab) is told, and nothing more is written
    page = client.post(url, {"decision": "decline"}, follow=True).content.decode()
    assert "当前状态为「有效」" in page
    assert Membership.objects.get(pk=membership.pk).status == "active"


def test_a_join_request_of_another_organization_is_not_found(client, enterprise_owner, provider_user):
    own = Organization.objects.get(memberships__user=enterprise_owner)
    other = Organization.objects.get(memberships__user=provider_user)
    joiner = UserFactory(username="joiner_other", role="provider")
    membership = services.membership_request(actor=joiner, organization=other)
    login(client, enterprise_owner)
    response = client.post(
        f"/organizations/{own.pk}/members/{membership.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert Membership.objects.get(pk=membership.pk).status == "pending"


def test_my_organizations_goes_straight_to_the_only_one(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    response = login(client, enterprise_owner).get("/organizations/mine/")
    assert response.status_code == 302 and response["Location"] == f"/organizations/{org.pk}/"


def test_the_api_keeps_the_scope(client, orgs, district_officer):
    login(client, district_officer)
    body = client.get("/api/v1/organizations/").json()
    names = {row["name"] for row in body.get("results", body)}
    assert "万州列表企业" in names and "渝中列表企业" not in names
    assert client.get(f"/api/v1/organizations/{orgs['yz'].pk}/").status_code == 404
