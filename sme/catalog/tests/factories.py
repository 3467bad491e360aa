"""Services in each state, made through the real services (so revisions, logs and the index are real)."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import User
from sme.catalog import services
from sme.catalog.models import RevisionStatus, Service, ServiceCategory, ServiceRevision
from sme.organizations.models import Organization
from sme.regions.models import Region


def complete_data(**overrides: Any) -> dict[str, Any]:
    """A revision with all five disclosures filled (fixed price 8,000 元, 万州区)."""
    wanzhou = Region.objects.current().get(code="500101", level="district")
    data: dict[str, Any] = {
        "title": "财务管理软件实施服务",
        "category": ServiceCategory.objects.get(key="finance-management").pk,
        "summary": "为小微企业部署云财务软件并培训财务人员",
        "content": "部署云端财务管理软件，导入期初数据，配置凭证模板。",
        "process_steps": ["需求调研", "部署与数据导入", "培训与验收"],
        "deliverables": "可用的财务系统账套、培训记录",
        "quality_standard": "符合《企业会计准则》的科目设置",
        "fee_type": "fixed",
        "fee_amount": "8000",
        "response_workdays": "2",
        "delivery_workdays": "10",
        "service_hours": "工作日 9:00—17:30",
        "district_ids": [wanzhou.pk],
    }
    data.update(overrides)
    return data


def provider_org_of(user: User) -> Organization:
    return Organization.objects.get(memberships__user=user)


def draft_service(user: User, **overrides: Any) -> Service:
    return services.service_create(
        actor=user, provider=provider_org_of(user), data=complete_data(**overrides)
    )


def pending_service(user: User, **overrides: Any) -> Service:
    service = draft_service(user, **overrides)
    services.service_submit(actor=user, service=service)
    service.refresh_from_db()
    return service


def published_service(user: User, officer: User, **overrides: Any) -> Service:
    service = pending_service(user, **overrides)
    revision = ServiceRevision.objects.get(service=service, status=RevisionStatus.PENDING)
    services.revision_approve(actor=officer, revision=revision)
    service.refresh_from_db()
    return service
