"""A public rating on a published service of the 万州 provider persona, built with the ORM."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sme.orders.models import Rating
from sme.orders.tests.factories import completed_order, published_service
from sme.organizations.models import Organization


def org_of(user: Any) -> Organization:
    return Organization.objects.get(memberships__user=user)


def public_rating(
    enterprise_owner: Any, provider_user: Any, *, comment: str = "骗子公司，收钱不办事！", reply: str = ""
) -> Rating:
    enterprise, provider = org_of(enterprise_owner), org_of(provider_user)
    service = published_service(provider)
    order = completed_order(
        enterprise=enterprise,
        provider=provider,
        service=service,
        completed_at=timezone.now() - dt.timedelta(days=2),
    )
    return Rating.objects.create(
        order=order,
        enterprise=enterprise,
        provider=provider,
        service=service,
        quality=1,
        timeliness=1,
        attitude=1,
        satisfied=False,
        comment=comment,
        rated_by=enterprise_owner,
        reply=reply,
        replied_by=provider_user if reply else None,
        replied_at=timezone.now() if reply else None,
    )
