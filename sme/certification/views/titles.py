"""Pages of granted titles: the grant after the notice, the platform's titles and a title's page, the
yearly summary, opening the re-review, revocation, and overdue summaries. Scope is the selectors'
(out of scope → 404), roles the services'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.accounts.models import Role
from sme.core import clock
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history

from ..forms.titles import RevokeForm, SummaryForm
from ..models import CertificationStatus
from ..permissions import certification_roles_for
from ..selectors import applications as application_selectors
from ..selectors import rereviews as rereview_selectors
from ..selectors import titles as selectors
from ..services import summaries as summary_services
from ..services import titles as services
from ..workflow import APPLICANT, CERTIFICATION, CITY_REVIEWER

PER_PAGE = 20


def require_role(user: Any, *roles: str) -> None:
    if not (user.role in roles or user.is_platform_admin):
        raise PermissionDenied(_("您无权查看此页面。"))


@login_required
@require_POST
def application_grant(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = application_selectors.application_for(request.user, pk)
    try:
        certification = services.application_grant(actor=request.user, application=application)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("certification:application", pk=application.pk)
    messages.success(request, _("已授予称号，证书编号 %(number)s。") % {"number": certification.number})
    return redirect("certification:application", pk=application.pk)


@login_required
def certified_list(request: AuthenticatedRequest) -> HttpResponse:
    """The titles in the user's scope: a platform's own, a district's, the city's."""
    user = request.user
    require_role(user, Role.ENTERPRISE, Role.PROVIDER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    page = paginate(
        selectors.certification_list(user, status=status, overdue=overdue), request.GET.get("page"), PER_PAGE
    )
    return render(
        request,
        "certification/lifecycle/certified_list.html",
        {"page": page, "status": status, "overdue": overdue, "statuses": CertificationStatus.choices},
    )


@login_required
def certified_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_for(request.user, pk)
    roles = certification_roles_for(request.user, certification)
    today = clock.today()
    actions = {t.action for t in CERTIFICATION.allowed_actions(certification.status, roles)}
    return render(
        request,
        "certification/lifecycle/certified_detail.html",
        {
            "cert": certification,
            "is_applicant": APPLICANT in roles,
            "is_city": CITY_REVIEWER in roles,
            "can_open_rereview": "open_rereview" in actions
            and selectors.rereview_can_open_on(certification, today),
            "can_revoke": "revoke" in actions,
            "can_spot_check": CITY_REVIEWER in roles and certification.in_force,
            "years_open": selectors.summary_years_open(certification, today)
            if certification.in_force
            else [],
            "summaries": selectors.summaries_of(certification),
            "overdue_duties": selectors.overdue_duties_of(certification),
            "rereviews": rereview_selectors.rereviews_of(certification),
            "spot_checks": rereview_selectors.spot_checks_of(certification),
            "history": history(CERTIFICATION, certification),
            "public_history": selectors.certification_history(certification),
        },
    )


@login_required
def summary_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_for(request.user, pk)
    if APPLICANT not in certification_roles_for(request.user, certification):
        raise PermissionDenied(_("只有认定平台所属机构的负责人或管理员可以报送年度工作总结。"))
    years = selectors.summary_years_open(certification) if certification.in_force else []
    if not years:
        messages.info(request, _("目前没有需要报送的年度工作总结。"))
        return redirect("certification:certified", pk=certification.pk)
    form = SummaryForm(request.POST or None, years=years, initial={"year": years[0]})
    if request.method == "POST" and form.is_valid():
        try:
            summary_services.summary_submit(
                actor=request.user, certification=certification, **form.cleaned_data
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("年度工作总结已报送。"))
            return redirect("certification:certified", pk=certification.pk)
    return render(
        request,
        "certification/lifecycle/summary_form.html",
        {
            "cert": certification,
            "form": form,
            "due": selectors.summary_due_on(certification.scheme, years[0]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def rereview_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_for(request.user, pk)
    try:
        rereview = services.rereview_open(actor=request.user, certification=certification)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("certification:certified", pk=certification.pk)
    messages.success(request, _("三年复核已开始。"))
    return redirect("certification:rereview", pk=rereview.pk)


@login_required
def certification_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = selectors.certification_for(request.user, pk)
    if CITY_REVIEWER not in certification_roles_for(request.user, certification):
        raise PermissionDenied(_("只有认定机关可以撤销称号。"))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_revoke(
                actor=request.user, certification=certification, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            apply_service_errors(form, exc, {"note": "reason"})
        else:
            messages.success(request, _("称号已撤销，撤销公告已发布。"))
            return redirect("certification:certified", pk=certification.pk)
    return render(
        request,
        "certification/lifecycle/revoke_form.html",
        {"cert": certification, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def overdue_summaries(request: AuthenticatedRequest) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    page = paginate(selectors.overdue_summaries(request.user), request.GET.get("page"), PER_PAGE)
    return render(request, "certification/lifecycle/overdue_summaries.html", {"page": page})
