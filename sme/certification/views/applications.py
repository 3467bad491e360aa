"""Pages of an application: the applicant's home, the draft and its report, materials, the live
eligibility check, submission, and the case page where reviewers decide. Views parse (forms), check,
call one service or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.accounts.models import OFFICER_ROLES, Role
from sme.core import clock
from sme.core.errors import InvalidInput, ServiceError
from sme.core.forms import apply_service_errors
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history

from ..forms.applications import DeclarationForm, FiguresInput, MaterialUploadForm, NoteForm, ReportForm
from ..forms.notices import ObjectionResolveForm
from ..forms.reviews import ExpertAssignForm
from ..models import Application
from ..permissions import roles_for
from ..selectors import applications as selectors
from ..selectors import notices as notice_selectors
from ..selectors import reviews as review_selectors
from ..selectors import schemes as scheme_selectors
from ..services import applications as services
from ..services import reviews as review_services
from ..workflow import APPLICANT, APPLICATION, CITY_REVIEWER, DISTRICT_REVIEWER

DECISION_ACTIONS = {
    "withdraw",
    "district_return",
    "district_reject",
    "recommend",
    "city_return",
    "city_reject",
    "approve_notice",
}


def _detail_url(application: Application) -> str:
    return reverse("certification:application", args=[application.pk])


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.role in OFFICER_ROLES:
        return redirect("certification:queue")
    if user.role == Role.EXPERT:
        return redirect("certification:expert-home")
    return render(
        request,
        "certification/home.html",
        {
            "applications": selectors.applications_visible_to(user).order_by("-created_at")[:50],
            "organizations": selectors.organizations_managed_by(user),
            "schemes": scheme_selectors.schemes_open_on(clock.today()),
        },
    )


@login_required
@require_POST
def application_new(request: AuthenticatedRequest) -> HttpResponse:
    organization = selectors.organization_by_pk(request.POST.get("organization"))
    if organization is None:
        raise Http404
    scheme = scheme_selectors.scheme_current(request.POST.get("scheme", ""))
    if scheme is None:
        messages.error(request, _("请选择认定办法。"))
        return redirect("certification:home")
    try:
        application = services.application_create(
            actor=request.user, organization=organization, scheme=scheme
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("certification:home")
    messages.success(request, _("已创建申请草稿，请填写申请报告并上传材料。"))
    return redirect("certification:edit", pk=application.pk)


@login_required
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    user = request.user
    roles = roles_for(user, application)
    reviews = review_selectors.reviews_of(application)
    is_officer = CITY_REVIEWER in roles or user.is_platform_admin
    totals = [r.total for r in reviews if r.submitted_at and r.total is not None]
    materials = selectors.materials_of(application)
    revisions = selectors.revisions_of(application)
    today = clock.today()
    actions = [
        t for t in APPLICATION.allowed_actions(application.status, roles) if t.action in DECISION_ACTIONS
    ]
    return render(
        request,
        "certification/detail.html",
        {
            "application": application,
            "roles": roles,
            "is_applicant": APPLICANT in roles,
            "is_district": DISTRICT_REVIEWER in roles,
            "is_city": CITY_REVIEWER in roles,
            "actions": actions,
            "note_form": NoteForm(),
            "years": FiguresInput(None, application, []).year_rows(),
            "measured": selectors.measured_rows(application),
            "categories": application.scheme.category_labels(application.categories),
            "materials_spec": application.scheme.materials,
            "materials": materials,
            "current_materials": {m.slot: m for m in materials if m.is_current},
            "eligibility": selectors.eligibility_panel(application),
            "reviews": reviews if is_officer else [r for r in reviews if r.expert_id == user.pk],
            "scores_total": sum(totals) if totals else None,
            "scores_average": (sum(totals) / len(totals)) if totals else None,
            "all_scored": review_selectors.scores_complete(application),
            "assign_form": ExpertAssignForm() if CITY_REVIEWER in roles else None,
            "diff": selectors.revision_diff(revisions),
            "revisions": revisions,
            "notices": notice_selectors.notices_of(application),
            "resolve_form": ObjectionResolveForm(),
            "history": history(APPLICATION, application),
            "deadline": application.scheme.district_deadline(today.year),
            "today": today,
            "declaration_form": DeclarationForm(
                initial={"declaration_name": application.legal_representative, "declaration_date": today}
            ),
            "problems": selectors.submission_problems(application)
            if application.editable and APPLICANT in roles
            else {},
        },
    )


@login_required
def application_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    if APPLICANT not in roles_for(request.user, application):
        raise PermissionDenied(_("只有申报单位的负责人或管理员可以修改申请。"))
    if not application.editable:
        messages.info(request, _("申请已提交，当前不能修改。"))
        return redirect("certification:application", pk=application.pk)
    posted = request.POST if request.method == "POST" else None
    form = ReportForm(posted, instance=application)
    figures_input = FiguresInput(posted, application, selectors.report_years_of(application))
    year_errors: dict[str, list[str]] = {}
    if posted is not None and form.is_valid():
        try:
            services.application_update(
                actor=request.user,
                application=application,
                expected_version=form.cleaned_data["version"],
                report=form.report(),
                years=figures_input.years() or [],
                categories=figures_input.categories(),
                extra_figures=figures_input.extras_given(),
            )
        except ServiceError as error:
            apply_service_errors(form, error)
            if isinstance(error, InvalidInput):
                year_errors = {
                    k: v
                    for k, v in error.field_errors.items()
                    if k.startswith(("years.", "extra.", "categories"))
                }
        else:
            messages.success(request, _("申请报告已保存。"))
            if request.POST.get("next") == "detail":
                return redirect("certification:application", pk=application.pk)
            return redirect("certification:edit", pk=application.pk)
    return render(
        request,
        "certification/edit.html",
        {
            "application": application,
            "form": form,
            "years": figures_input.year_rows(),
            "year_errors": year_errors,
            "categories": application.scheme.categories,
            "chosen": figures_input.categories(),
            "extras": figures_input.extra_rows(),
            "eligibility": selectors.eligibility_panel(application),
        },
    )


@login_required
@require_POST
def application_eligibility(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live check as the form is filled (htmx): figures from the unsaved form, nothing stored."""
    application = selectors.application_for(request.user, pk)
    if APPLICANT not in roles_for(request.user, application):
        raise PermissionDenied
    figures_input = FiguresInput(request.POST, application, selectors.report_years_of(application))
    panel = selectors.eligibility_panel(application, figures_input.eligibility_figures())
    return render(
        request, "certification/_eligibility.html", {"eligibility": panel, "application": application}
    )


@login_required
@require_POST
def material_upload(request: AuthenticatedRequest, pk: int, slot: str) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            material = services.material_upload(
                actor=request.user, application=application, slot=slot, upload=form.cleaned_data["file"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已上传「%(label)s」（第%(v)s版，SHA-256 %(sha)s）。")
                % {"label": material.label, "v": material.version, "sha": material.sha256[:16] + "…"},
            )
    return redirect(f"{_detail_url(application)}#materials")


@login_required
@require_POST
def application_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    form = DeclarationForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.application_submit(
            actor=request.user,
            application=application,
            declaration_name=data.get("declaration_name") or "",
            declaration_date=data.get("declaration_date"),
            declared=bool(data.get("declared")),
        )
    except ServiceError as error:
        messages.error(request, error.message)
        if isinstance(error, InvalidInput):
            for field_messages in error.field_errors.values():
                for message in field_messages:
                    messages.error(request, message)
    else:
        messages.success(request, _("已提交，所在区县主管部门审查后会通知您。"))
    return redirect("certification:application", pk=application.pk)


@login_required
@require_POST
def application_decide(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    if action not in DECISION_ACTIONS:
        raise Http404
    note = request.POST.get("note", "")
    try:
        if action == "withdraw":
            services.application_withdraw(actor=request.user, application=application, note=note)
            message = _("申请已撤回。")
        elif action in services.DISTRICT_ACTIONS:
            _app, message = services.application_district_decide(
                actor=request.user, application=application, action=action, note=note
            )
        else:
            review_services.application_city_decide(
                actor=request.user, application=application, action=action, note=note
            )
            message = _("已办理：%(action)s。") % {"action": APPLICATION.action_label(action)}
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("certification:application", pk=application.pk)
