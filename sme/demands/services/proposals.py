"""Writes to proposals: a provider sends, revises or withdraws one; the enterprise shortlists and
accepts one (which becomes an order); the rest are not selected.

Concurrency: accepting a proposal first moves the demand open → awarded with compare-and-set (the
demand row is the lock every decision goes through), then checks the proposal is still the version
the enterprise saw. Two tabs accepting two proposals: one wins, the other gets :class:`Conflict`.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.money import format_yuan
from sme.core.parsing import Problems
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify
from sme.orders import services as order_services
from sme.organizations.models import Organization

from ..models import Demand, DemandStatus, Proposal, ProposalStatus
from ..permissions import (
    answerable_providers,
    demand_roles,
    enterprise_people,
    is_enterprise_member,
    proposal_roles,
    provider_people,
    providers_of,
)
from ..workflow import DEMAND, DEMAND_OWNER, PROPOSAL, PROPOSER
from .common import EVENT, day_text, next_version, raise_first, tell_not_selected

MAX_DELIVERY_WORKDAYS = 730


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
    raise_first(problems)
    return {"price": amount, "delivery_workdays": days, "approach": text}


def _require_open_for_proposals(demand: Demand) -> None:
    if demand.status != DemandStatus.OPEN:
        raise Conflict(
            _("需求当前状态为「%(status)s」，不再接收或修改方案。") % {"status": demand.get_status_display()}
        )
    if demand.deadline < clock.today():
        raise InvalidInput(
            _("需求已于 %(day)s 截止，不再接收或修改方案。") % {"day": day_text(demand.deadline)}
        )
    if demand.is_hidden:
        raise NotAllowed(_("该需求已被主管部门屏蔽，暂不接收方案。"))


def _touch_demand(demand: Demand) -> None:
    Demand.objects.filter(pk=demand.pk).update(last_proposal_at=clock.now())


def proposals_not_select(
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
            updates=next_version(),
        )
    return rest


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
        updates=next_version(),
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
        updates={"accepted_proposal": proposal, "decided_at": now, **next_version()},
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
    order = order_services.order_create_from_terms(
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
    rest = proposals_not_select(
        demand, actor=actor, roles=roles, note=_("企业已选定其他方案。"), exclude_pk=proposal.pk
    )
    tell_not_selected(rest, demand, body=msg("感谢参与。企业已选定其他服务机构的方案。"))
    # The winner hears from the orders app (order_create_from_terms tells the provider, with the order's link).
    return order
