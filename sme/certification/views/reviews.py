"""Pages of the review: the officers' queue, assigning experts, the experts' tasks, scoring and
declared conflicts of interest."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.accounts.models import OFFICER_ROLES, Role
from sme.core import clock
from sme.core.errors import InvalidInput, ServiceError
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest

from .. import names
from ..forms.applications import FiguresInput
from ..forms.reviews import ConflictDeclareForm, ExpertAssignForm, QueueFilterForm, scores_from_post
from ..models import ApplicationStatus, Scheme
from ..selectors import applications as application_selectors
from ..selectors import reviews as selectors
from ..selectors import schemes as scheme_selectors
from ..services import reviews as services


@login_required
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (user.role in OFFICER_ROLES or user.is_platform_admin):
        raise PermissionDenied(_("只有主管部门可以查看评审队列。"))
    form = QueueFilterForm(request.GET or None)
    page = paginate(application_selectors.review_queue(user, **form.filters()), request.GET.get("page"))
    today = clock.today()
    counts = application_selectors.queue_counts(user)
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
    return [(s, s.district_deadline(today.year)) for s in scheme_selectors.schemes_open_on(today)]


@login_required
@require_POST
def application_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = application_selectors.application_for(request.user, pk)
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
def expert_home(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise PermissionDenied(_("只有评审专家可以查看评审任务。"))
    return render(
        request,
        "certification/expert_home.html",
        {
            "reviews": selectors.expert_reviews_for(request.user),
            "conflicts": selectors.conflicts_of(request.user),
        },
    )


@login_required
def expert_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = application_selectors.application_for(request.user, pk)
    review = selectors.review_of(application, request.user)
    if review is None:
        raise PermissionDenied(_("您不是该申请的评审专家。"))
    form_spec = review.scheme.expert_form or {}
    items = form_spec.get("items", [])
    errors: dict[str, list[str]] = {}
    values = dict(review.scores)
    comment = review.comment
    if request.method == "POST":
        values = scores_from_post(request.POST, items)
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
    all_reviews = selectors.reviews_of(application)
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
                    "label": names.local(item),
                    "value": values.get(item["key"], ""),
                    "errors": errors.get(f"scores.{item['key']}", []),
                }
                for item in items
            ],
            "form_note": names.local(form_spec, "note"),
            "comment": comment,
            # Other experts' scores stay hidden until everyone has scored.
            "others": [r for r in all_reviews if r.pk != review.pk] if everyone_scored else None,
            "years": FiguresInput(None, application, []).year_rows(),
            "categories": application.scheme.category_labels(application.categories),
            "eligibility": application_selectors.eligibility_panel(application),
            "material_slots": application_selectors.material_slots(application),
        },
    )


@login_required
def expert_conflicts(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise PermissionDenied(_("只有评审专家可以申报回避。"))
    if request.method == "POST":
        form = ConflictDeclareForm(request.POST)
        form.is_valid()
        code = form.cleaned_data.get("uscc", "")
        organization = selectors.organization_by_uscc(code) if code else None
        if organization is None:
            messages.error(request, _("没有找到统一社会信用代码为 %(code)s 的机构。") % {"code": code or "—"})
        else:
            try:
                services.expert_conflict_declare(
                    actor=request.user, organization=organization, reason=form.cleaned_data.get("reason", "")
                )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("已申报回避：%(name)s") % {"name": organization.name})
    return redirect("certification:expert-home")
