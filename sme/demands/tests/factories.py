"""A small world for the demand tests: categories, providers (certified or not) and demands made
through the services, the way the enterprise and the providers would."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sme.accounts.models import User
from sme.catalog.models import ServiceCategory
from sme.certification.tests.lifecycle_factories import certification
from sme.core import clock
from sme.demands import services
from sme.demands.models import Demand, Proposal
from sme.organizations.models import Organization
from sme.regions.models import Region
from sme.testing.factories import OrganizationFactory, UserFactory

_seq = itertools.count(1)


def category(name: str = "企业资源计划", parent: ServiceCategory | None = None) -> ServiceCategory:
    n = next(_seq)
    return ServiceCategory.objects.create(key=f"cat-{n}", name=name, parent=parent, sort_order=n)


def provider(
    district: Region, *, name: str | None = None, certified: bool = False, username: str | None = None
) -> tuple[User, Organization]:
    """A verified provider with its owner; ``certified`` gives it a certification in force."""
    n = next(_seq)
    user = UserFactory.create(username=username or f"dm_provider_{n}", role="provider")
    org = OrganizationFactory.create(
        district=district,
        kind="service_provider",
        verification_status="verified",
        name=name or f"重庆测试服务机构{n}有限公司",
        owner=user,
    )
    if certified:
        certification(org, granted_on=clock.today() - dt.timedelta(days=200))
    return user, org


def enterprise_of(user: User) -> Organization:
    return Organization.objects.get(memberships__user=user, kind="enterprise")


def provider_of(user: User) -> Organization:
    return Organization.objects.get(memberships__user=user, kind="service_provider")


def demand(
    owner: User,
    *,
    cat: ServiceCategory | None = None,
    deadline: dt.date | None = None,
    **fields: Any,
) -> Demand:
    """An open demand of ``owner``'s enterprise, posted through the service."""
    values: dict[str, Any] = {
        "title": "ERP 系统选型与实施",
        "description": "我司约80人，需要上线进销存和财务一体化系统，含数据迁移和培训。",
        "budget_min": "30000",
        "budget_max": "80000",
        "visibility": "all",
    }
    values.update(fields)
    return services.demand_create(
        actor=owner,
        enterprise=enterprise_of(owner),
        category=cat or category(),
        deadline=deadline or clock.today() + dt.timedelta(days=14),
        **values,
    )


def proposal(
    user: User, on: Demand, *, price: str | Decimal = "50000", days: int = 20, approach: str = "三阶段实施"
) -> Proposal:
    return services.proposal_submit(
        actor=user,
        demand=on,
        provider=provider_of(user),
        price=price,
        delivery_workdays=days,
        approach=approach,
    )
