"""Demo data for 需求对接, made through the real services: the enterprise persona's open demand for an
ERP roll-out, answered by the provider persona and by a second provider in 渝中区."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sme.accounts.models import User
from sme.catalog.models import ServiceCategory
from sme.core import clock
from sme.organizations.models import Membership, MembershipStatus, Organization

from . import services
from .models import Demand

DEMO_TITLE = "进销存与财务一体化系统上线"
ENTERPRISE = "重庆渝中智联科技有限公司"
PROVIDERS = ("重庆三峡云服信息技术有限公司", "重庆解放碑财务咨询有限公司")


def _category() -> ServiceCategory | None:
    active = ServiceCategory.objects.filter(is_active=True)
    return (
        active.filter(name__contains="企业资源计划").first()
        or active.filter(parent__isnull=False).order_by("sort_order", "id").first()
        or active.order_by("sort_order", "id").first()
    )


def _member_of(name: str) -> tuple[User, Organization] | None:
    membership = (
        Membership.objects.filter(organization__name=name, status=MembershipStatus.ACTIVE)
        .select_related("user", "organization")
        .order_by("id")
        .first()
    )
    return (membership.user, membership.organization) if membership else None


@transaction.atomic
def load_demo(*, today: dt.date | None = None) -> int:
    """Create the demo demand once; returns how many demands were created (0 when already there, or
    when the organizations or the catalogue's categories are not loaded yet)."""
    if Demand.objects.filter(title=DEMO_TITLE).exists():
        return 0
    category = _category()
    enterprise = _member_of(ENTERPRISE)
    providers = [p for p in (_member_of(name) for name in PROVIDERS) if p is not None]
    if category is None or enterprise is None or len(providers) < 2:
        return 0
    owner, enterprise_org = enterprise
    day = today or clock.today()
    demand = services.demand_create(
        actor=owner,
        enterprise=enterprise_org,
        category=category,
        title=DEMO_TITLE,
        description=(
            "我司现有员工约80人，采购、库存和财务分别用三套表格管理，月底对账需要一周。"
            "希望上线一套进销存与财务一体化系统：迁移近两年的存货和往来数据，培训10名业务人员，"
            "上线后提供三个月驻场或远程支持。"
        ),
        budget_min="30000",
        budget_max="80000",
        deadline=day + dt.timedelta(days=20),
        visibility="all",
    )
    offers = [
        (
            "52000",
            25,
            "分三阶段实施：业务调研与流程梳理（5个工作日）、系统配置与数据迁移（15个工作日）、"
            "培训与试运行（5个工作日）。交付系统配置说明、数据迁移报告和操作手册。",
        ),
        (
            "61000",
            18,
            "采用云端订阅版，免去服务器投入；两周内完成配置和数据迁移，"
            "财务顾问驻场三天辅导月结；首年订阅费已含在报价内。",
        ),
    ]
    for (user, org), (price, days, approach) in zip(providers, offers, strict=True):
        services.proposal_submit(
            actor=user, demand=demand, provider=org, price=price, delivery_workdays=days, approach=approach
        )
    return 1
