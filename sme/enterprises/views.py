from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history
from sme.organizations.models import Organization

from . import selectors, services
from .forms import (
    EnterpriseProfileForm,
    ImportMappingForm,
    ImportUploadForm,
    YearFiguresForm,
    filtered_enterprises,
)
from .importing.fields import IMPORT_FIELDS
from .models import EnterpriseImport, ImportStatus
from .permissions import can_browse_enterprises, can_edit_enterprise, can_import, import_roles
from .reasons import render_reasons
from .workflow import IMPORT, IMPORTER

IMPORT_POLL_SECONDS = 2


def _enterprise_or_404(request: HttpRequest, pk: int) -> Organization:
    org = selectors.enterprise_for(request.user, pk)
    if org is None:
        raise Http404(_("企业不存在，或不在您的管辖范围内。"))
    return org


def _editable_or_403(request: HttpRequest, pk: int) -> Organization:
    org = _enterprise_or_404(request, pk)
    if not can_edit_enterprise(request.user, org):
        raise PermissionDenied(_("只有企业负责人或管理员可以修改企业档案和年度数据。"))
    return org


# --- enterprises ------------------------------------------------------------------------------------


@login_required
def enterprise_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not can_browse_enterprises(user):
        raise PermissionDenied(_("只有主管部门和平台管理员可以浏览企业名录。"))
    form, qs = filtered_enterprises(user, request.GET)
    page = paginate(qs, request.GET.get("page"))
    return render(
        request,
        "enterprises/list.html",
        {"form": form, "page": page, "can_import": can_import(user)},
    )


@login_required
def my_enterprises(request: AuthenticatedRequest) -> HttpResponse:
    enterprises = selectors.enterprises_of_member(request.user)
    if len(enterprises) == 1:
        return redirect("enterprises:detail", pk=enterprises[0].pk)
    return render(request, "enterprises/mine.html", {"enterprises": enterprises})


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _enterprise_or_404(request, pk)
    profile = selectors.profile_of(org)
    industry = selectors.industry_entry(profile.industry_code) if profile.industry_code else None
    return render(
        request,
        "enterprises/detail.html",
        {
            "org": org,
            "profile": profile,
            "industry": industry,
            "rule": selectors.stored_rule(profile.size_standard_version, profile.size_group),
            "reasons": render_reasons(profile.size_reasons),
            "figures": selectors.figures_of(org),
            "can_edit": can_edit_enterprise(request.user, org),
        },
    )


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _editable_or_403(request, pk)
    profile = selectors.profile_of(org)
    form = EnterpriseProfileForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.enterprise_profile_update(
                actor=request.user,
                organization=org,
                expected_version=d["version"],
                industry_code=d["industry_code"],
                is_tech_sme=d["is_tech_sme"],
                is_specialized_new=d["is_specialized_new"],
                is_high_tech=d["is_high_tech"],
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("企业档案已保存，企业规模已按最新年度数据重新划型。"))
            return redirect("enterprises:detail", pk=org.pk)
    return render(request, "enterprises/profile_edit.html", {"org": org, "form": form})


@login_required
def figures_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _editable_or_403(request, pk)
    profile = selectors.profile_of(org)
    year = request.GET.get("year", "")
    row = selectors.figures_of_year(org, int(year)) if year.isdigit() else None
    form = YearFiguresForm(request.POST or None, version=profile.version, row=row)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.enterprise_figures_set(
                actor=request.user,
                organization=org,
                expected_version=d["version"],
                year=d["year"],
                employees=d["employees"],
                revenue_wan=d["revenue_wan"],
                assets_wan=d["assets_wan"],
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(year)s 年度数据已保存，企业规模已重新划型。") % {"year": d["year"]}
            )
            return redirect("enterprises:detail", pk=org.pk)
    return render(request, "enterprises/figures_edit.html", {"org": org, "form": form, "row": row})


@login_required
@require_GET
def industry_search(request: HttpRequest) -> HttpResponse:
    """The picker's results (htmx): codes or names matching what was typed."""
    q = (request.GET.get("q") or request.GET.get("industry_code") or "")[:20]
    return render(
        request, "enterprises/_industry_results.html", {"results": selectors.industry_search(q), "q": q}
    )


# --- registry import ----------------------------------------------------------------------------------


def _import_or_404(request: HttpRequest, pk: int) -> EnterpriseImport:
    job = selectors.import_for(request.user, pk)
    if job is None:
        raise Http404(_("导入记录不存在，或不在您的管辖范围内。"))
    return job


@login_required
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not (can_import(user) or user.is_platform_admin):
        raise PermissionDenied(_("只有区县和市级主管部门可以导入企业名录。"))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import(user):
            raise PermissionDenied(_("只有区县和市级主管部门可以导入企业名录。"))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.enterprise_import_upload(actor=user, upload=upload, file_name=upload.name)
            except ServiceError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("enterprises:import-detail", pk=job.pk)
    page = paginate(selectors.imports_visible_to(user), request.GET.get("page"))
    return render(
        request,
        "enterprises/imports.html",
        {
            "form": form,
            "page": page,
            "can_upload": can_import(user),
            "max_mb": selectors.import_max_bytes() // 2**20,
        },
    )


def _import_context(
    request: HttpRequest, job: EnterpriseImport, form: ImportMappingForm | None
) -> dict[str, Any]:
    return {
        "job": job,
        "form": form,
        "fields": IMPORT_FIELDS,
        "earlier": selectors.earlier_import_of(request.user, job),
        "is_importer": IMPORTER in import_roles(request.user, job),
        "history": history(IMPORT, job),
        "poll_seconds": IMPORT_POLL_SECONDS,
    }


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_or_404(request, pk)
    is_importer = IMPORTER in import_roles(request.user, job)
    form = None
    if job.status == ImportStatus.UPLOADED and is_importer:
        form = ImportMappingForm(request.POST or None, job=job)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                if (d["header_row"], d["header_rows"]) != (
                    job.header_row,
                    job.header_rows,
                ) or "reread" in request.POST:
                    services.enterprise_import_set_header(
                        actor=request.user, job=job, header_row=d["header_row"], header_rows=d["header_rows"]
                    )
                    messages.info(request, _("已按新的表头位置重新读取列名，请核对列对应。"))
                    return redirect("enterprises:import-detail", pk=job.pk)
                services.enterprise_import_start(
                    actor=request.user,
                    job=job,
                    mapping=form.mapping(),
                    default_year=d["default_year"],
                    keep_good_rows=d["keep_good_rows"],
                )
            except ServiceError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("enterprises:import-detail", pk=job.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("只有导入人可以在导入开始前修改设置。"))
    return render(request, "enterprises/import_detail.html", _import_context(request, job, form))


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress card, polled by htmx while the import runs (polling stops once it has ended)."""
    job = _import_or_404(request, pk)
    return render(request, "enterprises/_import_progress.html", _import_context(request, job, None))


@login_required
@require_GET
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    job = _import_or_404(request, pk)
    if not job.report:
        raise Http404(_("本次导入没有错误报告。"))
    stem = job.file_name.rsplit(".", 1)[0]
    return FileResponse(job.report.open("rb"), as_attachment=True, filename=f"{stem}-导入报告.xlsx")
