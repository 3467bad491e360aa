from __future__ import annotations

from sme.enterprises.demo import load_demo_enterprises
from sme.enterprises.models import EnterpriseProfile, EnterpriseYearFigures
from sme.testing.factories import OrganizationFactory


def test_demo_enterprises_get_profiles_and_two_years_once(wanzhou):
    big = OrganizationFactory(name="重庆綦江齿轮传动有限公司", district=wanzhou)
    small = OrganizationFactory(name="重庆渝中智联科技有限公司", district=wanzhou)
    OrganizationFactory(name="重庆三峡云服信息技术有限公司", kind="service_provider", district=wanzhou)
    assert load_demo_enterprises() == 2
    assert load_demo_enterprises() == 0
    assert EnterpriseYearFigures.objects.filter(organization=big).count() == 2
    assert EnterpriseProfile.objects.get(organization=big).size_class == "large"
    profile = EnterpriseProfile.objects.get(organization=small)
    assert (profile.industry_code, profile.size_class, profile.is_tech_sme) == ("65", "small", True)
    assert profile.size_reasons
