"""Reporting content (any logged-in user) and the officers' report queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest

from . import selectors, services, targets
from .forms import DecideForm, QueueFilterForm, ReportForm
from .models import ReportStatus, TargetKind
from .permissions import is_moderator


def _safe_next(request: AuthenticatedRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback or "/"


@login_required
def report(request: AuthenticatedRequest, kind: str, target_id: int) -> HttpResponse:
    """GET: the report form (a partial for htmx, a page otherwise); POST: file the report."""
    if kind not in TargetKind.values:
        raise Http404
    try:
        target = targets.resolve(kind, target_id, viewer=request.user)
    except targets.TargetMissing as exc:
        raise Http404 from exc
    htmx = request.headers.get("HX-Request") == "true"
    form = ReportForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(
                actor=request.user,
                kind=kind,
                target_id=target_id,
                reason=form.cleaned_data["reason"],
                reason_text=form.cleaned_data["reason_text"],
            )
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            done = True
            if not htmx:
                messages.success(request, _("举报已提交，主管部门将尽快核查。感谢您的反馈。"))
                return redirect(_safe_next(request, target.url))
    context = {
        "form": form,
        "kind": kind,
        "kind_label": TargetKind(kind).label,
        "target_id": target_id,
        "target": target,
        "done": done,
        "next": _safe_next(request, target.url),
    }
    template = "moderation/_report_form.html" if htmx else "moderation/report.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _require_moderator(request: AuthenticatedRequest) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied(_("只有主管部门和平台管理员可以处理举报。"))


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    _require_moderator(request)
    form = QueueFilterForm(request.GET or None, initial={"status": ReportStatus.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else ReportStatus.OPEN
    if not request.GET:
        status = ReportStatus.OPEN
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = paginate(selectors.report_queue(request.user, status=status, kind=kind), request.GET.get("page"))
    return render(request, "moderation/queue.html", {"form": form, "page": page, "decide_form": DecideForm()})


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int, decision: str) -> HttpResponse:
    _require_moderator(request)
    if decision not in ("hide", "dismiss"):
        raise Http404
    item = selectors.report_for_moderator(request.user, pk)
    try:
        decided = services.report_decide(
            actor=request.user, report=item, decision=decision, reason=request.POST.get("reason", "")
        )
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("已屏蔽该内容，共处理 %(n)s 条举报。")
                if decision == "hide"
                else _("已不予处理，共 %(n)s 条举报。")
            )
            % {"n": len(decided)},
        )
    return redirect(_safe_next(request, "/moderation/"))
