"""Pages of 需求对接: providers' list of open demands, the enterprise's own demands, posting a demand,
and one demand's page (proposals for the enterprise, the proposal form for a provider, read-only
oversight and hiding for officers). Views parse, check, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.accounts.models import Role
from sme.core import clock, parsing
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.parsing import Problems
from sme.core.typing import AuthenticatedRequest

from . import permissions, selectors, services
from .forms import (
    DemandForm,
    HideForm,
    NoteForm,
    ProposalForm,
    ProviderFilterForm,
    parse_officer_filters,
)
from .models import Demand, DemandStatus, ProposalStatus
from .workflow import DEMAND, DEMAND_OWNER, PROPOSAL


def _order_url(order: Any) -> str:
    if order is None:
        return ""
    try:
        return reverse("orders:detail", args=[order.pk])
    except NoReverseMatch:
        return ""


# --- lists ------------------------------------------------------------------------------------


@login_required
def demand_list(request: AuthenticatedRequest) -> HttpResponse:
    """Providers: open demands they may answer. Officers: demands of their districts (read-only)."""
    user = request.user
    if permissions.oversees_demands(user):
        officer_form, chosen = parse_officer_filters(request.GET)
        qs = selectors.demands_in_scope(user, **chosen)
        page = paginate(qs, request.GET.get("page"))
        return render(
            request, "demands/list.html", {"page": page, "form": officer_form, "officer_view": True}
        )
    if permissions.providers_of(user) or user.role == Role.PROVIDER:
        # A provider user whose organization is not verified yet sees an empty list and why.
        form = ProviderFilterForm(request.GET or None)
        qs = selectors.demands_open_for_provider(
            user, category_id=form.int_value("category"), district_id=form.int_value("district")
        )
        page = paginate(qs, request.GET.get("page"))
        mine = list(selectors.proposals_of_provider(user)[:20])
        return render(
            request,
            "demands/list.html",
            {
                "page": page,
                "form": form,
                "officer_view": False,
                "my_proposals": mine,
                "not_verified": not permissions.providers_of(user),
            },
        )
    if permissions.enterprises_of(user):
        return redirect("demands:mine")
    raise PermissionDenied


@login_required
def demand_mine(request: AuthenticatedRequest) -> HttpResponse:
    """The enterprise's own demands, with how many proposals each has."""
    if not permissions.enterprises_of(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    page = paginate(selectors.demands_of_enterprise(request.user, status=status), request.GET.get("page"))
    return render(
        request,
        "demands/mine.html",
        {"page": page, "status": status, "statuses": DemandStatus.choices},
    )


@login_required
def demand_new(request: AuthenticatedRequest) -> HttpResponse:
    enterprises = permissions.enterprises_of(request.user)
    if not enterprises:
        raise PermissionDenied
    form = DemandForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.demand_create(
                actor=request.user,
                enterprise=data["enterprise"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                budget_min=data["budget_min"],
                budget_max=data["budget_max"],
                deadline=data["deadline"],
                district=data["district"],
                visibility=data["visibility"],
            )
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("需求已发布，符合条件的服务机构现在可以提交方案。"))
            return redirect("demands:detail", pk=demand.pk)
    return render(request, "demands/new.html", {"form": form}, status=400 if form.errors else 200)


# --- one demand -------------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedRequest,
    demand: Demand,
    *,
    proposal_form: ProposalForm | None = None,
    hide_form: HideForm | None = None,
) -> dict[str, Any]:
    user = request.user
    roles = permissions.demand_roles(user, demand)
    is_owner = DEMAND_OWNER in roles
    is_enterprise = permissions.is_enterprise_member(user, demand.enterprise_id)
    overseer = permissions.oversees_demands(user)
    proposals = list(selectors.proposals_on(user, demand))
    answerable = [] if is_enterprise or overseer else permissions.answerable_providers(user, demand)
    own_live = next((p for p in proposals if p.status != ProposalStatus.WITHDRAWN), None)
    taking = demand.status == DemandStatus.OPEN and not demand.is_hidden and demand.deadline >= clock.today()
    if proposal_form is None and answerable and taking:
        if own_live is not None and own_live.status == ProposalStatus.SUBMITTED:
            proposal_form = ProposalForm(
                initial={
                    "provider": own_live.provider_id,
                    "price": own_live.price,
                    "delivery_workdays": own_live.delivery_workdays,
                    "approach": own_live.approach,
                    "version": own_live.version,
                },
                providers=answerable,
            )
        elif own_live is None:
            proposal_form = ProposalForm(providers=answerable)
    accepted = demand.accepted_proposal if demand.accepted_proposal_id else None
    return {
        "demand": demand,
        "proposals": proposals,
        "is_owner": is_owner,
        "is_enterprise": is_enterprise,
        "is_overseer": overseer,
        "own_live": own_live if not is_enterprise and not overseer else None,
        "own_order_url": _order_url(own_live.order) if own_live is not None and own_live.order_id else "",
        "proposal_form": proposal_form,
        "needs_certification": not is_enterprise
        and not overseer
        and not answerable
        and bool(permissions.providers_of(user)),
        "taking_proposals": taking,
        "past_deadline": demand.status == DemandStatus.OPEN and demand.deadline < clock.today(),
        "owner_actions": DEMAND.allowed_actions(demand.status, roles) if is_owner else [],
        "can_hide": permissions.may_hide(user, demand),
        "hide_form": hide_form or HideForm(),
        "note_form": NoteForm(),
        "history": selectors.demand_history(demand) if is_enterprise or overseer else [],
        "order_url": _order_url(accepted.order if accepted is not None else None),
        "accepted": accepted,
    }


@login_required
def demand_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    demand = selectors.demand_for(request.user, pk)
    context = _detail_context(request, demand)
    if context["is_enterprise"] and context["proposals"]:
        services.demand_mark_seen(actor=request.user, demand=demand)
    return render(request, "demands/detail.html", context)


@login_required
@require_POST
def proposal_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A provider sends its proposal, or revises its live one (the form carries the version read)."""
    demand = selectors.demand_for(request.user, pk)
    answerable = permissions.answerable_providers(request.user, demand)
    if not answerable:
        if permissions.providers_of(request.user):
            messages.error(request, _("该需求仅面向已认定的服务机构，本机构暂不能提交方案。"))
            return redirect("demands:detail", pk=demand.pk)
        raise PermissionDenied
    form = ProposalForm(request.POST, providers=answerable)
    if form.is_valid():
        data = form.cleaned_data
        existing = selectors.live_proposal(demand, data["provider"])
        try:
            if existing is not None:
                existing.version = data.get("version") or existing.version
                services.proposal_revise(
                    actor=request.user,
                    proposal=existing,
                    price=data["price"],
                    delivery_workdays=data["delivery_workdays"],
                    approach=data["approach"],
                )
                messages.success(request, _("方案已修改，企业会收到通知。"))
            else:
                services.proposal_submit(
                    actor=request.user,
                    demand=demand,
                    provider=data["provider"],
                    price=data["price"],
                    delivery_workdays=data["delivery_workdays"],
                    approach=data["approach"],
                )
                messages.success(request, _("方案已提交，企业会收到通知。"))
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            return redirect("demands:detail", pk=demand.pk)
    context = _detail_context(request, demand, proposal_form=form)
    return render(request, "demands/detail.html", context, status=400)


@login_required
@require_POST
def proposal_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_for(request.user, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.proposal_withdraw(
            actor=request.user, proposal=proposal, note=form.cleaned_data.get("note", "")
        )
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("方案已撤回。需求截止前可重新提交。"))
    return redirect("demands:detail", pk=proposal.demand_id)


@login_required
@require_POST
def proposal_shortlist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Toggle 入围; answers htmx with the proposal's row, a full page load with a redirect."""
    proposal = selectors.proposal_for(request.user, pk)
    try:
        proposal = services.proposal_shortlist(
            actor=request.user, proposal=proposal, shortlisted=request.POST.get("shortlisted") == "1"
        )
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        if request.headers.get("HX-Request"):
            return HttpResponse(error.message, status=error.status_code)
        messages.error(request, error.message)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "demands/_proposal_row.html",
            {"proposal": proposal, "demand": proposal.demand, "is_owner": True},
        )
    return redirect("demands:detail", pk=proposal.demand_id)


@login_required
def proposal_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page with the exact terms; POST: accept them (the version shown)."""
    proposal = selectors.proposal_for(request.user, pk)
    demand = proposal.demand
    if DEMAND_OWNER not in permissions.demand_roles(request.user, demand):
        raise PermissionDenied
    if request.method == "POST":
        # The version the confirmation page showed; none (an old page) never matches.
        proposal.version = parsing.integer(request.POST.get("version", ""), "version", Problems()) or 0
        try:
            order = services.proposal_accept(actor=request.user, proposal=proposal)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("demands:detail", pk=demand.pk)
        messages.success(
            request,
            _("已选定 %(provider)s 的方案，订单 %(number)s 已生成；其他服务机构已收到未中选通知。")
            % {"provider": proposal.provider.name, "number": order.number},
        )
        return redirect(_order_url(order) or reverse("demands:detail", args=[demand.pk]))
    others = [
        p
        for p in selectors.proposals_on(request.user, demand)
        if p.pk != proposal.pk and p.status == ProposalStatus.SUBMITTED
    ]
    return render(
        request,
        "demands/accept_confirm.html",
        {
            "demand": demand,
            "proposal": proposal,
            "others": others,
            "can_accept": PROPOSAL.allowed_actions(proposal.status, {DEMAND_OWNER})
            and demand.status == DemandStatus.OPEN
            and demand.deadline >= clock.today(),
        },
    )


@login_required
@require_POST
def demand_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """The enterprise closes or withdraws its open demand."""
    demand = selectors.demand_for(request.user, pk)
    if action not in ("close", "withdraw"):
        raise Http404
    if DEMAND_OWNER not in permissions.demand_roles(request.user, demand):
        raise PermissionDenied
    form = NoteForm(request.POST)
    form.is_valid()
    service = services.demand_close if action == "close" else services.demand_withdraw
    try:
        service(actor=request.user, demand=demand, note=form.cleaned_data.get("note", ""))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("需求已撤回。") if action == "withdraw" else _("已结束征集，未选定方案。")
        )
    return redirect("demands:detail", pk=demand.pk)


@login_required
@require_POST
def demand_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    demand = selectors.demand_for(request.user, pk)
    if not permissions.may_hide(request.user, demand):
        raise PermissionDenied
    form = HideForm(request.POST)
    form.is_valid()
    try:
        services.demand_hide(actor=request.user, demand=demand, reason=form.cleaned_data.get("reason", ""))
    except ServiceError as error:
        apply_service_errors(form, error)
        context = _detail_context(request, demand, hide_form=form)
        return render(request, "demands/detail.html", context, status=400)
    messages.success(request, _("需求已屏蔽，发布企业已收到通知。"))
    return redirect("demands:detail", pk=demand.pk)


@login_required
@require_POST
def demand_unhide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    demand = selectors.demand_for(request.user, pk)
    if not permissions.may_hide(request.user, demand):
        raise PermissionDenied
    try:
        services.demand_unhide(actor=request.user, demand=demand, reason=request.POST.get("reason", ""))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已取消屏蔽。"))
    return redirect("demands:detail", pk=demand.pk)
