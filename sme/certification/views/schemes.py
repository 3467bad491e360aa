"""Pages of schemes: the public list and a version's rules; administrators copy (第十七条) and revise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.typing import AuthenticatedRequest

from ..forms.schemes import SchemeCopyForm, SchemeReviseForm
from ..selectors import schemes as selectors
from ..services import schemes as services


def scheme_list(request: HttpRequest) -> HttpResponse:
    """Public: the schemes in force and their versions; administrators copy and revise them here."""
    return render(request, "certification/schemes.html", {"schemes": selectors.scheme_versions()})


def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "certification/scheme_detail.html", {"scheme": selectors.scheme_for(pk)})


def _require_admin(request: AuthenticatedRequest) -> None:
    if not request.user.is_platform_admin:
        raise PermissionDenied(_("只有平台管理员可以维护认定办法。"))


@login_required
def scheme_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_for(pk)
    _require_admin(request)
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
    scheme = selectors.scheme_for(pk)
    _require_admin(request)
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
