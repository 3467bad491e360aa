"""Reads of the city review: the experts' assignments and scores, and who may review what."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sme.accounts.models import Role, User
from sme.organizations.models import Membership, Organization

from ..models import Application, ExpertConflict, ExpertReview

# The city review needs at least this many experts, every one of whom has scored (第十条).
MIN_EXPERTS = 3


def expert_reviews_for(user: Any) -> QuerySet[ExpertReview]:
    """The assignments of expert ``user``, those still to score first."""
    return (
        ExpertReview.objects.filter(expert=user)
        .select_related("application", "application__organization", "application__district")
        .order_by("submitted_at", "created_at")
    )


def reviews_of(application: Application) -> list[ExpertReview]:
    return list(application.expert_reviews.select_related("expert"))


def review_of(application: Application, expert: Any) -> ExpertReview | None:
    """``expert``'s assignment to ``application`` (None when not assigned)."""
    if not getattr(expert, "is_authenticated", False):
        return None
    return (
        ExpertReview.objects.filter(application=application, expert=expert).select_related("scheme").first()
    )


def scores_complete(application: Application) -> bool:
    """At least :data:`MIN_EXPERTS` experts assigned, and every one of them has scored."""
    reviews = list(application.expert_reviews.all())
    return len(reviews) >= MIN_EXPERTS and all(r.submitted_at for r in reviews)


def assigned_expert_ids(application: Application) -> set[int]:
    return set(application.expert_reviews.values_list("expert_id", flat=True))


def experts() -> QuerySet[User]:
    """The experts in the register, by name (the assignment form's choices)."""
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("real_name", "username")


def conflicts_of(expert: Any) -> QuerySet[ExpertConflict]:
    return ExpertConflict.objects.filter(expert=expert).select_related("organization")


def expert_problem(expert: Any, application: Application) -> str | None:
    """Why ``expert`` may not review ``application`` (None: they may)."""
    if getattr(expert, "role", None) != Role.EXPERT or not expert.is_active:
        return _("%(name)s 不是在册的评审专家。") % {"name": expert.display_name}
    if Membership.objects.filter(user=expert, organization_id=application.organization_id).exists():
        return _("%(name)s 是申报单位的成员，应当回避。") % {"name": expert.display_name}
    conflict = ExpertConflict.objects.filter(
        expert=expert, organization_id=application.organization_id
    ).first()
    if conflict is not None:
        return _("%(name)s 已申报与申报单位存在利益关系（%(reason)s），应当回避。") % {
            "name": expert.display_name,
            "reason": conflict.reason,
        }
    return None


def organization_by_uscc(code: str) -> Organization | None:
    """The organization an expert names by its 统一社会信用代码 when declaring a conflict."""
    return Organization.objects.filter(uscc=code).first()
