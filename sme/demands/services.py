"""Writes to demands and proposals.

Every service checks role and scope, changes a status only through
``sme.core.workflow.apply_transition`` (compare-and-set, transition log, audit row), changes other
fields with a compare-and-set update of its own plus an audit row, and notifies the people concerned
after commit. Nothing here takes a request.

Concurrency: accepting a proposal first moves the demand open → awarded with compare-and-set (the
demand row is the lock every decision goes through), then checks the proposal is still the version
the enterprise saw. Two tabs accepting two proposals: one wins, the other gets :class:`Conflict`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sme.catalog.models import ServiceCategory
from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import Message, msg
from sme.core.money import format_yuan
from sme.core.parsing import Problems
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify
from sme.organizations.models import Organization, OrganizationKind, VerificationStatus
from sme.regions.models import Region
from sme.regions.selectors import districts as current_districts

from .models import Demand, DemandStatus, DemandVisibility, Proposal, ProposalStatus
from .permissions import (
    answerable_providers,
    demand_roles,
    enterprise_people,
    is_enterprise_member,
    may_hide,
    proposal_roles,
    provider_people,
    providers_of,
)
from .workflow import DEMAND, DEMAND_OWNER, PROPOSAL, PROPOSER, SYSTEM

EVENT = "demands"  # the notification category people may mute for e-mail
TITLE_MAX = 120
MAX_DEADLINE_DAYS = 365
MAX_DELIVERY_WORKDAYS = 730


# Status moves bump the version too, so that an edit read before the move is refused after it.
def _next_version() -> dict[str, Any]:
    return {"version": F("version") + 1}


def _chinese_date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _with_note(text: Message, note: str) -> Message:
    """``text`` and, on the next line, what the person wrote (shown as written)."""
    return msg("%(text)s\n%(note)s", text=text, note=note) if note else text


# --- input ------------------------------------------------------------------------------------


def _raise_if(problems: Problems) -> None:
    """Every bad field at once; the first problem found is the message on top."""
    if problems:
        problems.raise_if_any(next(iter(problems.by_field.values()))[0])


def _clean_terms(price: Any, delivery_workdays: Any, approach: Any) -> dict[str, Any]:
    problems = Problems()
    amount = parsing.money(price, "price", problems, label=_("报价"))
    if amount is None and "price" not in problems:
        problems.add("price", _("请填写报价（元）。"))
    days = parsing.integer(
        delivery_workdays,
        "delivery_workdays",
        problems,
        label=_("交付时间"),
        unit=_("工作日"),
        minimum=1,
        maximum=MAX_DELIVERY_WORKDAYS,
        required=True,
    )
    text = (approach or "").strip()
    if not text:
        problems.add("approach", _("请填写服务方案：怎样做、交付什么。"))
    _raise_if(problems)
    return {"price": amount, "delivery_workdays": days, "approach": text}


# --- demands ----------------------------------------------------------------------------------


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
    _raise_if(problems)
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


def _tell_not_selected(proposals: list[Proposal], demand: Demand, *, body: Message) -> None:
    """The providers whose proposals were not selected hear why, each in their own language."""
    people = provider_people(sorted({p.provider_id for p in proposals}))
    for members in people.values():
        notify(
            members,
            title=msg("未中选：%(title)s", title=demand.title),
            body=body,
            url=demand.get_absolute_url(),
            event=EVENT,
        )


def _not_select_rest(
    demand: Demand, *, actor: Any, roles: set[str], note: str, exclude_pk: int | None = None
) -> list[Proposal]:
    """Every proposal still in the running on ``demand`` (but ``exclude_pk``) becomes not selected."""
    in_running = Proposal.objects.filter(demand=demand, status=ProposalStatus.SUBMITTED)
    if exclude_pk is not None:
        in_running = in_running.exclude(pk=exclude_pk)
    rest = list(in_running.select_related("provider"))
    for proposal in rest:
        apply_transition(
            workflow=PROPOSAL,
            obj=proposal,
            action="not_select",
            actor=actor,
            roles=roles,
            note=note,
            updates=_next_version(),
        )
    return rest


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
        updates={"decided_at": clock.now(), **_next_version()},
    )
    ended = msg("企业已撤回该需求。") if action == "withdraw" else msg("企业已结束征集，未选定方案。")
    rest = _not_select_rest(demand, actor=actor, roles=roles, note=ended.render())
    _tell_not_selected(rest, demand, body=_with_note(ended, note))
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


# --- proposals --------------------------------------------------------------------------------


def _require_open_for_proposals(demand: Demand) -> None:
    if demand.status != DemandStatus.OPEN:
        raise Conflict(
            _("需求当前状态为「%(status)s」，不再接收或修改方案。") % {"status": demand.get_status_display()}
        )
    if demand.deadline < clock.today():
        raise InvalidInput(
            _("需求已于 %(day)s 截止，不再接收或修改方案。") % {"day": _chinese_date(demand.deadline)}
        )
    if demand.is_hidden:
        raise NotAllowed(_("该需求已被主管部门屏蔽，暂不接收方案。"))


def _touch_demand(demand: Demand) -> None:
    Demand.objects.filter(pk=demand.pk).update(last_proposal_at=clock.now())


@transaction.atomic
def proposal_submit(
    *,
    actor: Any,
    demand: Demand,
    provider: Organization,
    price: Any,
    delivery_workdays: Any,
    approach: str,
) -> Proposal:
    """``provider`` answers ``demand`` with its price, time and approach (one live proposal each)."""
    if provider.pk not in {p.pk for p in providers_of(actor)}:
        raise NotAllowed(_("只有已认证服务机构的成员可以为本机构提交方案。"))
    if provider.pk not in {p.pk for p in answerable_providers(actor, demand)}:
        raise NotAllowed(_("该需求仅面向已认定的服务机构，本机构暂不能提交方案。"))
    if is_enterprise_member(actor, demand.enterprise_id):
        raise NotAllowed(_("不能为本企业发布的需求提交方案。"))
    _require_open_for_proposals(demand)
    if (
        Proposal.objects.filter(demand=demand, provider=provider)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .exists()
    ):
        raise InvalidInput(_("本机构已就该需求提交过方案，请修改原方案。"))
    terms = _clean_terms(price, delivery_workdays, approach)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(demand=demand, provider=provider, submitted_by=actor, **terms)
    except IntegrityError as exc:  # another tab of the same provider was quicker
        raise Conflict(_("本机构刚刚已提交过方案，请刷新页面后修改原方案。")) from exc
    _touch_demand(demand)
    start_transition(
        workflow=PROPOSAL,
        obj=proposal,
        action="submit",
        actor=actor,
        roles=proposal_roles(actor, proposal),
        changes={
            "price": [None, str(terms["price"])],
            "delivery_workdays": [None, terms["delivery_workdays"]],
        },
    )
    notify(
        enterprise_people(demand.enterprise_id),
        title=msg("需求「%(title)s」收到新方案", title=demand.title),
        body=msg(
            "%(provider)s 报价 %(price)s，%(days)d 个工作日交付。",
            provider=provider.name,
            price=format_yuan(terms["price"]),
            days=terms["delivery_workdays"],
        ),
        url=demand.get_absolute_url(),
        event=EVENT,
    )
    return proposal


@transaction.atomic
def proposal_revise(
    *, actor: Any, proposal: Proposal, price: Any, delivery_workdays: Any, approach: str
) -> Proposal:
    """The provider changes its proposal while the demand is open and nothing is decided.

    ``proposal.version`` is the version the provider's form was read at: if the proposal changed in
    between (another tab, or it was decided), nothing is written and :class:`Conflict` says why.
    """
    if PROPOSER not in proposal_roles(actor, proposal):
        raise NotAllowed(_("只有提交该方案的服务机构可以修改。"))
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("方案已%(status)s，不能再修改。") % {"status": proposal.get_status_display()})
    _require_open_for_proposals(proposal.demand)
    terms = _clean_terms(price, delivery_workdays, approach)
    before = {k: getattr(proposal, k) for k in terms}
    changes = audit.diff(before, terms)
    if not changes:
        return proposal
    # Every change of a proposal's status bumps its version too, so the version read is enough.
    update_versioned(
        proposal,
        conflict_message=_("该方案刚刚已被修改或处理，您的修改未保存。请刷新页面查看最新内容。"),
        **terms,
    )
    _touch_demand(proposal.demand)
    audit.record(
        "demand_proposal.revise",
        actor=actor,
        obj=proposal,
        summary=msg("修改方案（第 %(v)d 版）", v=proposal.version),
        changes=changes,
    )
    notify(
        enterprise_people(proposal.demand.enterprise_id),
        title=msg("需求「%(title)s」的方案已更新", title=proposal.demand.title),
        body=msg(
            "%(provider)s 修改了方案，现报价 %(price)s，%(days)d 个工作日交付。",
            provider=proposal.provider.name,
            price=format_yuan(proposal.price),
            days=proposal.delivery_workdays,
        ),
        url=proposal.demand.get_absolute_url(),
        event=EVENT,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    """The provider takes its proposal back while the demand is open."""
    roles = proposal_roles(actor, proposal) & {PROPOSER}
    demand = proposal.demand
    apply_transition(
        workflow=PROPOSAL,
        obj=proposal,
        action="withdraw",
        actor=actor,
        roles=roles,
        note=note,
        updates=_next_version(),
    )
    notify(
        enterprise_people(demand.enterprise_id),
        title=msg("需求「%(title)s」的一份方案已撤回", title=demand.title),
        body=msg("%(provider)s 撤回了方案。", provider=proposal.provider.name),
        url=demand.get_absolute_url(),
        event=EVENT,
    )
    return proposal


@transaction.atomic
def proposal_shortlist(*, actor: Any, proposal: Proposal, shortlisted: bool) -> Proposal:
    """The enterprise marks a proposal as shortlisted (入围) or takes the mark off.

    Not a status change: the proposal stays submitted, and its version (which counts revisions of
    the terms) is left alone so the provider can still revise.
    """
    demand = proposal.demand
    if DEMAND_OWNER not in demand_roles(actor, demand):
        raise NotAllowed(_("只有发布该需求的企业可以标记入围。"))
    if demand.status != DemandStatus.OPEN:
        raise Conflict(_("需求已结束，不能再标记入围。"))
    shortlisted = bool(shortlisted)
    if proposal.shortlisted == shortlisted and proposal.status == ProposalStatus.SUBMITTED:
        return proposal
    changed = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.SUBMITTED).update(
        shortlisted=shortlisted, updated_at=clock.now()
    )
    if not changed:
        raise Conflict(_("该方案已撤回或已处理，不能标记入围。请刷新页面。"))
    audit.record(
        "demand_proposal.shortlist" if shortlisted else "demand_proposal.unshortlist",
        actor=actor,
        obj=proposal,
        summary=msg("标记入围") if shortlisted else msg("取消入围"),
        changes={"shortlisted": [not shortlisted, shortlisted]},
    )
    if shortlisted:
        members = provider_people([proposal.provider_id])[proposal.provider_id]
        notify(
            members,
            title=msg("您的方案已入围：%(title)s", title=demand.title),
            url=demand.get_absolute_url(),
            event=EVENT,
        )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def proposal_accept(*, actor: Any, proposal: Proposal) -> Any:
    """The enterprise accepts ``proposal``: an order is created from its terms (already accepted by
    the provider, who made the offer), the demand is awarded, every other proposal is not selected
    and its provider told ("未中选") — all in one transaction. Returns the order.

    ``proposal`` carries the version the enterprise saw; if the provider revised it since, or the
    demand was decided in another tab, nothing is written and :class:`Conflict` says so.
    """
    from sme.orders.services import order_create_from_terms

    demand = proposal.demand
    roles = demand_roles(actor, demand)
    if DEMAND_OWNER not in roles:
        raise NotAllowed(_("只有发布该需求的企业可以选定方案。"))
    if proposal.status != ProposalStatus.SUBMITTED:
        PROPOSAL.check("accept", proposal.status, roles)  # raises Conflict naming the status
    now = clock.now()
    # The demand row first: every decision on this demand serialises here (its guard: the deadline).
    apply_transition(
        workflow=DEMAND,
        obj=demand,
        action="award",
        actor=actor,
        roles=roles,
        note=_("选定 %(provider)s 的方案") % {"provider": proposal.provider.name},
        updates={"accepted_proposal": proposal, "decided_at": now, **_next_version()},
    )
    update_versioned(
        proposal,
        conflict_message=_("该方案刚刚已被服务机构修改或撤回，未选定。请刷新页面查看最新方案后再确认。"),
        refresh=False,
    )
    proposal.version += 1
    terms = {
        "demand_id": demand.pk,
        "proposal_id": proposal.pk,
        "demand_title": demand.title,
        "demand_description": demand.description,
        "price": str(proposal.price),
        "delivery_workdays": proposal.delivery_workdays,
        "approach": proposal.approach,
        "budget_min": None if demand.budget_min is None else str(demand.budget_min),
        "budget_max": None if demand.budget_max is None else str(demand.budget_max),
        "district": demand.district.name,
    }
    order = order_create_from_terms(
        actor=actor,
        enterprise=demand.enterprise,
        provider=proposal.provider,
        title=demand.title,
        category=demand.category,
        terms=terms,
        agreed_price=proposal.price,
        delivery_workdays=proposal.delivery_workdays,
        requirements=demand.description,
        source="proposal",
    )
    apply_transition(
        workflow=PROPOSAL,
        obj=proposal,
        action="accept",
        actor=actor,
        roles=roles,
        updates={"order": order},
    )
    rest = _not_select_rest(
        demand, actor=actor, roles=roles, note=_("企业已选定其他方案。"), exclude_pk=proposal.pk
    )
    _tell_not_selected(rest, demand, body=msg("感谢参与。企业已选定其他服务机构的方案。"))
    # The winner hears from the orders app (order_create_from_terms tells the provider, with the order's link).
    return order


# --- the daily job ----------------------------------------------------------------------------


@dataclass
class DailyReport:
    today: dt.date
    closed: int = 0
    proposals_not_selected: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "closed": self.closed,
            "proposals_not_selected": self.proposals_not_selected,
            "skipped": self.skipped,
        }


def demands_daily(*, today: dt.date | None = None) -> DailyReport:
    """Close every open demand whose deadline has passed: its proposals are not selected, the
    enterprise and the proposers are told. Idempotent: a second run the same day finds nothing.

    Each demand is closed in its own transaction, so one conflict (the enterprise deciding at the
    same moment) does not hold up the rest.
    """
    day = today or clock.today()
    report = DailyReport(today=day)
    due = list(
        Demand.objects.filter(status=DemandStatus.OPEN, deadline__lt=day)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)
    )
    for pk in due:
        try:
            with transaction.atomic():
                demand = Demand.objects.select_related("enterprise").get(pk=pk)
                if demand.status != DemandStatus.OPEN:
                    continue
                passed = msg("截止日期 %(day)s 已过，自动结束征集。", day=demand.deadline)
                note = passed.render()
                apply_transition(
                    workflow=DEMAND,
                    obj=demand,
                    action="close",
                    actor=None,
                    roles={SYSTEM},
                    note=note,
                    updates={"decided_at": clock.now(), **_next_version()},
                )
                rest = _not_select_rest(demand, actor=None, roles={SYSTEM}, note=note)
                report.closed += 1
                report.proposals_not_selected += len(rest)
                notify(
                    enterprise_people(demand.enterprise_id),
                    title=msg("需求已截止：%(title)s", title=demand.title),
                    body=msg(
                        "%(passed)s%(rest)s",
                        passed=passed,
                        rest=msg("共有 %(n)d 份方案未被选定；如仍有需要，可重新发布需求。", n=len(rest)),
                    ),
                    url=demand.get_absolute_url(),
                    event=EVENT,
                )
                _tell_not_selected(rest, demand, body=msg("需求已截止，企业未选定方案。"))
        except Conflict:
            report.skipped.append(f"demand {pk}: changed while closing")
    return report
