"""Reads of organizations per role and scope: an officer sees their jurisdiction only, an
organization's people see their own organizations only, everyone else nothing."""

from __future__ import annotations

import pytest

from sme.organizations import selectors
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(wanzhou, yuzhong):
    """Two organizations in 万州区 (one pending), one in 渝中区, and the people around them."""
    wz_owner = UserFactory(username="wz_owner_s", role="enterprise")
    yz_owner = UserFactory(username="yz_owner_s", role="enterprise")
    wz_pending = OrganizationFactory(district=wanzhou, owner=wz_owner, name="万州待审企业")
    wz_verified = OrganizationFactory(district=wanzhou, verified=True, name="万州已认证企业")
    yz = OrganizationFactory(district=yuzhong, owner=yz_owner, verified=True, name="渝中企业")
    return {"wz_owner": wz_owner, "yz_owner": yz_owner, "wz_pending": wz_pending, "wz": wz_verified, "yz": yz}


def _names(qs):
    return set(qs.values_list("name", flat=True))


def test_a_district_officer_sees_their_district_only(world, district_officer, other_district_officer):
    assert _names(selectors.organizations_visible_to(district_officer)) == {"万州待审企业", "万州已认证企业"}
    assert _names(selectors.organizations_visible_to(other_district_officer)) == {"渝中企业"}
    assert selectors.organization_for(district_officer, world["yz"].pk) is None
    assert selectors.organization_for(other_district_officer, world["wz"].pk) is None


def test_a_district_officer_keeps_the_records_of_a_division_their_district_replaced(db):
    from sme.regions.models import Region

    kaizhou = Region.objects.current().get(code="500154", level="district")
    old_kaixian = Region.objects.get(code="500234", successor=kaizhou)
    org = OrganizationFactory(district=old_kaixian)
    assert (
        selectors.organization_for(officer("district_officer", kaizhou, username="kz_officer"), org.pk) == org
    )


def test_city_officer_and_administrator_see_every_district(world, city_officer, admin_user):
    everything = {"万州待审企业", "万州已认证企业", "渝中企业"}
    assert _names(selectors.organizations_visible_to(city_officer)) >= everything
    assert _names(selectors.organizations_visible_to(admin_user)) >= everything


def test_an_organizations_people_see_their_own_only(world):
    assert _names(selectors.organizations_visible_to(world["wz_owner"])) == {"万州待审企业"}
    assert _names(selectors.organizations_visible_to(world["yz_owner"])) == {"渝中企业"}
    assert selectors.organization_for(world["wz_owner"], world["yz"].pk) is None


def test_a_pending_or_declined_member_sees_nothing_yet(world):
    asking = UserFactory(username="asking", role="enterprise")
    declined = UserFactory(username="declined", role="enterprise")
    Membership.objects.create(organization=world["yz"], user=asking, status="pending")
    Membership.objects.create(organization=world["yz"], user=declined, status="declined")
    assert not selectors.organizations_visible_to(asking).exists()
    assert not selectors.organizations_visible_to(declined).exists()


def test_experts_anonymous_and_inactive_people_see_nothing(world, expert, district_officer):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.organizations_visible_to(expert).exists()
    assert not selectors.organizations_visible_to(AnonymousUser()).exists()
    district_officer.is_active = False
    assert not selectors.organizations_visible_to(district_officer).exists()


def test_the_list_filters_within_the_scope(world, district_officer, city_officer, yuzhong):
    pending = selectors.organization_list(district_officer, status="pending")
    assert _names(pending) == {"万州待审企业"}
    # a district officer asking for another district gets nothing, not that district
    assert not selectors.organization_list(district_officer, district_id=yuzhong.pk).exists()
    assert _names(selectors.organization_list(city_officer, district_id=yuzhong.pk)) == {"渝中企业"}
    assert _names(selectors.organization_list(city_officer, q="万州")) >= {"万州待审企业", "万州已认证企业"}
    by_code = selectors.organization_list(city_officer, q=world["yz"].uscc.lower())
    assert list(by_code) == [world["yz"]]
    assert _names(selectors.organization_list(district_officer, status="nonsense")) == {
        "万州待审企业",
        "万州已认证企业",
    }


def test_the_list_sorts(world, district_officer):
    names = [o.name for o in selectors.organization_list(district_officer, sort="oldest")]
    assert names == ["万州待审企业", "万州已认证企业"]
    names = [o.name for o in selectors.organization_list(district_officer, sort="newest")]
    assert names == ["万州已认证企业", "万州待审企业"]


def test_members_and_join_requests(world):
    org = world["yz"]
    asking = UserFactory(username="asking2", role="enterprise")
    declined = UserFactory(username="declined2", role="enterprise")
    request = Membership.objects.create(organization=org, user=asking, status="pending")
    Membership.objects.create(organization=org, user=declined, status="declined")
    assert list(selectors.pending_join_requests(org)) == [request]
    assert {m.user for m in selectors.members_of(org)} == {world["yz_owner"], asking}
    assert selectors.membership_in(org, request.pk) == request
    assert selectors.membership_in(world["wz"], request.pk) is None


def test_pending_counts(world, district_officer, city_officer):
    assert selectors.pending_verification_count(district_officer) == 1
    rows = selectors.pending_verification_by_district(city_officer)
    assert {(r["district__name"], r["n"]) for r in rows} >= {("万州区", 1)}
    assert all(isinstance(r["district"], int) for r in rows)


@pytest.mark.parametrize(
    ("code", "district_code", "mismatch"),
    [
        ("500101", "500101", False),  # the same district
        ("500103", "500101", True),  # another district
        ("500000", "500101", False),  # registered at city level
        ("500234", "500154", False),  # 开县, which 开州区 replaced
        ("510100", "500101", True),  # another province's prefecture
    ],
)
def test_region_mismatch(code, district_code, mismatch):
    from sme.regions.models import Region

    district = Region.objects.current().get(code=district_code, level="district")
    assert selectors.region_mismatch(f"91{code}MA0000000X", district) is mismatch


def test_memberships_of_lists_every_status(world):
    org = world["wz"]
    Membership.objects.create(organization=org, user=world["yz_owner"], status="pending")
    assert {m.organization for m in selectors.memberships_of(world["yz_owner"])} == {world["yz"], org}
    assert Organization.objects.count() >= 3


def test_the_city_officers_per_district_todos_link_to_their_district(client, city_officer, wanzhou, yuzhong):
    from conftest import login
    from sme.core.todos import todos_for

    OrganizationFactory(district=wanzhou, verification_status="pending")
    OrganizationFactory(district=yuzhong, verification_status="pending")
    links = {t.url for t in todos_for(city_officer) if "机构认证待审核" in t.title}
    assert links == {
        f"/organizations/?status=pending&district={wanzhou.pk}",
        f"/organizations/?status=pending&district={yuzhong.pk}",
    }
    login(client, city_officer)
    page = client.get(f"/organizations/?status=pending&district={wanzhou.pk}").content.decode()
    assert "万州" in page
