"""Writes to demands: posting one, the enterprise ending it (close, withdraw), an officer hiding it,
and the enterprise's read marker for new proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sme.catalog.models import ServiceCategory
from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify
from sme.organizations.models import Organization, OrganizationKind, VerificationStatus
from sme.regions.models import Region
from sme.regions.selectors import districts as current_districts

from ..models import Demand, DemandVisibility
from ..permissions import demand_roles, enterprise_people, is_enterprise_member, may_hide
from ..workflow import DEMAND
from .common import EVENT, next_version, raise_first, tell_not_selected, with_note
from .proposals import proposals_not_select

TITLE_MAX = 120
MAX_DEADLINE_DAYS = 365


@transaction.atomic
def demand_create(
    *,
    actor: Any,
    enterprise: Organization,
    category: ServiceCategory | None,
    title: str,
    description: str,
    deadline: dt.date | None,
    budget_min: Any = None,
    budget_max: Any = None,
    district: Region | None = None,
    visibility: str = DemandVisibility.ALL,
) -> Demand:
    """Post a demand for ``enterprise``; the district defaults to the enterprise's own."""
    if enterprise.kind != OrganizationKind.ENTERPRISE or not is_enterprise_member(actor, enterprise.pk):
        raise NotAllowed(_("只有已认证企业的成员可以为本企业发布需求。"))
    if enterprise.verification_status != VerificationStatus.VERIFIED:
        raise NotAllowed(_("企业信息通过区县审核后才能发布需求。"))
    problems = Problems()
    title = (title or "").strip()
    if not title:
        problems.add("title", _("请填写需求名称。"))
    elif len(title) > TITLE_MAX:
        problems.add("title", _("需求名称不能超过 %(n)d 个字。") % {"n": TITLE_MAX})
    description = (description or "").strip()
    if not description:
        problems.add("description", _("请填写需求描述：要解决什么问题、期望交付什么。"))
    if category is None:
        problems.add("category", _("请选择服务类别。"))
    elif not category.is_active:
        problems.add("category", _("该服务类别已停用，请另选。"))
    low = parsing.money(budget_min, "budget_min", problems, label=_("预算下限"))
    high = parsing.money(budget_max, "budget_max", problems, label=_("预算上限"))
    if low is not None and high is not None and low > high:
        problems.add("budget_max", _("预算上限不能低于预算下限。"))
    today = clock.today()
    if deadline is None:
        problems.add("deadline", _("请填写截止日期。"))
    elif deadline < today:
        problems.add("deadline", _("截止日期不能早于今天。"))
    elif deadline > today + dt.timedelta(days=MAX_DEADLINE_DAYS):
        problems.add("deadline", _("截止日期最长为一年以内。"))
    if visibility not in DemandVisibility.values:
        problems.add("visibility", _("请选择可见范围。"))
    where = district or enterprise.district
    if not current_districts().filter(pk=where.pk).exists():
        problems.add("district", _("请选择本市现行的区县。"))
    raise_first(problems)
    assert category is not None and deadline is not None  # checked above
    demand = Demand.objects.create(
        enterprise=enterprise,
        posted_by=actor,
        enterprise_district_id=enterprise.district_id,
        category=category,
        title=title,
        description=description,
        budget_min=low,
        budget_max=high,
        deadline=deadline,
        district=where,
        visibility=visibility,
    )
    return start_transition(
        workflow=DEMAND,
        obj=demand,
        action="create",
        actor=actor,
        roles=demand_roles(actor, demand),
        changes={"deadline": [None, deadline.isoformat()]},
    )


def _end_demand(*, actor: Any, demand: Demand, action: str, note: str) -> Demand:
    """Close or withdraw an open demand; the proposals in the running are not selected and told."""
    roles = demand_roles(actor, demand)
    if not roles:
        raise NotAllowed(_("只有发布该需求的企业可以操作。"))
    apply_transition(
        workflow=DEMAND,
        obj=demand,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={"decided_at": clock.now(), **next_version()},
    )
    ended = msg("企业已撤回该需求。") if action == "withdraw" else msg("企业已结束征集，未选定方案。")
    rest = proposals_not_select(demand, actor=actor, roles=roles, note=ended.render())
    tell_not_selected(rest, demand, body=with_note(ended, note))
    return demand


@transaction.atomic
def demand_close(*, actor: Any, demand: Demand, note: str = "") -> Demand:
    """The enterprise ends collecting proposals without choosing one."""
    return _end_demand(actor=actor, demand=demand, action="close", note=note)


@transaction.atomic
def demand_withdraw(*, actor: Any, demand: Demand, note: str = "") -> Demand:
    """The enterprise withdraws its demand (no longer needed)."""
    return _end_demand(actor=actor, demand=demand, action="withdraw", note=note)


@transaction.atomic
def demand_hide(*, actor: Any, demand: Demand, reason: str) -> Demand:
    """An officer covering the demand's district (or a city officer, an administrator) hides it from
    every public and provider list, with a reason the enterprise is told. Audited."""
    if not may_hide(actor, demand):
        raise NotAllowed(_("只有需求所在区县的主管部门、市级主管部门或平台管理员可以屏蔽需求。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写屏蔽理由。"), {"reason": [_("请填写屏蔽理由。")]})
    if demand.is_hidden:
        raise Conflict(_("该需求已被屏蔽，无需重复操作。"))
    update_versioned(demand, is_hidden=True, hidden_reason=reason, hidden_by=actor, hidden_at=clock.now())
    audit.record(
        "demand.hide",
        actor=actor,
        obj=demand,
        summary=msg("屏蔽需求：%(reason)s", reason=reason),
        changes={"is_hidden": [False, True], "hidden_reason": ["", reason]},
    )
    notify(
        enterprise_people(demand.enterprise_id),
        title=msg("您发布的需求已被屏蔽：%(title)s", title=demand.title),
        body=msg("屏蔽理由：%(reason)s。如有异议，请联系所在区县主管部门。", reason=reason),
        url=demand.get_absolute_url(),
        event=EVENT,
    )
    return demand


@transaction.atomic
def demand_unhide(*, actor: Any, demand: Demand, reason: str = "") -> Demand:
    """Undo :func:`demand_hide` (same people may do it). Audited."""
    if not may_hide(actor, demand):
        raise NotAllowed(_("只有需求所在区县的主管部门、市级主管部门或平台管理员可以取消屏蔽。"))
    if not demand.is_hidden:
        raise Conflict(_("该需求未被屏蔽。"))
    previous = demand.hidden_reason
    update_versioned(demand, is_hidden=False, hidden_reason="", hidden_by=None, hidden_at=None)
    reason = (reason or "").strip()
    audit.record(
        "demand.unhide",
        actor=actor,
        obj=demand,
        summary=msg("取消屏蔽需求：%(reason)s", reason=reason) if reason else msg("取消屏蔽需求"),
        changes={"is_hidden": [True, False], "hidden_reason": [previous, ""]},
    )
    notify(
        enterprise_people(demand.enterprise_id),
        title=msg("您发布的需求已恢复显示：%(title)s", title=demand.title),
        url=demand.get_absolute_url(),
        event=EVENT,
    )
    return demand


def demand_mark_seen(*, actor: Any, demand: Demand) -> None:
    """The enterprise has looked at the proposals (clears its "new proposals" to-do).

    A read marker, not a change of the demand, so no audit row and no version bump.
    """
    if is_enterprise_member(actor, demand.enterprise_id):
        Demand.objects.filter(pk=demand.pk).update(proposals_seen_at=clock.now())
