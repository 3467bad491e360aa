"""Factories for enterprise profiles, yearly figures and imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from sme.enterprises.models import EnterpriseProfile, EnterpriseYearFigures
from sme.testing.factories import OrganizationFactory


class EnterpriseProfileFactory(factory.django.DjangoModelFactory[EnterpriseProfile]):
    class Meta:
        model = EnterpriseProfile

    organization = factory.SubFactory(OrganizationFactory, verification_status="verified")
    industry_code = "C"
    industry_section = "C"

    class Params:
        specialized = factory.Trait(is_specialized_new=True)
        tech = factory.Trait(is_tech_sme=True)
        high_tech = factory.Trait(is_high_tech=True)


class YearFiguresFactory(factory.django.DjangoModelFactory[EnterpriseYearFigures]):
    class Meta:
        model = EnterpriseYearFigures

    organization = factory.SubFactory(OrganizationFactory, verification_status="verified")
    year = factory.LazyFunction(lambda: dt.date.today().year - 1)
    employees = 50
    revenue_wan = Decimal("1500")
    assets_wan = Decimal("800")
