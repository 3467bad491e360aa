"""Demo services, made through the real services (drafts, submission, the district officer's
approval) so every revision, log, audit row and index entry is what the platform itself writes.

Eight published services of the demo providers, one first publication waiting for the 万州区
officer, and a fee change waiting too. Idempotent: nothing is made when services already exist.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sme.accounts.models import Role, User
from sme.organizations.models import Membership, MembershipStatus, Organization
from sme.regions.models import Region

from . import services
from .disclosures import revision_values
from .models import RevisionStatus, Service, ServiceCategory, ServiceRevision

HOURS = "工作日 9:00—17:30"

# (provider name, title, category key, fee, extra fields)
DEMO_SERVICES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "重庆三峡云服信息技术有限公司",
        "云财务管理软件部署与培训",
        "finance-management",
        {"fee_type": "fixed", "fee_amount": "6800", "small_micro_price": "4800", "delivery_workdays": "10"},
    ),
    (
        "重庆三峡云服信息技术有限公司",
        "中小企业ERP选型与实施咨询",
        "erp",
        {"fee_type": "range", "fee_min": "20000", "fee_max": "80000", "delivery_workdays": "30"},
    ),
    (
        "重庆三峡云服信息技术有限公司",
        "企业上云政策解读公益讲座",
        "policy-info",
        {"fee_type": "free", "delivery_workdays": "5", "serves_all_districts": True},
    ),
    (
        "重庆解放碑财务咨询有限公司",
        "小微企业代理记账与财税申报",
        "tax-filing",
        {"fee_type": "per_unit", "fee_amount": "300", "fee_unit": "月", "delivery_workdays": "5"},
    ),
    (
        "重庆南坪工业设计服务有限公司",
        "产品外观与结构工业设计",
        "industrial-design",
        {"fee_type": "range", "fee_min": "15000", "fee_max": "60000", "delivery_workdays": "25"},
    ),
    (
        "重庆两路空港供应链管理有限公司",
        "供应链协同平台接入服务",
        "supply-chain",
        {"fee_type": "fixed", "fee_amount": "12000", "delivery_workdays": "15", "serves_all_districts": True},
    ),
    (
        "重庆大学城信息技术培训学校",
        "企业经营者信息化管理培训班",
        "management-training",
        {"fee_type": "per_unit", "fee_amount": "1200", "fee_unit": "人", "delivery_workdays": "3"},
    ),
    (
        "重庆开州电子商务服务中心有限公司",
        "农产品网店开设与运营辅导",
        "e-commerce",
        {"fee_type": "fixed", "fee_amount": "3000", "small_micro_price": "1500", "delivery_workdays": "7"},
    ),
]


def _owner(org: Organization) -> User:
    membership = (
        Membership.objects.filter(organization=org, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .first()
    )
    assert membership is not None, org.name
    return membership.user


def _data(title: str, category: str, district: Region, fee: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": title,
        "category": ServiceCategory.objects.get(key=category).pk,
        "summary": f"{title}：按“五公开”承诺提供服务",
        "content": f"{title}。服务前免费诊断需求，服务中按约定的交付成果推进，服务后回访。",
        "process_steps": ["需求沟通与诊断", "签订服务协议", "实施服务", "交付验收", "回访"],
        "deliverables": "服务报告及约定的成果文件",
        "quality_standard": "按服务协议约定的验收标准；不满意可在30日内提出复核",
        "response_workdays": "1",
        "service_hours": HOURS,
        "district_ids": [district.pk],
        **fee,
    }


def _reviewer(district_id: int) -> User:
    officer = next(
        (
            u
            for u in User.objects.filter(role=Role.DISTRICT_OFFICER, is_active=True)
            if u.jurisdiction_id == district_id
        ),
        None,
    )
    return officer or User.objects.get(username="shiji_guanli")


@transaction.atomic
def load_demo_catalog() -> int:
    """Create the demo services once; returns how many were created (0 on a second run)."""
    if Service.objects.exists():
        return 0
    created = 0
    for provider_name, title, category, fee in DEMO_SERVICES:
        org = Organization.objects.filter(name=provider_name).select_related("district").first()
        if org is None or org.verification_status != "verified":
            continue
        owner = _owner(org)
        service = services.service_create(
            actor=owner, provider=org, data=_data(title, category, org.district, fee)
        )
        services.service_submit(actor=owner, service=service)
        revision = ServiceRevision.objects.get(service=service, status=RevisionStatus.PENDING)
        services.revision_approve(actor=_reviewer(org.district_id), revision=revision, note="五公开信息完整")
        created += 1

    wanzhou = (
        Organization.objects.filter(name="重庆三峡云服信息技术有限公司").select_related("district").first()
    )
    if wanzhou is not None:
        owner = _owner(wanzhou)
        waiting = services.service_create(
            actor=owner,
            provider=wanzhou,
            data=_data(
                "企业网络安全等级保护测评辅导",
                "security",
                wanzhou.district,
                {"fee_type": "fixed", "fee_amount": "9800", "delivery_workdays": "20"},
            ),
        )
        services.service_submit(actor=owner, service=waiting)
        created += 1
        first = Service.objects.filter(provider=wanzhou, title="云财务管理软件部署与培训").first()
        if first is not None and first.published_revision is not None:
            revision = first.published_revision
            data = revision_values(revision)
            data.update({"category": revision.category_id, "fee_amount": "7200"})
            services.service_revise(actor=owner, service=first, data=data, version=first.version)
    return created


load_demo = load_demo_catalog
