"""Pages of orders: ordering from the catalogue, the lists, one order with its actions, ratings and
files, and the authorities' flags. Views parse, check, call one service or selector, and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from sme.catalog import selectors as catalog_selectors
from sme.core import clock
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import Transition, history

from . import rules, selectors, services
from .deadlines import rating_deadline
from .forms import NoteForm, OrderForm, RatingForm, ReplyForm, parse_list_filters
from .models import Order, OrderStatus, Rating
from .permissions import Standing, ordering_enterprises, oversees_orders
from .pricing import quote
from .workflow import NOTE_LABELS, ORDER

# --- ordering ------------------------------------------------------------------------------------


@login_required
def order_new(request: AuthenticatedRequest, service_id: int) -> HttpResponse:
    service = catalog_selectors.orderable_service(service_id)
    if service is None:
        raise Http404
    enterprises = ordering_enterprises(request.user)
    if not enterprises:
        raise PermissionDenied(_("只有通过审核的企业的成员可以下单。"))
    revision = service.published_revision
    assert revision is not None
    # The user's enterprises outside the districts the service is offered in: the page says so up
    # front, and asks for the confirmation the order service wants (or says it cannot be ordered).
    outside = [e for e in enterprises if not revision.is_offered_in(e.district_id)]
    refused = revision.refuses_other_districts and len(outside) == len(enterprises)
    form = OrderForm(
        request.POST or None,
        enterprises=enterprises,
        fee_type=revision.fee_type,
        ask_outside_district=bool(outside) and not revision.refuses_other_districts,
    )
    terms = selectors.order_terms(service, revision)
    context: dict[str, Any] = {
        "service": service,
        "revision": revision,
        "terms": terms,
        "form": form,
        "outside": outside,
        "refused": refused,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = data["enterprise"]
        confirmed = bool(data.get("outside_district"))
        try:
            services.check_service_area(revision, enterprise, confirmed=confirmed)
            if request.POST.get("confirm") == "1":
                order = services.order_create(
                    actor=request.user,
                    enterprise=enterprise,
                    service=service,
                    quantity=data.get("quantity") or 1,
                    proposed_price=data.get("proposed_price"),
                    requirements=data["requirements"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    outside_district_confirmed=confirmed,
                )
                messages.success(
                    request, _("订单%(number)s已提交，等待服务机构接单。") % {"number": order.number}
                )
                return redirect("orders:detail", order.pk)
            qty, price, smp = quote(
                revision=revision,
                quantity=data.get("quantity") or 1,
                proposed_price=data.get("proposed_price"),
                small_micro=selectors.enterprise_is_small_or_micro(enterprise),
            )
            context.update(confirming=True, quote_quantity=qty, quote_price=price, quote_small_micro=smp)
        except ServiceError as error:
            apply_service_errors(form, error)
    return render(request, "orders/new.html", context)


# --- lists -----------------------------------------------------------------------------------------


@login_required
def order_list(request: AuthenticatedRequest) -> HttpResponse:
    filters, chosen = parse_list_filters(request.GET)
    qs = selectors.order_list(request.user, **chosen)
    page = paginate(qs, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/list.html",
        {
            "page": page,
            "filters": filters,
            "today": clock.today(),
            "is_officer": oversees_orders(request.user),
            "query": query.urlencode(),
        },
    )


# --- one order -------------------------------------------------------------------------------------


def _offered_actions(order: Order, who: Standing, user: Any) -> list[dict[str, Any]]:
    """The buttons for the viewer: the table's transitions for their roles whose guard passes (so for
    a pending cancellation request only the answering side's)."""
    offered: list[Transition] = []
    for t in ORDER.allowed_actions(order.status, who.roles):
        if t.action in ORDER.creation_actions:
            continue
        if t.guard is not None and t.guard(order, user, ""):
            continue
        offered.append(t)
    return [
        {
            "action": t.action,
            "label": t.label,
            "note_required": t.note_required,
            "note_label": NOTE_LABELS.get(t.action),
            "files": t.action == "deliver",
            "danger": t.action in ("decline", "cancel", "dispute", "request_cancel", "agree_cancel"),
        }
        for t in offered
    ]


# Labels of the terms an order from an accepted proposal may carry (sme.demands writes them).
TERM_LABELS = {
    "demand_title": _l("需求"),
    "demand_id": _l("需求编号"),
    "proposal_id": _l("方案编号"),
    "approach": _l("实施方案"),
    "price": _l("报价（元）"),
    "delivery_workdays": _l("交付时间（工作日）"),
    "description": _l("说明"),
}
_TERM_SKIP = {"source", "title", "provider", "category", "agreed_price"}


def term_rows(snapshot: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The terms of an order that did not come from the catalogue, labelled where the label is known."""
    return [
        (TERM_LABELS.get(key, key), value)
        for key, value in snapshot.items()
        if key not in _TERM_SKIP and value not in (None, "", [], {})
    ]


def _can_rate(order: Order, who: Standing, rating: Rating | None, today: dt.date) -> bool:
    deadline = rating_deadline(order)
    return (
        who.enterprise_member
        and order.status == OrderStatus.COMPLETED
        and rating is None
        and deadline is not None
        and today <= deadline
    )


def _detail_context(request: AuthenticatedRequest, order: Order, who: Standing) -> dict[str, Any]:
    today = clock.today()
    rating = selectors.rating_of(order)
    if rating is not None and rating.is_hidden and not (who.is_officer or who.enterprise_member):
        rating_shown = None
    else:
        rating_shown = rating
    return {
        "order": order,
        "who": who,
        "terms": order.snapshot,
        "term_rows": term_rows(order.snapshot),
        "history": history(ORDER, order),
        "actions": _offered_actions(order, who, request.user),
        "note_form": NoteForm(initial={"version": order.version}),
        "files": list(selectors.order_files(order)),
        "rating": rating_shown,
        "rating_form": RatingForm() if _can_rate(order, who, rating, today) else None,
        "rating_deadline": rating_deadline(order),
        "reply_form": ReplyForm() if (rating and who.provider_manager and not rating.reply) else None,
        "overdue": order.status == OrderStatus.SUBMITTED
        and order.respond_by is not None
        and order.respond_by < today,
        "today": today,
    }


@login_required
def order_detail(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    order, who = selectors.order_for(request.user, order_id)
    return render(request, "orders/detail.html", _detail_context(request, order, who))


@login_required
@require_POST
def order_act(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    order, who = selectors.order_for(request.user, order_id)
    form = NoteForm(request.POST)
    action = request.POST.get("action", "")
    if not form.is_valid():
        messages.error(
            request,
            _("提交的内容有误：%(e)s") % {"e": "; ".join(str(m) for ms in form.errors.values() for m in ms)},
        )
        return redirect("orders:detail", order.pk)
    order.version = form.cleaned_data["version"]
    try:
        services.order_transition(
            actor=request.user,
            order=order,
            action=action,
            note=form.cleaned_data["note"],
            files=request.FILES.getlist("files"),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        context = _detail_context(request, order, who)
        context["failed_action"] = action
        context["failed_note"] = form.cleaned_data["note"]
        return render(request, "orders/detail.html", context, status=error.status_code)
    messages.success(request, _("已%(action)s。") % {"action": ORDER.action_label(action)})
    return redirect("orders:detail", order.pk)


@login_required
@require_POST
def order_rate_view(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    order, who = selectors.order_for(request.user, order_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.order_rate(
                actor=request.user,
                order=order,
                quality=data["quality"],
                timeliness=data["timeliness"],
                attitude=data["attitude"],
                satisfied=data["satisfied"],
                comment=data["comment"],
            )
        except ServiceError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.message) from error
            apply_service_errors(form, error)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("orders:detail", order.pk)
    context = _detail_context(request, order, who)
    context["rating_form"] = form
    return render(request, "orders/detail.html", context, status=400)


@login_required
@require_POST
def rating_reply_view(request: AuthenticatedRequest, order_id: int) -> HttpResponse:
    order, who = selectors.order_for(request.user, order_id)
    rating = selectors.rating_of(order)
    if rating is None:
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.rating_reply(actor=request.user, rating=rating, reply=form.cleaned_data["reply"])
        except ServiceError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.message) from error
            apply_service_errors(form, error)
        else:
            messages.success(request, _("回复已发布。"))
            return redirect("orders:detail", order.pk)
    context = _detail_context(request, order, who)
    context["reply_form"] = form
    return render(request, "orders/detail.html", context, status=400)


# --- flags for the authorities --------------------------------------------------------------------


@login_required
def flags(request: AuthenticatedRequest) -> HttpResponse:
    if not oversees_orders(request.user):
        raise PermissionDenied(_("只有主管部门可以查看订单预警。"))
    overdue = selectors.overdue_orders_in_scope(request.user)
    return render(
        request,
        "orders/flags.html",
        {
            "concentration": selectors.concentrated_ratings(request.user),
            "rule": rules.RATING_CONCENTRATION,
            "overdue": paginate(overdue, request.GET.get("page")),
            "today": clock.today(),
        },
    )
