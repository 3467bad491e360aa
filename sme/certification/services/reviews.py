"""Writes of the city review: assigning experts, experts' declared conflicts and scores, and the
deciding authority's decision (approval publishes the public notice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import audit, clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import Organization

from .. import figures
from ..models import Application, ApplicationStatus, ExpertConflict, ExpertReview
from ..permissions import roles_for
from ..selectors import reviews as selectors
from ..workflow import APPLICATION, CITY_REVIEWER
from . import notices, people

CITY_ACTIONS = ("approve_notice", "city_return", "city_reject")


@transaction.atomic
def application_assign_experts(
    *, actor: Any, application: Application, experts: Iterable[Any]
) -> Application:
    """Assign experts for the city review. At least three in all; none with a conflict of interest.

    The first assignment moves a recommended application into city review, and only once its review
    round has begun (a recommendation after the deadline waits for next year's round); later ones add
    experts to the review under way.
    """
    roles = roles_for(actor, application)
    if CITY_REVIEWER not in roles:
        raise NotAllowed(_("只有认定机关可以指派评审专家。"))
    if application.status not in (ApplicationStatus.RECOMMENDED, ApplicationStatus.CITY_REVIEW):
        raise Conflict(
            _("申请当前状态为「%(status)s」，不能指派专家。") % {"status": application.get_status_display()}
        )
    if application.round_year and application.round_year > clock.today().year:
        raise NotAllowed(
            _("该申请属于%(year)s年度评审轮次，%(year)s年1月1日起方可安排评审。")
            % {"year": application.round_year}
        )
    chosen = list({e.pk: e for e in experts}.values())
    already = selectors.assigned_expert_ids(application)
    new = [e for e in chosen if e.pk not in already]
    problems = [p for p in (selectors.expert_problem(e, application) for e in new) if p]
    if problems:
        raise InvalidInput(problems[0], {"experts": problems})
    if len(already) + len(new) < selectors.MIN_EXPERTS:
        message = _("至少需要指派%(n)s名评审专家（已指派%(m)s名）。") % {
            "n": selectors.MIN_EXPERTS,
            "m": len(already) + len(new),
        }
        raise InvalidInput(message, {"experts": [message]})
    if not new:
        raise InvalidInput(_("请选择新的评审专家。"), {"experts": [_("所选专家均已指派。")]})
    ExpertReview.objects.bulk_create(
        [
            ExpertReview(application=application, expert=e, assigned_by=actor, scheme=application.scheme)
            for e in new
        ]
    )
    names = "、".join(e.display_name for e in new)
    if application.status == ApplicationStatus.RECOMMENDED:
        application = apply_transition(
            workflow=APPLICATION,
            obj=application,
            action="assign_experts",
            actor=actor,
            roles=roles,
            note=_("指派专家：%(names)s") % {"names": names},
        )
    else:
        audit.record(
            "certification_application.assign_experts",
            actor=actor,
            obj=application,
            summary=msg("增派专家：%(names)s", names=names),
        )
    notify(
        new,
        title=msg("评审任务：%(name)s", name=application.platform_name),
        body=msg("请按评审表打分。申报编号 %(reference)s", reference=application.reference),
        url=reverse("certification:expert-review", args=[application.pk]),
        event="certification",
    )
    return application


@transaction.atomic
def expert_conflict_declare(*, actor: Any, organization: Organization, reason: str) -> ExpertConflict:
    """An expert declares a conflict of interest with an organization; they are never assigned to it."""
    if getattr(actor, "role", None) != Role.EXPERT:
        raise NotAllowed(_("只有评审专家可以申报回避。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请说明回避原因。"), {"reason": [_("必填")]})
    conflict, created = ExpertConflict.objects.get_or_create(
        expert=actor, organization=organization, defaults={"reason": reason[:200]}
    )
    if created:
        audit.record(
            "certification_expert.conflict_declare",
            actor=actor,
            obj=organization,
            summary=msg("申报回避：%(reason)s", reason=reason[:200]),
        )
    return conflict


@transaction.atomic
def expert_review_submit(
    *, actor: Any, application: Application, scores: Mapping[str, Any], comment: str = ""
) -> ExpertReview:
    """An assigned expert scores on the scheme's form; a submitted score is final."""
    review = (
        ExpertReview.objects.select_for_update().filter(application=application, expert=actor).first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if review is None:
        raise NotAllowed(_("您不是该申请的评审专家。"))
    if application.status != ApplicationStatus.CITY_REVIEW:
        raise Conflict(_("申请当前不在专家评审阶段。"))
    if review.submitted_at is not None:
        raise Conflict(_("您已提交评分，不能再次修改。"))
    problems = Problems()
    items = (review.scheme.expert_form or {}).get("items", [])
    cleaned, total = figures.clean_scores(items, scores, prefix="scores", problems=problems, complete=True)
    problems.raise_if_any(_("评分有误，请按提示修改。"))
    stored = {key: str(value) for key, value in cleaned.items()}
    ExpertReview.objects.filter(pk=review.pk).update(
        scores=stored, total=total, comment=(comment or "").strip(), submitted_at=clock.now()
    )
    review.refresh_from_db()
    audit.record(
        "certification_application.expert_score",
        actor=actor,
        obj=application,
        summary=msg("专家提交评分：总分 %(total)s", total=figures.shown(total)),
        changes={"scores": stored},
    )
    if selectors.scores_complete(application):
        notify(
            people.deciders(application.scheme),
            title=msg("专家评分已全部提交：%(name)s", name=application.platform_name),
            url=people.application_url(application),
            event="certification",
        )
    return review


@transaction.atomic
def application_city_decide(
    *, actor: Any, application: Application, action: str, note: str = "", published_on: dt.date | None = None
) -> Application:
    """The deciding authority's step: ``approve_notice`` (publishes the notice), ``city_return`` or
    ``city_reject``. Approval needs every assigned expert's score, at least three (the table's guard)."""
    if action not in CITY_ACTIONS:
        raise InvalidInput(_("未知的操作：%(action)s") % {"action": action})
    application = apply_transition(
        workflow=APPLICATION,
        obj=application,
        action=action,
        actor=actor,
        roles=roles_for(actor, application),
        note=note,
        updates={"decision_note": note.strip(), "decided_at": clock.now()},
    )
    if action == "approve_notice":
        # In the same transaction: a calendar that does not cover the notice undoes the approval.
        notices.notice_publish(
            actor=actor, application=application, published_on=published_on or clock.today()
        )
    notify(
        people.applicant_people(application),
        title=msg("您的认定申请：%(action)s", action=APPLICATION.action_label(action)),
        body=note,
        url=people.application_url(application),
        event="certification",
    )
    return application
