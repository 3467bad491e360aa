"""Pages of the triennial re-review (第十四条): the queue, the re-review (the platform's draft and the
reviewers' steps) and the live total of scores being entered."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history

from .. import figures, names
from ..forms.reviews import scores_from_post
from ..forms.titles import ReasonForm, ReReviewForm, ScoreForm, score_field_map
from ..models import CertificationStatus, ReReview, ReReviewStatus
from ..permissions import certification_roles_for
from ..selectors import rereviews as selectors
from ..services import rereviews as services
from ..workflow import REREVIEW

PER_PAGE = 20
DONE = {
    "submit": gettext_lazy("复核材料已报送区县主管部门。"),
    "district_return": gettext_lazy("已退回，平台会收到退回理由。"),
    "district_evaluate": gettext_lazy("测评已提交，已报市级主管部门复核。"),
    "confirm": gettext_lazy("复核合格，称号有效期已延长。"),
    "fail": gettext_lazy("复核不合格，称号已撤销并公告。"),
}


@login_required
def rereview_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(selectors.rereview_queue(request.user, status=status), request.GET.get("page"), PER_PAGE)
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
    roles = certification_roles_for(request.user, certification)
    items = figures.annual_form_items(rereview.scheme)
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
    if score_form is None and actions & set(services.SCORED_ACTIONS):
        initial = rereview.district_scores if "confirm" in actions else {}
        score_form = ScoreForm(initial={f"score_{k}": v for k, v in initial.items()}, items=items)
    if return_form is None and "district_return" in actions:
        return_form = ReasonForm()
    rows = [
        {
            "label": names.local(item),
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
            "audit_report": selectors.audit_report_of(rereview),
            "actions": actions,
            "edit_form": edit_form,
            "score_form": score_form,
            "return_form": return_form,
            "rows": rows,
            "self_total": figures.scores_total(rereview.scheme, rereview.self_evaluation),
            "max_total": figures.annual_form_max_total(rereview.scheme),
            "pass_score": figures.annual_form_pass_score(rereview.scheme),
            "problems": selectors.rereview_submission_problems(rereview) if "submit" in actions else {},
            "history": history(REREVIEW, rereview),
        },
        status=status,
    )


@login_required
def rereview_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The re-review; the platform saves its draft here (and submits it with the same form)."""
    rereview = selectors.rereview_for(request.user, pk)
    if request.method != "POST":
        return _rereview_page(request, rereview)
    items = figures.annual_form_items(rereview.scheme)
    form = ReReviewForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        try:
            rereview = services.rereview_update(
                actor=request.user,
                rereview=rereview,
                expected_version=form.cleaned_data["version"],
                three_year_summary=form.cleaned_data["three_year_summary"],
                self_evaluation=form.scores(),
                audit_report=form.cleaned_data.get("audit_report"),
            )
            if "submit" in request.POST:
                services.rereview_transition(actor=request.user, rereview=rereview, action="submit")
        except ServiceError as exc:
            apply_service_errors(form, exc, score_field_map(items, "self_evaluation"))
        else:
            messages.success(request, DONE["submit"] if "submit" in request.POST else _("复核材料已保存。"))
            return redirect("certification:rereview", pk=rereview.pk)
    return _rereview_page(request, selectors.rereview_for(request.user, pk), edit_form=form, status=400)


@login_required
@require_POST
def rereview_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """The reviewers' steps: district_return, district_evaluate, confirm, fail (and submit)."""
    if action not in DONE:
        raise Http404
    rereview = selectors.rereview_for(request.user, pk)
    items = figures.annual_form_items(rereview.scheme)
    score_form = return_form = None
    scores: dict[str, Any] | None = None
    note = ""
    if action in services.SCORED_ACTIONS:
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
        services.rereview_transition(
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
            selectors.rereview_for(request.user, pk),
            score_form=score_form,
            return_form=return_form,
            status=409 if exc.status_code == 409 else 400,
        )
    messages.success(request, DONE[action])
    return redirect("certification:rereview", pk=rereview.pk)


@login_required
@require_POST
def rereview_score_total(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: the running total of the scores being entered (nothing is saved)."""
    rereview = selectors.rereview_for(request.user, pk)
    items = figures.annual_form_items(rereview.scheme)
    return render(
        request,
        "certification/lifecycle/_score_total.html",
        {
            "total": figures.running_total(items, scores_from_post(request.POST, items)),
            "max_total": figures.annual_form_max_total(rereview.scheme),
            "pass_score": figures.annual_form_pass_score(rereview.scheme),
        },
    )
