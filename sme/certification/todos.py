"""What certification work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core.todos import Todo

from . import selectors
from .models import ApplicationStatus, ObjectionStatus


def todos_for(user: Any) -> list[Todo]:
    items: list[Todo] = []
    queue = reverse("certification:queue")
    if user.role == Role.DISTRICT_OFFICER:
        counts = selectors.queue_counts(user)
        waiting = counts.get(ApplicationStatus.SUBMITTED, 0)
        if waiting:
            items.append(
                Todo(
                    _("平台认定申请待审查"),
                    queue,
                    detail=_("2月底前推荐至市级"),
                    count=waiting,
                    level="warning",
                )
            )
    elif user.role == Role.CITY_OFFICER:
        counts = selectors.queue_counts(user)
        recommended = counts.get(ApplicationStatus.RECOMMENDED, 0)
        if recommended:
            items.append(
                Todo(
                    _("区县推荐的平台待指派专家"),
                    f"{queue}?status=recommended",
                    count=recommended,
                    level="warning",
                )
            )
        objections = (
            selectors.applications_visible_to(user)
            .filter(status=ApplicationStatus.NOTICE, notices__objections__status=ObjectionStatus.OPEN)
            .distinct()
            .count()
        )
        if objections:
            items.append(
                Todo(_("公示异议待处理"), f"{queue}?status=notice", count=objections, level="danger")
            )
    elif user.role == Role.EXPERT:
        pending = (
            selectors.expert_reviews_for(user)
            .filter(submitted_at__isnull=True, application__status=ApplicationStatus.CITY_REVIEW)
            .count()
        )
        if pending:
            items.append(
                Todo(
                    _("平台认定评审待评分"),
                    reverse("certification:expert-home"),
                    count=pending,
                    level="warning",
                )
            )
    elif user.role in (Role.PROVIDER, Role.ENTERPRISE):
        returned = selectors.applications_visible_to(user).filter(status=ApplicationStatus.RETURNED).count()
        if returned:
            items.append(
                Todo(
                    _("认定申请被退回，请补充材料"),
                    reverse("certification:home"),
                    count=returned,
                    level="danger",
                )
            )
    return items
