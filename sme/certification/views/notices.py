"""Pages of the public notice (第十条): the notices, a notice with the objection form (public, no
login), and the deciding authority's resolution of an objection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sme.core import clock
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.request_context import client_ip
from sme.core.typing import AuthenticatedRequest

from ..forms.notices import ObjectionForm, ObjectionResolveForm
from ..selectors import notices as selectors
from ..services import notices as services

NOTICES_PER_PAGE = 20
CURRENT_NOTICES_SHOWN = 50


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    current = list(selectors.notices_current(today)[:CURRENT_NOTICES_SHOWN])
    past = paginate(selectors.notices_past(today), request.GET.get("page"), per_page=NOTICES_PER_PAGE)
    return render(
        request, "certification/public/notices.html", {"current": current, "page": past, "today": today}
    )


@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A public notice with the application's public facts and, while it is open, the objection form."""
    notice = selectors.notice_public(pk)
    facts = selectors.notice_facts(notice, clock.today())
    form = ObjectionForm(request.POST or None)
    filed = reverse("certification:notice", args=[notice.pk]) + "?filed=1"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # a robot: answer as to a person, store nothing
            return redirect(filed)
        try:
            services.objection_file(
                notice=notice,
                name=data["name"],
                contact=data["contact"],
                text=data["text"],
                actor=request.user,
                client_ip=client_ip(request),
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(filed)
    application = notice.application
    return render(
        request,
        "certification/public/notice.html",
        {
            "notice": notice,
            "application": application,
            "categories": notice.scheme.category_labels(
                [str(k) for k in application.categories if not isinstance(k, dict)]
            ),
            "facts": facts,
            "form": form,
            "filed": request.GET.get("filed") == "1",
        },
    )


@login_required
@require_POST
def objection_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_for(request.user, pk)
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
    return redirect("certification:application", pk=objection.notice.application_id)
