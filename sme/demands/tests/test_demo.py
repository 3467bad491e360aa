from sme.demands.demo import DEMO_TITLE, ENTERPRISE, PROVIDERS, load_demo
from sme.demands.models import Demand, ProposalStatus
from sme.demands.tests import factories as f
from sme.testing.factories import OrganizationFactory, UserFactory


def test_demo_demand_with_two_proposals_once(yuzhong, wanzhou):
    f.category("企业资源计划")
    owner = UserFactory(username="demo_ent", role="enterprise")
    OrganizationFactory(district=yuzhong, owner=owner, verification_status="verified", name=ENTERPRISE)
    for name, district in zip(PROVIDERS, (wanzhou, yuzhong), strict=True):
        f.provider(district, name=name)
    assert load_demo() == 1
    demand = Demand.objects.get(title=DEMO_TITLE)
    assert demand.status == "open"
    assert [p.status for p in demand.proposals.all()] == [ProposalStatus.SUBMITTED] * 2
    assert load_demo() == 0
    assert Demand.objects.count() == 1
