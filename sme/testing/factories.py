"""factory_boy factories with a trait per status. Credit codes are generated valid for the district."""

from __future__ import annotations

import random

import factory

from sme.accounts.models import User
from sme.organizations import uscc
from sme.organizations.models import Membership, Organization
from sme.regions.models import Region

TEST_PASSWORD = "Test-Pass-2026"
_rng = random.Random(4754)


def current_district(code: str = "500103") -> Region:
    return Region.objects.current().get(code=code, level__in=["district", "province"])


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    role = "enterprise"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def officer(role: str, region: Region, **kwargs) -> User:
    return UserFactory.create(role=role, jurisdiction=region, **kwargs)


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    kind = "enterprise"
    name = factory.Sequence(lambda n: f"重庆测试企业{n}有限公司")
    district = factory.LazyFunction(current_district)
    uscc = factory.LazyAttribute(lambda o: uscc.make(o.district.code or "500000", rng=_rng))
    legal_representative = "张三"
    address = "重庆市某区某路1号"
    contact_name = "张三"
    contact_phone = "023-63000000"
    verification_status = "pending"

    class Params:
        verified = factory.Trait(verification_status="verified")
        rejected = factory.Trait(verification_status="rejected", rejection_reason="材料不全")

    @factory.post_generation
    def owner(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            Membership.objects.create(organization=obj, user=extracted, role="owner", status="active")
