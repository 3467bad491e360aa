from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sme.accounts.models import Role
from sme.core import audit, clock
from sme.core.errors import InvalidInput, ServiceError
from sme.core.forms import apply_service_errors
from sme.core.messages import msg
from sme.core.pagination import paginate
from sme.core.pdf import PDF_CONTENT_TYPE, render_pdf
from sme.core.typing import AuthenticatedRequest

from . import selectors, services
from .forms import DimensionPageForm, PledgeForm, VerifiedScoreForm, response_filters
from .instrument import Instrument
from .models import AssessmentResponse
from .permissions import can_take, can_verify, is_officer_view
from .report import build_report


def _response_or_404(request: HttpRequest, pk: int) -> AssessmentResponse:
    response = selectors.response_for(request.user, pk)
    if response is None:
        raise Http404(_("评测不存在，或不在您的查看范围内。"))
    return response


def _is_officer_view(user: Any) -> bool:
    return is_officer_view(user)


def _audit_view(request: AuthenticatedRequest, response: AssessmentResponse, what: str) -> None:
    """Authorities reading an enterprise's result leave an audit row (restricted data)."""
    if _is_officer_view(request.user):
        audit.record(
            f"assessment_response.{what}",
            actor=request.user,
            obj=response,
            summary=msg("查看企业评测结果") if what == "view" else msg("下载企业评测报告PDF"),
        )


# --- enterprise: start, fill, submit -------------------------------------------------------------


@never_cache
@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """An enterprise user's assessments; authorities go to the list of their scope."""
    user = request.user
    if _is_officer_view(user):
        return redirect("assessment:responses")
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("数字化水平评测面向企业用户。"))
    questionnaires = selectors.questionnaires_in_force()
    enterprises = []
    for org in selectors.enterprises_of(user):
        responses = list(selectors.responses_of(org))
        drafts = {r.questionnaire_id: r for r in responses if r.is_draft}
        latest: dict[str, AssessmentResponse] = {}
        for r in responses:
            if not r.is_draft and r.questionnaire_code not in latest:
                latest[r.questionnaire_code] = r
        enterprises.append(
            {
                "org": org,
                "offers": [
                    {"questionnaire": q, "draft": drafts.get(q.pk), "latest": latest.get(q.code)}
                    for q in questionnaires
                ],
                "responses": responses,
            }
        )
    return render(request, "assessment/home.html", {"enterprises": enterprises})


@login_required
@require_POST
def start(request: AuthenticatedRequest, code: str) -> HttpResponse:
    questionnaire = selectors.questionnaire_for(code)
    if questionnaire is None:
        raise Http404(_("没有这份问卷。"))
    try:
        org_pk = int(request.POST.get("organization", ""))
    except ValueError:
        org_pk = 0
    org = selectors.enterprise_of_member(request.user, org_pk)
    if org is None:
        raise Http404(_("企业不存在，或您不是该企业的成员。"))
    try:
        response = services.response_start(actor=request.user, organization=org, questionnaire=questionnaire)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:home")
    return redirect("assessment:fill", pk=response.pk, page=_first_open_page(response))


def _first_open_page(response: AssessmentResponse) -> int:
    instrument = selectors.instrument_for(response.questionnaire_id)
    for number, dim in enumerate(instrument.dimensions, start=1):
        if any(response.answers.get(i.key) in (None, "", []) for i in dim.items):
            return number
    return len(instrument.dimensions)


def _page_progress(instrument: Instrument, answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "dimension": dim,
            "answered": sum(1 for i in dim.items if answers.get(i.key) not in (None, "", [])),
            "count": len(dim.items),
        }
        for n, dim in enumerate(instrument.dimensions, start=1)
    ]


def _draft_for_member(request: AuthenticatedRequest, pk: int) -> AssessmentResponse | HttpResponse:
    response = _response_or_404(request, pk)
    if not response.is_draft:
        return redirect("assessment:report", pk=response.pk)
    if not can_take(request.user, response.organization):
        raise PermissionDenied(_("只有该企业的企业用户成员可以填写评测。"))
    return response


@never_cache
@login_required
def fill(request: AuthenticatedRequest, pk: int, page: int) -> HttpResponse:
    """One dimension per page; every save keeps the draft, to be resumed any time."""
    found = _draft_for_member(request, pk)
    if isinstance(found, HttpResponse):
        return found
    response = found
    instrument = selectors.instrument_for(response.questionnaire_id)
    pages = len(instrument.dimensions)
    if not 1 <= page <= pages:
        raise Http404(_("没有这一页。"))
    dimension = instrument.dimensions[page - 1]
    form = DimensionPageForm(
        request.POST or None,
        instrument=instrument,
        dimension=dimension,
        answers=response.answers,
        version=response.version,
    )
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_save_draft(
                actor=request.user,
                response=response,
                answers=form.answers(),
                item_keys=[i.key for i in dimension.items],
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as exc:
            apply_service_errors(form, exc, form.field_map())
        else:
            go = request.POST.get("go", "save")
            if go == "next" and page < pages:
                return redirect("assessment:fill", pk=response.pk, page=page + 1)
            if go == "prev" and page > 1:
                return redirect("assessment:fill", pk=response.pk, page=page - 1)
            if go == "submit" or (go == "next" and page == pages):
                return redirect("assessment:submit", pk=response.pk)
            if go.startswith("page-") and go[5:].isdigit() and 1 <= int(go[5:]) <= pages:
                return redirect("assessment:fill", pk=response.pk, page=int(go[5:]))
            messages.success(request, _("已保存草稿，可随时回来继续填写。"))
            return redirect("assessment:fill", pk=response.pk, page=page)
    return render(
        request,
        "assessment/fill.html",
        {
            "response": response,
            "instrument": instrument,
            "dimension": dimension,
            "form": form,
            "page": page,
            "pages": pages,
            "progress": _page_progress(instrument, response.answers),
        },
    )


@never_cache
@login_required
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _draft_for_member(request, pk)
    if isinstance(found, HttpResponse):
        return found
    response = found
    instrument = selectors.instrument_for(response.questionnaire_id)
    # An unticked checkbox sends nothing: bind on the method, not on a non-empty body.
    form = PledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_submit(
                actor=request.user, response=response, pledge=form.cleaned_data["pledge"]
            )
        except InvalidInput as exc:
            if "pledge" in exc.field_errors:
                apply_service_errors(form, exc)
            else:  # unanswered or bad items: the summary here, the list of them below
                form.add_error(None, exc.message)
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("评测已提交。以下是您的评测报告。"))
            return redirect("assessment:report", pk=response.pk)
    missing = set(selectors.missing_items(response))
    progress = _page_progress(instrument, response.answers)
    for row in progress:
        row["missing"] = [i for i in row["dimension"].items if i.key in missing]
    return render(
        request,
        "assessment/submit.html",
        {
            "response": response,
            "instrument": instrument,
            "form": form,
            "progress": progress,
            "missing_count": len(missing),
            "pages": len(instrument.dimensions),
        },
    )


@login_required
@require_POST
def delete_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    response = _response_or_404(request, pk)
    try:
        services.response_delete_draft(actor=request.user, response=response)
    except ServiceError as exc:
        if not can_take(request.user, response.organization):
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("assessment:report", pk=response.pk)
    messages.success(request, _("草稿已删除。"))
    return redirect("assessment:home")


# --- the report ------------------------------------------------------------------------------------


@never_cache
@login_required
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    response = _response_or_404(request, pk)
    if response.is_draft:
        return redirect("assessment:fill", pk=response.pk, page=_first_open_page(response))
    data = build_report(response)
    _audit_view(request, response, "view")
    return render(
        request,
        "assessment/report.html",
        {
            "report": data,
            "response": response,
            "can_verify": can_verify(request.user, response),
            "is_member": can_take(request.user, response.organization),
        },
    )


@login_required
def report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    response = _response_or_404(request, pk)
    if response.is_draft:
        raise Http404(_("草稿没有评测报告。"))
    data = build_report(response)
    _audit_view(request, response, "pdf")
    pdf = render_pdf(
        "assessment/report_pdf.html",
        {
            "report": data,
            "response": response,
            "generated_at": timezone.localtime(clock.now()),
            # links in the PDF (to the catalogue's categories) must be absolute
            "site_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )
    result = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    stamp = timezone.localtime(response.submitted_at).strftime("%Y%m%d") if response.submitted_at else ""
    result["Content-Disposition"] = f'attachment; filename="assessment-{response.pk}-{stamp}.pdf"'
    return result


# --- authorities -----------------------------------------------------------------------------------


@never_cache
@login_required
def verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An officer records the on-site evaluation (现场评定) of a submitted response."""
    response = _response_or_404(request, pk)
    if not can_verify(request.user, response):
        raise PermissionDenied(_("只有企业所在区县或所在城市的主管部门可以录入现场评定结果。"))
    form = VerifiedScoreForm(request.POST or None, initial={"evaluated_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.verified_score_record(
                actor=request.user,
                response=response,
                total=form.cleaned_data["total"],
                evaluated_on=form.cleaned_data["evaluated_on"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("现场评定结果已记录，企业会收到通知。"))
            return redirect("assessment:report", pk=response.pk)
    return render(
        request,
        "assessment/verify.html",
        {
            "response": response,
            "form": form,
            "earlier": selectors.verified_scores_of(response),
        },
    )


@never_cache
@login_required
def response_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _is_officer_view(user):
        raise PermissionDenied(_("只有主管部门和平台管理员可以浏览企业评测列表。"))
    form, filters = response_filters(user, request.GET)
    page = paginate(selectors.officer_response_list(user, **filters), request.GET.get("page"))
    return render(request, "assessment/list.html", {"form": form, "page": page})
