"""Pages of the certification case: the applicant's report, the reviewers' queues and decisions,
the experts' scoring, objections, and the administrators' schemes. Views parse, check, call one
service or selector, and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.accounts.models import OFFICER_ROLES, Role
from sme.core import audit
from sme.core.errors import InvalidInput, ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history
from sme.organizations.models import (
    MANAGING_ROLES,
    PROVIDER_KINDS,
    Membership,
    MembershipStatus,
    Organization,
)

from . import eligibility, selectors, services
from .forms import (
    DeclarationForm,
    ExpertAssignForm,
    MaterialUploadForm,
    NoteForm,
    ObjectionResolveForm,
    QueueFilterForm,
    ReportForm,
    SchemeCopyForm,
    SchemeReviseForm,
)
from .models import (
    Application,
    ApplicationStatus,
    ApplicationYear,
    ExpertConflict,
    ExpertReview,
    Material,
    Objection,
    Scheme,
)
from .permissions import roles_for
from .workflow import APPLICANT, APPLICATION, CITY_REVIEWER, DISTRICT_REVIEWER

DECISION_ACTIONS = {
    "withdraw",
    "district_return",
    "district_reject",
    "recommend",
    "city_return",
    "city_reject",
    "approve_notice",
}


# --- helpers ----------------------------------------------------------------------------------


def _years_from_post(request: HttpRequest, years: list[int]) -> list[dict[str, Any]]:
    rows = []
    for year in years:
        row: dict[str, Any] = {"year": year}
        for name in ApplicationYear.FIGURE_FIELDS:
            row[name] = request.POST.get(f"y{year}_{name}", "").strip()
        rows.append(row)
    return rows


def _extra_keys(scheme: Scheme) -> list[dict[str, Any]]:
    """Numeric figures a scheme's criteria need beyond what the yearly table gives."""
    derived = {
        "years_operating",
        "total_assets_wan",
        "staff",
        "qualified_staff_share",
        "smes_served_by_year",
        "satisfaction",
    }
    extra = []
    for c in scheme.criteria:
        figure = c.get("figure")
        if c.get("kind") != "judgement" and figure and figure not in derived:
            extra.append(
                {"key": figure, "label": c.get("figure_label") or c.get("label"), "unit": c.get("unit", "")}
            )
    return list({e["key"]: e for e in extra}.values())


def _year_rows(application: Application, posted: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    labels = {
        name: services._field(ApplicationYear, name).verbose_name for name in ApplicationYear.FIGURE_FIELDS
    }
    if posted is not None:
        return [
            {
                "year": r["year"],
                "values": [(n, labels[n], r.get(n, "")) for n in ApplicationYear.FIGURE_FIELDS],
            }
            for r in posted
        ]
    out = []
    for y in application.years.all():
        out.append(
            {
                "year": y.year,
                "values": [
                    (n, labels[n], "" if getattr(y, n) is None else services._plain(getattr(y, n)))
                    for n in ApplicationYear.FIGURE_FIELDS
                ],
            }
        )
    return out


def _measured_rows(application: Application) -> list[dict[str, Any]]:
    """What the platform itself recorded for the applicant in each reported year (orders and ratings),
    shown beside the declared figures so reviewers can compare them."""
    from sme.orders.selectors import certification_figures

    years = sorted({y.year for y in application.years.all()})
    return [{"year": year, **certification_figures(application.organization_id, year)} for year in years]


def _eligibility_panel(application: Application, figures_raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """The live check for the page: the result, or the figures still missing."""
    try:
        if figures_raw is None:
            result = services.eligibility_of(application)
        else:
            figures = eligibility.parse_figures(application.scheme.criteria, figures_raw)
            result = eligibility.evaluate(application.scheme, district=application.district, figures=figures)
    except eligibility.EligibilityInputError as error:
        return {"result": None, "missing": [message for _name, message in error.problems]}
    return {"result": result, "missing": []}


def _figures_from_post(application: Application, request: HttpRequest) -> dict[str, Any]:
    """The eligibility figures of the unsaved form, computed as for a saved application."""
    raw_date = request.POST.get("established_on", "")
    try:
        established_on = dt.date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        established_on = None
    posted = _years_from_post(request, sorted(application.years.values_list("year", flat=True)))
    cleaned, _problems = services._clean_years(posted, [r["year"] for r in posted])
    rows = [ApplicationYear(year=r["year"], **{k: v for k, v in r.items() if k != "year"}) for r in cleaned]
    extras = {
        e["key"]: value
        for e in _extra_keys(application.scheme)
        if (value := request.POST.get(f"extra_{e['key']}", "").strip())
    }
    figures = services.figures_from_values(established_on, rows, extras, services._today())
    return services._json_numbers(figures)


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    return selectors.application_for(request.user, pk)


# --- home and the applicant's pages ------------------------------------------------------------


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.role in OFFICER_ROLES:
        return redirect("certification:queue")
    if user.role == Role.EXPERT:
        return redirect("certification:expert-home")
    memberships = Membership.objects.filter(
        user=user,
        status=MembershipStatus.ACTIVE,
        role__in=MANAGING_ROLES,
        organization__kind__in=PROVIDER_KINDS,
    ).select_related("organization")
    today = services._today()
    return render(
        request,
        "certification/home.html",
        {
            "applications": selectors.applications_visible_to(user).order_by("-created_at")[:50],
            "organizations": [m.organization for m in memberships],
            "schemes": selectors.schemes_open_on(today),
        },
    )


@login_required
@require_POST
def application_new(request: AuthenticatedRequest) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=request.POST.get("organization") or 0)
    scheme = Scheme.objects.current().filter(code=request.POST.get("scheme", "")).first()
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
    application = _application_or_404(request, pk)
    user = request.user
    roles = roles_for(user, application)
    reviews = list(application.expert_reviews.select_related("expert"))
    is_officer = bool(roles & {CITY_REVIEWER}) or user.is_platform_admin
    submitted = [r for r in reviews if r.submitted_at]
    totals = [r.total for r in submitted if r.total is not None]
    materials = list(application.materials.select_related("uploaded_by").order_by("slot", "-version"))
    revisions = list(application.revisions.order_by("number"))
    diff = []
    if len(revisions) >= 2:
        before, after = revisions[-2].snapshot, revisions[-1].snapshot
        diff = [
            (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)
        ]
    notices = list(application.notices.prefetch_related("objections").order_by("-published_on"))
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
            "years": _year_rows(application),
            "measured": _measured_rows(application),
            "categories": application.scheme.category_labels(application.categories),
            "materials_spec": application.scheme.materials,
            "materials": materials,
            "current_materials": {m.slot: m for m in materials if m.is_current},
            "eligibility": _eligibility_panel(application),
            "reviews": reviews if is_officer else [r for r in reviews if r.expert_id == user.pk],
            "scores_total": sum(totals) if totals else None,
            "scores_average": (sum(totals) / len(totals)) if totals else None,
            "all_scored": services.scores_complete(application),
            "assign_form": ExpertAssignForm() if CITY_REVIEWER in roles else None,
            "diff": diff,
            "revisions": revisions,
            "notices": notices,
            "resolve_form": ObjectionResolveForm(),
            "history": history(APPLICATION, application),
            "deadline": application.scheme.district_deadline(services._today().year),
            "today": services._today(),
            "declaration_form": DeclarationForm(
                initial={
                    "declaration_name": application.legal_representative,
                    "declaration_date": services._today(),
                }
            ),
            "problems": services.submission_problems(application)
            if application.editable and APPLICANT in roles
            else {},
        },
    )


@login_required
def application_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    if APPLICANT not in roles_for(request.user, application):
        raise PermissionDenied(_("只有申报单位的负责人或管理员可以修改申请。"))
    if not application.editable:
        messages.info(request, _("申请已提交，当前不能修改。"))
        return redirect("certification:application", pk=application.pk)
    years = sorted(application.years.values_list("year", flat=True))
    form = ReportForm(request.POST or None, instance=application)
    posted_years = _years_from_post(request, years) if request.method == "POST" else None
    chosen = request.POST.getlist("categories") if request.method == "POST" else list(application.categories)
    extras_spec = _extra_keys(application.scheme)
    extras = (
        {e["key"]: request.POST.get(f"extra_{e['key']}", "") for e in extras_spec}
        if request.method == "POST"
        else {e["key"]: application.extra_figures.get(e["key"], "") for e in extras_spec}
    )
    year_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        report = {name: form.cleaned_data.get(name) for name in services.REPORT_FIELDS}
        try:
            services.application_update(
                actor=request.user,
                application=application,
                expected_version=form.cleaned_data["version"],
                report=report,
                years=posted_years or [],
                categories=chosen,
                extra_figures={k: v for k, v in extras.items() if v not in ("", None)},
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
            "years": _year_rows(application, posted_years),
            "year_errors": year_errors,
            "categories": application.scheme.categories,
            "chosen": chosen,
            "extras": [{**e, "value": extras.get(e["key"], "")} for e in extras_spec],
            "eligibility": _eligibility_panel(application),
        },
    )


@login_required
@require_POST
def application_eligibility(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live check as the form is filled (htmx): figures from the unsaved form, nothing stored."""
    application = _application_or_404(request, pk)
    if APPLICANT not in roles_for(request.user, application):
        raise PermissionDenied
    panel = _eligibility_panel(application, _figures_from_post(application, request))
    return render(
        request, "certification/_eligibility.html", {"eligibility": panel, "application": application}
    )


@login_required
@require_POST
def material_upload(request: AuthenticatedRequest, pk: int, slot: str) -> HttpResponse:
    application = _application_or_404(request, pk)
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


def _detail_url(application: Application) -> str:
    from django.urls import reverse

    return reverse("certification:application", args=[application.pk])


@login_required
def material_download(request: AuthenticatedRequest, pk: int, material_pk: int) -> FileResponse:
    application = _application_or_404(request, pk)
    material = get_object_or_404(Material, pk=material_pk, application=application)
    audit.record(
        "certification_application.material_download",
        actor=request.user,
        obj=application,
        summary=_("下载材料：%(label)s（第%(v)s版）") % {"label": material.label, "v": material.version},
    )
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.label,
        content_type=material.content_type,
    )


@login_required
@require_POST
def application_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
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
    application = _application_or_404(request, pk)
    if action not in DECISION_ACTIONS:
        raise Http404
    note = request.POST.get("note", "")
    try:
        if action == "withdraw":
            services.application_withdraw(actor=request.user, application=application, note=note)
            message = _("申请已撤回。")
        elif action in ("district_return", "district_reject", "recommend"):
            _app, message = services.application_district_decide(
                actor=request.user, application=application, action=action, note=note
            )
        else:
            services.application_city_decide(
                actor=request.user, application=application, action=action, note=note
            )
            message = _("已办理：%(action)s。") % {"action": APPLICATION.action_label(action)}
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("certification:application", pk=application.pk)


@login_required
@require_POST
def application_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = ExpertAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择评审专家（至少三名）。"))
    else:
        try:
            services.application_assign_experts(
                actor=request.user, application=application, experts=form.cleaned_data["experts"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
            if isinstance(error, InvalidInput):
                for message in error.field_errors.get("experts", [])[1:]:
                    messages.error(request, message)
        else:
            messages.success(request, _("已指派评审专家，专家会收到评审任务通知。"))
    return redirect("certification:application", pk=application.pk)


@login_required
@require_POST
def application_grant(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    try:
        certification = services.application_grant(actor=request.user, application=application)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("certification:application", pk=application.pk)
    messages.success(request, _("已授予称号，证书编号 %(number)s。") % {"number": certification.number})
    return redirect("certification:application", pk=application.pk)


@login_required
@require_POST
def objection_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("notice__application"), pk=pk)
    application = _application_or_404(request, objection.notice.application_id)
    form = ObjectionResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写处理意见。"))
    else:
        try:
            services.objection_resolve(
                actor=request.user,
                objection=objection,
                uphold=form.cleaned_data["uphold"],
                resolution=form.cleaned_data["resolution"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("异议已处理。"))
    return redirect("certification:application", pk=application.pk)


# --- reviewers ----------------------------------------------------------------------------------


@login_required
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (user.role in OFFICER_ROLES or user.is_platform_admin):
        raise PermissionDenied(_("只有主管部门可以查看评审队列。"))
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.review_queue(
        user, status=filters.get("status") or "", round_year=filters.get("round_year")
    )
    page = paginate(qs, request.GET.get("page"))
    today = services._today()
    counts = selectors.queue_counts(user)
    return render(
        request,
        "certification/queue.html",
        {
            "form": form,
            "page": page,
            "counts": [
                (status, label, counts[status])
                for status, label in ApplicationStatus.choices
                if status in counts
            ],
            "today": today,
            "deadline": _deadline_note(today),
        },
    )


def _deadline_note(today: dt.date) -> list[tuple[Scheme, dt.date]]:
    return [(s, s.district_deadline(today.year)) for s in selectors.schemes_open_on(today)]


@login_required
def expert_home(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise PermissionDenied(_("只有评审专家可以查看评审任务。"))
    conflicts = ExpertConflict.objects.filter(expert=request.user).select_related("organization")
    return render(
        request,
        "certification/expert_home.html",
        {"reviews": selectors.expert_reviews_for(request.user), "conflicts": conflicts},
    )


@login_required
def expert_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    review = (
        ExpertReview.objects.filter(application=application, expert=request.user)
        .select_related("scheme")
        .first()
    )
    if review is None:
        raise PermissionDenied(_("您不是该申请的评审专家。"))
    form_spec = review.scheme.expert_form or {}
    errors: dict[str, list[str]] = {}
    values = dict(review.scores)
    comment = review.comment
    if request.method == "POST":
        values = {
            item["key"]: request.POST.get(f"score_{item['key']}", "") for item in form_spec.get("items", [])
        }
        comment = request.POST.get("comment", "")
        try:
            services.expert_review_submit(
                actor=request.user, application=application, scores=values, comment=comment
            )
        except ServiceError as error:
            if isinstance(error, InvalidInput):
                errors = error.field_errors
            messages.error(request, error.message)
        else:
            messages.success(request, _("评分已提交。"))
            return redirect("certification:expert-review", pk=application.pk)
    all_reviews = list(application.expert_reviews.select_related("expert"))
    everyone_scored = all(r.submitted_at for r in all_reviews)
    return render(
        request,
        "certification/expert_review.html",
        {
            "application": application,
            "review": review,
            "items": [
                {
                    **item,
                    "value": values.get(item["key"], ""),
                    "errors": errors.get(f"scores.{item['key']}", []),
                }
                for item in form_spec.get("items", [])
            ],
            "form_note": form_spec.get("note", ""),
            "comment": comment,
            # Other experts' scores stay hidden until everyone has scored.
            "others": [r for r in all_reviews if r.pk != review.pk] if everyone_scored else None,
            "years": _year_rows(application),
            "categories": application.scheme.category_labels(application.categories),
            "eligibility": _eligibility_panel(application),
            "materials": application.materials.filter(is_current=True).order_by("slot"),
        },
    )


@login_required
def expert_conflicts(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise PermissionDenied(_("只有评审专家可以申报回避。"))
    if request.method == "POST":
        code = request.POST.get("uscc", "").strip().upper()
        organization = Organization.objects.filter(uscc=code).first()
        if organization is None:
            messages.error(request, _("没有找到统一社会信用代码为 %(code)s 的机构。") % {"code": code or "—"})
        else:
            try:
                services.expert_conflict_declare(
                    actor=request.user, organization=organization, reason=request.POST.get("reason", "")
                )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("已申报回避：%(name)s") % {"name": organization.name})
    return redirect("certification:expert-home")


# --- schemes --------------------------------------------------------------------------------------


def scheme_list(request: HttpRequest) -> HttpResponse:
    """Public: the schemes in force and their versions; administrators copy and revise them here."""
    schemes = Scheme.objects.select_related("region").order_by("code", "-version")
    return render(request, "certification/schemes.html", {"schemes": schemes})


def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme.objects.select_related("region", "copied_from"), pk=pk)
    return render(request, "certification/scheme_detail.html", {"scheme": scheme})


@login_required
def scheme_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    if not request.user.is_platform_admin:
        raise PermissionDenied(_("只有平台管理员可以维护认定办法。"))
    form = SchemeCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.scheme_copy_as_district(actor=request.user, scheme=scheme, **form.cleaned_data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已创建区县级认定办法，可继续修改。"))
            return redirect("certification:scheme-revise", pk=copy.pk)
    return render(request, "certification/scheme_copy.html", {"scheme": scheme, "form": form})


@login_required
def scheme_revise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    if not request.user.is_platform_admin:
        raise PermissionDenied(_("只有平台管理员可以维护认定办法。"))
    form = SchemeReviseForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if not values:
            messages.info(request, _("没有修改。"))
            return redirect("certification:scheme", pk=scheme.pk)
        try:
            revised = services.scheme_revise(actor=request.user, scheme=scheme, values=values)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存为第%(v)s版。") % {"v": revised.version})
            return redirect("certification:scheme", pk=revised.pk)
    return render(request, "certification/scheme_revise.html", {"scheme": scheme, "form": form})
