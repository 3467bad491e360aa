"""What certification work waits for a user, for their landing page: the case (``todos_for``) and
after certification (``lifecycle_todos``). Both are registered with ``sme.core.todos`` in ``apps.py``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core.todos import Todo

from .figures import long_date
from .models import ApplicationStatus
from .selectors import applications as application_selectors
from .selectors import notices as notice_selectors
from .selectors import rereviews as rereview_selectors
from .selectors import reviews as review_selectors
from .selectors import titles as title_selectors


def todos_for(user: Any) -> list[Todo]:
    items: list[Todo] = []
    queue = reverse("certification:queue")
    if user.role == Role.DISTRICT_OFFICER:
        counts = application_selectors.queue_counts(user)
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
        counts = application_selectors.queue_counts(user)
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
        objections = notice_selectors.applications_with_open_objections(user)
        if objections:
            items.append(
                Todo(_("公示异议待处理"), f"{queue}?status=notice", count=objections, level="danger")
            )
    elif user.role == Role.EXPERT:
        pending = (
            review_selectors.expert_reviews_for(user)
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
        returned = (
            application_selectors.applications_visible_to(user)
            .filter(status=ApplicationStatus.RETURNED)
            .count()
        )
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


def _platform_todos(user: Any) -> list[Todo]:
    items: list[Todo] = []
    for duty in title_selectors.duties_pending_for(user):
        items.append(
            Todo(
                _("报送%(year)s年度工作总结：%(name)s")
                % {"year": duty.year, "name": duty.certification.platform_name},
                reverse("certification:summary-new", args=[duty.certification_id]),
                detail=_("期限 %(due)s") % {"due": long_date(duty.due_on)},
                level="danger" if duty.overdue_since else "warning",
            )
        )
    for r in rereview_selectors.drafts_for(user):
        items.append(
            Todo(
                _("填写并报送三年复核材料：%(name)s") % {"name": r.certification.platform_name},
                reverse("certification:rereview", args=[r.pk]),
                detail=_("本周期有效期至 %(until)s") % {"until": long_date(r.cycle_ends_on)},
                level="warning",
            )
        )
    for sc in rereview_selectors.open_spot_checks_for(user):
        items.append(
            Todo(
                _("抽查整改：%(name)s") % {"name": sc.certification.platform_name},
                reverse("certification:spot-check", args=[sc.pk]),
                detail=_("整改期限 %(due)s") % {"due": long_date(sc.rectification_due)}
                if sc.rectification_due
                else "",
                level="warning",
            )
        )
    return items


def lifecycle_todos(user: Any) -> list[Todo]:
    """What after-certification work waits for ``user``."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.role in (Role.ENTERPRISE, Role.PROVIDER):
        return _platform_todos(user)
    items: list[Todo] = []
    if user.role not in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):
        return items
    waiting = rereview_selectors.rereview_queue(user).count()
    if waiting:
        items.append(
            Todo(
                _("三年复核待审查") if user.role == Role.DISTRICT_OFFICER else _("三年复核待市级复核"),
                reverse("certification:rereviews"),
                count=waiting,
                level="warning",
            )
        )
    overdue = title_selectors.overdue_summaries(user).count()
    if overdue:
        items.append(
            Todo(
                _("年度工作总结逾期未报送"),
                reverse("certification:overdue-summaries"),
                count=overdue,
                level="secondary",
            )
        )
    if user.role == Role.CITY_OFFICER:
        reported = rereview_selectors.rectified_open_spot_checks(user)
        if reported:
            items.append(
                Todo(
                    _("抽查整改已报送，待作结论"),
                    reverse("certification:spot-checks") + "?status=open",
                    count=reported,
                    level="warning",
                )
            )
    return items
