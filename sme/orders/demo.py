"""Demo orders in several states, built through the services (run after the catalog demo)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from sme.catalog.models import Service, ServiceStatus
from sme.organizations.models import (
    MANAGING_ROLES,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
)

from . import figures, services
from .models import Order

log = logging.getLogger(__name__)

# (steps after ordering, rating or None): the provider's steps then the enterprise's.
SCENARIOS: list[tuple[list[tuple[str, str, str]], dict[str, Any] | None]] = [
    ([], None),  # waiting for an answer
    ([("provider", "accept", "")], None),
    ([("provider", "accept", ""), ("provider", "start", "")], None),
    (
        [
            ("provider", "accept", ""),
            ("provider", "start", ""),
            ("provider", "deliver", "已按约定交付成果，请验收。"),
        ],
        None,
    ),
    (
        [
            ("provider", "accept", ""),
            ("provider", "start", ""),
            ("provider", "deliver", "交付诊断报告一份。"),
            ("buyer", "confirm", ""),
        ],
        {
            "quality": 5,
            "timeliness": 4,
            "attitude": 5,
            "satisfied": True,
            "comment": "报告专业，建议可落地。",
        },
    ),
    ([("provider", "decline", "本月排期已满，无法接单。")], None),
]


def _manager(organization: Organization) -> Any:
    membership = (
        Membership.objects.filter(
            organization=organization, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def load_demo(*, enterprises: list[Organization] | None = None, limit: int = len(SCENARIOS)) -> int:
    """Create demo orders once (0 on a second run): the first published services, ordered by the demo
    enterprises, walked to various states through the services, one completed and rated."""
    if Order.objects.exists():
        return 0
    if enterprises is None:
        enterprises = list(
            Organization.objects.filter(
                kind=OrganizationKind.ENTERPRISE, verification_status="verified"
            ).order_by("pk")[:3]
        )
    buyers = [(e, _manager(e)) for e in enterprises]
    buyers = [(e, u) for e, u in buyers if u is not None]
    if not buyers:
        log.warning("orders demo: no verified enterprise with an owner; skipped")
        return 0
    published = list(
        Service.objects.filter(status=ServiceStatus.PUBLISHED, published_revision__isnull=False)
        .select_related("provider", "published_revision")
        .order_by("pk")[: limit * 3]
    )
    created = 0
    for i, (steps, rating) in enumerate(SCENARIOS[:limit]):
        enterprise, buyer = buyers[i % len(buyers)]
        service = next(
            (
                s
                for s in published[i:] + published[:i]
                if s.published_revision is not None
                and s.published_revision.fee_type != "range"
                and (
                    s.published_revision.serves_all_districts
                    or enterprise.district_id in s.published_revision.district_ids
                )
            ),
            None,
        )
        if service is None:
            continue
        provider_manager = _manager(service.provider)
        if provider_manager is None:
            continue
        order = services.order_create(
            actor=buyer,
            enterprise=enterprise,
            service=service,
            requirements="演示订单：请按服务条款提供服务。",
        )
        for side, action, note in steps:
            actor = provider_manager if side == "provider" else buyer
            order = services.order_transition(actor=actor, order=order, action=action, note=note)
        if rating is not None:
            services.order_rate(actor=buyer, order=order, **rating)
        created += 1
    figures.rebuild()
    return created
