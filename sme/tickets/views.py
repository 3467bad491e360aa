"""Pages of 诉求: the role-scoped list, filing, a ticket with its timeline and actions, the public figures.

Views parse, check, call one service or selector, and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.core import clock, parsing
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.parsing import Problems
from sme.core.typing import AuthenticatedRequest
from sme.core.uploads import accept_attribute, describe_kinds

from . import permissions, selectors, services
from .forms import FiguresFilterForm, NoteForm, RateForm, TicketFileForm, parse_list_filters
from .models import TicketKind
from .workflow import CITY, FILER, HANDLER, HANDLING, TICKET

# The actions a page may post, and the service each calls.
ACTIONS = ("acknowledge", "answer", "confirm", "close", "reopen", "withdraw", "take_over")


def _require_list_role(user: Any) -> None:
    if not selectors.can_see_tickets(user):
        raise PermissionDenied(_("服务机构和评审专家不能查看企业诉求。"))


@login_required
def ticket_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_list_role(request.user)
    form, chosen = parse_list_filters(request.GET)
    today = clock.today()
    qs = selectors.ticket_list(request.user, **chosen, today=today)
    page = paginate(qs, request.GET.get("page"))
    return render(
        request,
        "tickets/list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "may_file": permissions.may_file(request.user),
            "is_officer": request.user.is_officer,
            "may_export": permissions.oversees_tickets(request.user),
        },
    )


@login_required
def ticket_new(request: AuthenticatedRequest) -> HttpResponse:
    enterprises = permissions.enterprises_of(request.user)
    if not enterprises:
        raise PermissionDenied(_("只有企业用户可以提出诉求。"))
    today = clock.today()
    types = selectors.types_in_force(today)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        for name in ("order", "provider", "ticket_type"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
    form = TicketFileForm(request.POST or None, enterprises=enterprises, types=types, initial=initial)
    files = request.FILES.getlist("files") if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_file(
                actor=request.user,
                enterprise=data["enterprise"],
                ticket_type=data["ticket_type"],
                subject=data["subject"],
                description=data["description"],
                order=data.get("order"),
                provider=data.get("provider"),
                files=files,
            )
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("诉求已提交，编号 %(number)s。主管部门将于%(day)s前受理。")
                % {"number": ticket.number, "day": date_format(ticket.acknowledge_due, "DATE_FORMAT")},
            )
            return redirect("tickets:detail", pk=ticket.pk)
    return render(
        request,
        "tickets/new.html",
        {
            "form": form,
            "types": list(types),
            "kinds": TicketKind,
            "accept": accept_attribute(),
            "kinds_text": describe_kinds(),
            "max_files": services.MAX_ATTACHMENTS,
        },
    )


@login_required
def ticket_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_list_role(request.user)
    ticket = selectors.ticket_for(request.user, pk)
    roles = permissions.roles_for(request.user, ticket)
    today = clock.today()
    actions = TICKET.allowed_actions(ticket.status, roles)
    if ticket.reopened_at is not None:
        actions = [t for t in actions if t.action != "reopen"]
    can_take_over = CITY in roles and ticket.is_open and not ticket.is_escalated
    can_rate = FILER in roles and selectors.rating_window_open(ticket)
    stages = [
        (_("受理"), ticket.acknowledge_due, ticket.acknowledged_at, ticket.status == "filed"),
        (_("答复"), ticket.answer_due, ticket.answered_at, ticket.status in ("filed", "acknowledged")),
        (_("办结"), ticket.close_due, ticket.closed_at, ticket.is_open),
    ]
    return render(
        request,
        "tickets/detail.html",
        {
            "ticket": ticket,
            "roles": roles,
            "is_filer": FILER in roles,
            "is_handler": HANDLER in roles,
            "actions": actions,
            "can_take_over": can_take_over,
            "can_rate": can_rate,
            "rate_form": RateForm(),
            "note_form": NoteForm(initial={"version": ticket.version}),
            "timeline": selectors.timeline(ticket),
            "attachments": selectors.attachments_of(ticket),
            "stages": stages,
            "today": today,
            "overdue": ticket.is_overdue(today),
        },
    )


@login_required
@require_POST
def ticket_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    _require_list_role(request.user)
    if action not in ACTIONS:
        raise Http404
    ticket = selectors.ticket_for(request.user, pk)
    note = request.POST.get("note", "")
    # A form without its version (an old page) is checked by the status alone.
    version = parsing.integer(request.POST.get("version", ""), "version", Problems())
    actor = request.user
    try:
        if action == "acknowledge":
            services.ticket_acknowledge(actor=actor, ticket=ticket, version=version)
        elif action == "answer":
            services.ticket_answer(actor=actor, ticket=ticket, answer=note, version=version)
        elif action == "confirm":
            services.ticket_confirm(actor=actor, ticket=ticket, version=version)
        elif action == "close":
            services.ticket_close(actor=actor, ticket=ticket, note=note, version=version)
        elif action == "reopen":
            services.ticket_reopen(actor=actor, ticket=ticket, reason=note, version=version)
        elif action == "withdraw":
            services.ticket_withdraw(actor=actor, ticket=ticket, reason=note, version=version)
        else:
            services.ticket_take_over(actor=actor, ticket=ticket, note=note, version=version)
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        label = HANDLING.action_label(action) if action == "take_over" else TICKET.action_label(action)
        messages.success(request, _("已办理：%(action)s。") % {"action": label})
    return redirect("tickets:detail", pk=ticket.pk)


@login_required
@require_POST
def ticket_rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_list_role(request.user)
    ticket = selectors.ticket_for(request.user, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择评价星级并说明是否满意。"))
        return redirect("tickets:detail", pk=ticket.pk)
    try:
        services.ticket_rate(
            actor=request.user,
            ticket=ticket,
            stars=form.cleaned_data["stars"],
            satisfied=form.cleaned_data["satisfied"],
            comment=form.cleaned_data["comment"],
        )
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("感谢您的评价。"))
    return redirect("tickets:detail", pk=ticket.pk)


def figures(request: HttpRequest) -> HttpResponse:
    """Public: the monthly figures of the last 12 months, for the city or one district."""
    districts = list(selectors.districts_with_figures())
    form = FiguresFilterForm(request.GET or None, districts=districts)
    district_id = (
        int(form.cleaned_data["district"]) if form.is_valid() and form.cleaned_data["district"] else None
    )
    district = next((d for d in districts if d.pk == district_id), None)
    months = selectors.last_months(clock.today())
    rows = selectors.month_figures(district_id=district_id, months=months)
    table = list(zip(months, rows, strict=True))
    chart = {
        "months": [date_format(m, "YEAR_MONTH_FORMAT") for m in months],
        "series": [
            {"name": _("受理诉求数"), "type": "bar", "axis": 0, "data": [r.filed if r else 0 for r in rows]},
            {"name": _("办结数"), "type": "bar", "axis": 0, "data": [r.closed if r else 0 for r in rows]},
            {
                "name": _("按时办结率（%）"),
                "type": "line",
                "axis": 1,
                "data": [float(r.on_time_rate) if r and r.on_time_rate is not None else None for r in rows],
            },
            {
                "name": _("满意率（%）"),
                "type": "line",
                "axis": 1,
                "data": [
                    float(r.satisfaction_rate) if r and r.satisfaction_rate is not None else None
                    for r in rows
                ],
            },
        ],
        "axes": [_("件数"), _("比率（%）")],
    }
    return render(
        request,
        "tickets/figures.html",
        {
            "form": form,
            "district": district,
            "table": list(reversed(table)),
            "chart": chart,
        },
    )
