"""Pages after certification: the platform's titles, yearly summaries, re-reviews, spot checks,
revocation, and the public revocation announcements. Views parse, check, call one selector or service
from ``lifecycle`` and render; scope is the selectors' (out of scope → 404), roles the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sme.accounts.models import Role
from sme.core import audit
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history

from . import lifecycle
from .lifecycle_forms import (
    ReasonForm,
    RectificationForm,
    ReReviewForm,
    RevokeForm,
    ScoreForm,
    SpotCheckForm,
    SummaryForm,
    score_field_map,
)
from .models import CertificationStatus, ReReview, ReReviewStatus, SpotCheck, SpotCheckStatus
from .workflow import APPLICANT, CERTIFICATION, CITY_REVIEWER, DISTRICT_REVIEWER, REREVIEW, SPOT_CHECK

PER_PAGE = 20
ANNOUNCEMENTS_PER_PAGE = 20


def _require_role(user: Any, *roles: str) -> None:
    if not (user.role in roles or user.is_platform_admin):
        raise PermissionDenied(_("您无权查看此页面。"))


# --- the titles --------------------------------------------------------------------------------


@login_required
def certified_list(request: AuthenticatedRequest) -> HttpResponse:
    """The titles in the user's scope: a platform's own, a district's, the city's."""
    user = request.user
    _require_role(user, Role.ENTERPRISE, Role.PROVIDER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    page = paginate(
        lifecycle.certification_list(user, status=status, overdue=overdue), request.GET.get("page"), PER_PAGE
    )
    return render(
        request,
        "certification/lifecycle/certified_list.html",
        {"page": page, "status": status, "overdue": overdue, "statuses": CertificationStatus.choices},
    )


@login_required
def certified_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = lifecycle.certification_for(request.user, pk)
    roles = lifecycle.certification_roles_for(request.user, certification)
    today = timezone.localdate()
    actions = {t.action for t in CERTIFICATION.allowed_actions(certification.status, roles)}
    return render(
        request,
        "certification/lifecycle/certified_detail.html",
        {
            "cert": certification,
            "is_applicant": APPLICANT in roles,
            "is_city": CITY_REVIEWER in roles,
            "can_open_rereview": "open_rereview" in actions
            and lifecycle.rereview_can_open_on(certification, today),
            "can_revoke": "revoke" in actions,
            "can_spot_check": CITY_REVIEWER in roles and certification.status in lifecycle.IN_FORCE,
            "years_open": lifecycle.summary_years_open(certification, today)
            if certification.status in lifecycle.IN_FORCE
            else [],
            "summaries": certification.annual_summaries.order_by("-year"),
            "overdue_duties": certification.summary_duties.filter(
                overdue_since__isnull=False, summary__isnull=True
            ).order_by("year"),
            "rereviews": certification.rereviews.order_by("-id"),
            "spot_checks": certification.spot_checks.order_by("-checked_on", "-id"),
            "history": history(CERTIFICATION, certification),
            "public_history": lifecycle.certification_history(certification),
        },
    )


@login_required
def summary_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = lifecycle.certification_for(request.user, pk)
    if APPLICANT not in lifecycle.certification_roles_for(request.user, certification):
        raise PermissionDenied(_("只有认定平台所属机构的负责人或管理员可以报送年度工作总结。"))
    years = lifecycle.summary_years_open(certification) if certification.status in lifecycle.IN_FORCE else []
    if not years:
        messages.info(request, _("目前没有需要报送的年度工作总结。"))
        return redirect("certification:certified", pk=certification.pk)
    form = SummaryForm(request.POST or None, years=years, initial={"year": years[0]})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.summary_submit(actor=request.user, certification=certification, **form.cleaned_data)
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
            "due": lifecycle.summary_due_on(certification.scheme, years[0]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def rereview_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = lifecycle.certification_for(request.user, pk)
    try:
        rereview = lifecycle.rereview_open(actor=request.user, certification=certification)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("certification:certified", pk=certification.pk)
    messages.success(request, _("三年复核已开始。"))
    return redirect("certification:rereview", pk=rereview.pk)


@login_required
def certification_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = lifecycle.certification_for(request.user, pk)
    if CITY_REVIEWER not in lifecycle.certification_roles_for(request.user, certification):
        raise PermissionDenied(_("只有认定机关可以撤销称号。"))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.certification_revoke(
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
    _require_role(request.user, Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    page = paginate(lifecycle.overdue_summaries(request.user), request.GET.get("page"), PER_PAGE)
    return render(request, "certification/lifecycle/overdue_summaries.html", {"page": page})


# --- re-reviews --------------------------------------------------------------------------------


@login_required
def rereview_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(lifecycle.rereview_queue(request.user, status=status), request.GET.get("page"), PER_PAGE)
    return render(
        request,
        "certification/lifecycle/rereview_list.html",
        {"page": page, "status": status, "statuses": ReReviewStatus.choices},
    )


def _rereview_page(
    request: AuthenticatedRequest,
    rereview: ReReview,
    *,
    edit_form: ReReviewForm | None = None,
    score_form: ScoreForm | None = None,
    return_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    certification = rereview.certification
    roles = lifecycle.certification_roles_for(request.user, certification)
    items = lifecycle.form_items(rereview.scheme)
    in_progress = certification.status == CertificationStatus.REREVIEW
    actions = {t.action for t in REREVIEW.allowed_actions(rereview.status, roles)} if in_progress else set()
    if edit_form is None and "submit" in actions:
        edit_form = ReReviewForm(
            initial={
                "version": rereview.version,
                "three_year_summary": rereview.three_year_summary,
                **{f"score_{k}": v for k, v in rereview.self_evaluation.items()},
            },
            items=items,
        )
    if score_form is None and actions & {"district_evaluate", "confirm", "fail"}:
        initial = rereview.district_scores if "confirm" in actions else {}
        score_form = ScoreForm(initial={f"score_{k}": v for k, v in initial.items()}, items=items)
    if return_form is None and "district_return" in actions:
        return_form = ReasonForm()
    rows = [
        {
            "label": item["label"],
            "max": item["max_score"],
            "self": rereview.self_evaluation.get(item["key"], ""),
            "district": rereview.district_scores.get(item["key"], ""),
            "city": rereview.city_scores.get(item["key"], ""),
        }
        for item in items
    ]
    return render(
        request,
        "certification/lifecycle/rereview_detail.html",
        {
            "rereview": rereview,
            "cert": certification,
            "actions": actions,
            "edit_form": edit_form,
            "score_form": score_form,
            "return_form": return_form,
            "rows": rows,
            "self_total": lifecycle.scores_total(rereview.scheme, rereview.self_evaluation),
            "max_total": lifecycle.form_max_total(rereview.scheme),
            "pass_score": lifecycle.form_pass_score(rereview.scheme),
            "problems": lifecycle.submission_problems(rereview) if "submit" in actions else {},
            "history": history(REREVIEW, rereview),
        },
        status=status,
    )


@login_required
def rereview_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The re-review; the platform saves its draft here (and submits it with the same form)."""
    rereview = lifecycle.rereview_for(request.user, pk)
    if request.method != "POST":
        return _rereview_page(request, rereview)
    items = lifecycle.form_items(rereview.scheme)
    form = ReReviewForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        try:
            rereview = lifecycle.rereview_update(
                actor=request.user,
                rereview=rereview,
                expected_version=form.cleaned_data["version"],
                three_year_summary=form.cleaned_data["three_year_summary"],
                self_evaluation=form.scores(),
                audit_report=form.cleaned_data.get("audit_report"),
            )
            if "submit" in request.POST:
                lifecycle.rereview_transition(actor=request.user, rereview=rereview, action="submit")
        except ServiceError as exc:
            apply_service_errors(form, exc, score_field_map(items, "self_evaluation"))
        else:
            if "submit" in request.POST:
                messages.success(request, _("复核材料已报送区县主管部门。"))
            else:
                messages.success(request, _("复核材料已保存。"))
            return redirect("certification:rereview", pk=rereview.pk)
    return _rereview_page(request, lifecycle.rereview_for(request.user, pk), edit_form=form, status=400)


@login_required
@require_POST
def rereview_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """The reviewers' steps: district_return, district_evaluate, confirm, fail (and submit)."""
    if action not in lifecycle.REREVIEW_ACTIONS:
        raise Http404
    rereview = lifecycle.rereview_for(request.user, pk)
    items = lifecycle.form_items(rereview.scheme)
    score_form = return_form = None
    scores: dict[str, Any] | None = None
    note = ""
    if action in ("district_evaluate", "confirm", "fail"):
        score_form = ScoreForm(request.POST, items=items)
        if not score_form.is_valid():
            return _rereview_page(request, rereview, score_form=score_form, status=400)
        scores, note = score_form.scores(), score_form.cleaned_data["note"]
    elif action == "district_return":
        return_form = ReasonForm(request.POST)
        if not return_form.is_valid():
            return _rereview_page(request, rereview, return_form=return_form, status=400)
        note = return_form.cleaned_data["note"]
    try:
        lifecycle.rereview_transition(
            actor=request.user, rereview=rereview, action=action, note=note, scores=scores
        )
    except ServiceError as exc:
        target = score_form or return_form
        if target is None:
            messages.error(request, exc.message)
            return redirect("certification:rereview", pk=rereview.pk)
        apply_service_errors(target, exc, score_field_map(items, "scores"))
        return _rereview_page(
            request,
            lifecycle.rereview_for(request.user, pk),
            score_form=score_form,
            return_form=return_form,
            status=409 if exc.status_code == 409 else 400,
        )
    done = {
        "submit": _("复核材料已报送区县主管部门。"),
        "district_return": _("已退回，平台会收到退回理由。"),
        "district_evaluate": _("测评已提交，已报市级主管部门复核。"),
        "confirm": _("复核合格，称号有效期已延长。"),
        "fail": _("复核不合格，称号已撤销并公告。"),
    }
    messages.success(request, done[action])
    return redirect("certification:rereview", pk=rereview.pk)


@login_required
@require_POST
def rereview_score_total(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: the running total of the scores being entered (nothing is saved)."""
    rereview = lifecycle.rereview_for(request.user, pk)
    total = Decimal(0)
    for item in lifecycle.form_items(rereview.scheme):
        problems: dict[str, list[str]] = {}
        raw = request.POST.get(f"score_{item['key']}", "")
        value = lifecycle.parse_decimal(raw, "score", problems, places=1, required=False)
        if value is not None and value <= Decimal(str(item["max_score"])):
            total += value
    return render(
        request,
        "certification/lifecycle/_score_total.html",
        {
            "total": total,
            "max_total": lifecycle.form_max_total(rereview.scheme),
            "pass_score": lifecycle.form_pass_score(rereview.scheme),
        },
    )


@login_required
@require_GET
def rereview_audit_report(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The audited income/expenditure report, for those who can see the re-review; each access audited."""
    rereview = lifecycle.rereview_for(request.user, pk)
    name = rereview.audit_report.name or ""
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record(
        "certification_rereview.audit_report_download",
        actor=request.user,
        obj=rereview,
        object_label=f"{rereview.certification.number} {rereview.certification.platform_name}",
        summary=_("下载服务收支专项审计报告（SHA-256 %(sha)s）") % {"sha": rereview.audit_report_sha256[:12]},
    )
    return FileResponse(
        handle, as_attachment=True, filename=rereview.audit_report_label or name.rsplit("/", 1)[-1]
    )


# --- spot checks --------------------------------------------------------------------------------


@login_required
def spot_check_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certification = lifecycle.certification_for(request.user, pk)
    if CITY_REVIEWER not in lifecycle.certification_roles_for(request.user, certification):
        raise PermissionDenied(_("只有认定机关可以开展抽查。"))
    form = SpotCheckForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            spot_check = lifecycle.spot_check_open(
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
    page = paginate(lifecycle.spot_check_list(request.user, status=status), request.GET.get("page"), PER_PAGE)
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
    roles = lifecycle.certification_roles_for(request.user, certification)
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
            "rectifications": spot_check.rectifications.select_related("created_by"),
            "history": history(SPOT_CHECK, spot_check),
            "is_district": DISTRICT_REVIEWER in roles,
        },
        status=status,
    )


@login_required
def spot_check_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _spot_check_page(request, lifecycle.spot_check_for(request.user, pk))


@login_required
@require_POST
def spot_check_rectify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    spot_check = lifecycle.spot_check_for(request.user, pk)
    form = RectificationForm(request.POST)
    if form.is_valid():
        try:
            lifecycle.spot_check_rectify(
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
    spot_check = lifecycle.spot_check_for(request.user, pk)
    note = request.POST.get("note", "")
    try:
        lifecycle.spot_check_transition(actor=request.user, spot_check=spot_check, action=action, note=note)
    except ServiceError as exc:
        form = ReasonForm(request.POST)
        form.is_valid()
        apply_service_errors(form, exc)
        return _spot_check_page(
            request, lifecycle.spot_check_for(request.user, pk), close_form=form, status=exc.status_code
        )
    messages.success(
        request, _("抽查合格，已结束。") if action == "pass" else _("抽查不合格，称号已撤销并公告。")
    )
    return redirect("certification:spot-check", pk=spot_check.pk)


# --- public ------------------------------------------------------------------------------------


@require_GET
def announcements(request: HttpRequest) -> HttpResponse:
    """Public: revoked titles with date, basis, reason and number (第十四条、第十五条). No login."""
    page = paginate(lifecycle.revocations(), request.GET.get("page"), ANNOUNCEMENTS_PER_PAGE)
    return render(request, "certification/lifecycle/announcements.html", {"page": page})
