"""Pages of spot checks (第十五条): opening one, the list, a spot check with the platform's
rectification reports, and the city's conclusion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.core import clock
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history

from ..forms.titles import ReasonForm, RectificationForm, SpotCheckForm
from ..models import SpotCheck, SpotCheckStatus
from ..permissions import certification_roles_for
from ..selectors import rereviews as selectors
from ..selectors import titles as title_selectors
from ..services import spot_checks as services
from ..workflow import APPLICANT, CITY_REVIEWER, DISTRICT_REVIEWER, SPOT_CHECK

PER_PAGE = 20


@login_required
def spot_check_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = title_selectors.certification_for(request.user, pk)
    if CITY_REVIEWER not in certification_roles_for(request.user, certification):
        raise PermissionDenied(_("只有认定机关可以开展抽查。"))
    form = SpotCheckForm(request.POST or None, initial={"checked_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            spot_check = services.spot_check_open(
                actor=request.user, certification=certification, **form.cleaned_data
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("抽查已登记，平台会收到整改通知。"))
            return redirect("certification:spot-check", pk=spot_check.pk)
    return render(
        request,
        "certification/lifecycle/spot_check_form.html",
        {"cert": certification, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def spot_check_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(selectors.spot_check_list(request.user, status=status), request.GET.get("page"), PER_PAGE)
    return render(
        request,
        "certification/lifecycle/spot_check_list.html",
        {"page": page, "status": status, "statuses": SpotCheckStatus.choices},
    )


def _spot_check_page(
    request: AuthenticatedRequest,
    spot_check: SpotCheck,
    *,
    rectify_form: RectificationForm | None = None,
    close_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    certification = spot_check.certification
    roles = certification_roles_for(request.user, certification)
    actions = {t.action for t in SPOT_CHECK.allowed_actions(spot_check.status, roles)}
    can_rectify = APPLICANT in roles and spot_check.status == SpotCheckStatus.OPEN
    return render(
        request,
        "certification/lifecycle/spot_check_detail.html",
        {
            "spot_check": spot_check,
            "cert": certification,
            "actions": actions,
            "can_rectify": can_rectify,
            "rectify_form": rectify_form or (RectificationForm() if can_rectify else None),
            "close_form": close_form or (ReasonForm() if actions else None),
            "rectifications": selectors.rectifications_of(spot_check),
            "history": history(SPOT_CHECK, spot_check),
            "is_district": DISTRICT_REVIEWER in roles,
        },
        status=status,
    )


@login_required
def spot_check_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _spot_check_page(request, selectors.spot_check_for(request.user, pk))


@login_required
@require_POST
def spot_check_rectify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    spot_check = selectors.spot_check_for(request.user, pk)
    form = RectificationForm(request.POST)
    if form.is_valid():
        try:
            services.spot_check_rectify(
                actor=request.user, spot_check=spot_check, text=form.cleaned_data["text"]
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("整改情况已报送。"))
            return redirect("certification:spot-check", pk=spot_check.pk)
    return _spot_check_page(request, spot_check, rectify_form=form, status=400)


@login_required
@require_POST
def spot_check_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("pass", "fail"):
        raise Http404
    spot_check = selectors.spot_check_for(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        services.spot_check_transition(
            actor=request.user, spot_check=spot_check, action=action, note=request.POST.get("note", "")
        )
    except ServiceError as exc:
        form.is_valid()
        apply_service_errors(form, exc)
        return _spot_check_page(
            request, selectors.spot_check_for(request.user, pk), close_form=form, status=exc.status_code
        )
    messages.success(
        request, _("抽查合格，已结束。") if action == "pass" else _("抽查不合格，称号已撤销并公告。")
    )
    return redirect("certification:spot-check", pk=spot_check.pk)
