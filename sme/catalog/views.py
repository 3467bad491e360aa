"""Pages of the catalogue: the public catalogue, service and provider pages; the provider's services
and their revisions; the officers' review queue and price flags. Views parse, check, call one service
or selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sme.certification.selectors.register import platform_key
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.regions.selectors import district_choices

from . import ordering, selectors, services
from .disclosures import missing_disclosures, revision_values
from .forms import AttachmentForm, NoteForm, ServiceForm
from .models import FeeType, RevisionStatus, Service, ServiceStatus
from .permissions import is_reviewer, provider_organizations
from .workflow import PROVIDER, REVIEWER, SERVICE

# --- public -----------------------------------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The public catalogue; htmx swaps only the results, a full load draws the whole page."""
    params, errors = selectors.parse_catalogue_params(request.GET)
    result = selectors.catalogue(params)
    context = {
        "result": result,
        "page": result.page,
        "params": params,
        "errors": errors,
        "tree": selectors.category_tree(),
        "districts": district_choices(),
        "fee_types": FeeType.choices,
        "sorts": list(selectors.SORTS.items()),
        "query": params.as_query(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "catalog-results":
        return render(request, "catalog/_results.html", context)
    return render(request, "catalog/index.html", context)


@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.public_service(pk)
    if service is None:
        raise Http404(_("没有这项服务，或它已下架。"))
    revision = service.published_revision
    return render(
        request,
        "catalog/service.html",
        {
            "service": service,
            "revision": revision,
            "districts": selectors.service_districts(service),
            "attachments": selectors.current_attachments(service),
            "ratings": selectors.visible_ratings(service),
            "certified": selectors.provider_is_certified(service.provider_id),
            "may_order": ordering.may_order(request.user),
        },
    )


@require_GET
def provider_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    page = selectors.provider_page(org_id, request.GET.get("page"))
    if page is None:
        raise Http404(_("没有这家服务机构。"))
    certifications = [(c, platform_key(c)) for c in page.certifications]
    return render(
        request,
        "catalog/provider.html",
        {"p": page, "page": page.services, "certifications": certifications},
    )


# --- the provider's side ----------------------------------------------------------------------


def _own_service(request: HttpRequest, pk: int) -> tuple[Service, set[str]]:
    """The service if the user is its provider or an officer in scope; 404 otherwise."""
    found = selectors.managed_service(request.user, pk)
    if found is None:
        raise Http404(_("没有这项服务。"))
    return found


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    orgs = provider_organizations(request.user)
    if not orgs:
        raise PermissionDenied(_("只有服务机构的成员可以管理服务。"))
    page = paginate(selectors.services_of([o.pk for o in orgs]), request.GET.get("page"))
    return render(request, "catalog/mine.html", {"page": page, "orgs": orgs})


def _steps(request: HttpRequest, fallback: list[str]) -> list[str]:
    if request.method == "POST":
        return list(request.POST.getlist("process_steps")) or [""]
    return fallback or [""]


@login_required
def service_new(request: HttpRequest) -> HttpResponse:
    orgs = provider_organizations(request.user)
    if not orgs:
        raise PermissionDenied(_("只有服务机构的成员可以发布服务。"))
    chosen = orgs[0]
    wanted = request.POST.get("provider") or request.GET.get("provider")
    if wanted:
        chosen = next((o for o in orgs if str(o.pk) == str(wanted)), None) or orgs[0]
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(actor=request.user, provider=chosen, data=form.service_data())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("草稿已保存。填写完整“五公开”后即可提交审核。"))
            return redirect("catalog:manage", pk=service.pk)
    return render(
        request,
        "catalog/edit.html",
        {"form": form, "orgs": orgs, "chosen": chosen, "steps": _steps(request, []), "service": None},
    )


@login_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service, roles = _own_service(request, pk)
    if PROVIDER not in roles:
        raise PermissionDenied(_("只有本机构的成员可以修改服务。"))
    is_draft = service.status == ServiceStatus.DRAFT
    if service.status == ServiceStatus.PENDING:
        messages.info(request, _("服务正在审核中，审核结束后才能修改。"))
        return redirect("catalog:manage", pk=service.pk)
    if is_draft:
        base = selectors.current_draft(service) or selectors.latest_revision(service)
    else:
        base = service.published_revision
    if base is None:
        raise Http404
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_from(base, service.version))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if is_draft:
                services.service_save_draft(
                    actor=request.user, service=service, data=form.service_data(), version=version
                )
                messages.success(request, _("草稿已保存。"))
            else:
                revision = services.service_revise(
                    actor=request.user, service=service, data=form.service_data(), version=version
                )
                if revision.status == RevisionStatus.PENDING:
                    messages.warning(
                        request, _("收费或时间的变更已提交审核；审核通过前，公开页面仍显示原来的内容。")
                    )
                else:
                    messages.success(request, _("修改已直接发布（不涉及收费和时间）。"))
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            return redirect("catalog:manage", pk=service.pk)
    return render(
        request,
        "catalog/edit.html",
        {
            "form": form,
            "service": service,
            "steps": _steps(request, list(base.process_steps)),
            "is_draft": is_draft,
        },
    )


@login_required
def service_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One service for its provider and its officers: status, current draft or pending change,
    attachments, actions."""
    service, roles = _own_service(request, pk)
    revisions = selectors.revisions_of(service)
    shown = next((r for r in revisions if r.pk == service.published_revision_id), None) or (
        revisions[0] if revisions else None
    )
    pending = next((r for r in revisions if r.status == RevisionStatus.PENDING), None)
    missing = {}
    if service.status == ServiceStatus.DRAFT and revisions:
        missing = missing_disclosures(revision_values(revisions[0]))
    actions = [t.action for t in SERVICE.allowed_actions(service.status, roles)]
    return render(
        request,
        "catalog/manage.html",
        {
            "service": service,
            "roles": roles,
            "is_provider": PROVIDER in roles,
            "is_reviewer": REVIEWER in roles,
            "revision": shown,
            "pending": pending,
            "latest": revisions[0] if revisions else None,
            "missing": missing,
            "actions": actions,
            "attachments": selectors.current_attachments(service),
            "attachment_form": AttachmentForm(),
            "note_form": NoteForm(initial={"version": service.version}),
            "districts": selectors.revision_districts(shown) if shown else [],
        },
    )


@login_required
@require_POST
def service_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit, withdraw, republish (provider); suspend, resume (officer)."""
    service, _roles = _own_service(request, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note") or ""
    version = form.cleaned_data.get("version")
    calls = {
        "submit": lambda: services.service_submit(actor=request.user, service=service, version=version),
        "withdraw": lambda: services.service_withdraw(
            actor=request.user, service=service, note=note, version=version
        ),
        "republish": lambda: services.service_republish(actor=request.user, service=service, version=version),
        "suspend": lambda: services.service_suspend(
            actor=request.user, service=service, note=note, version=version
        ),
        "resume": lambda: services.service_resume(
            actor=request.user, service=service, note=note, version=version
        ),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        if getattr(error, "field_errors", None):
            for problems in error.field_errors.values():  # type: ignore[attr-defined]
                for problem in problems:
                    messages.error(request, problem)
    else:
        messages.success(request, _("操作成功：%(action)s") % {"action": SERVICE.action_label(action)})
    return redirect("catalog:manage", pk=service.pk)


@login_required
def service_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    service, _roles = _own_service(request, pk)
    rows = selectors.history_rows(selectors.revisions_of(service))
    return render(request, "catalog/revisions.html", {"service": service, "rows": rows})


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    service, roles = _own_service(request, pk)
    if PROVIDER not in roles:
        raise PermissionDenied(_("只有本机构的成员可以上传附件。"))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                service=service,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect("catalog:manage", pk=service.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    service, _roles = _own_service(request, pk)
    attachment = selectors.current_attachment(service, attachment_pk)
    if attachment is None:
        raise Http404(_("没有这个附件。"))
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ServiceError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("catalog:manage", pk=service.pk)


# --- the officers' side -----------------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not is_reviewer(request.user):
        raise PermissionDenied(_("只有主管部门可以审核服务。"))


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    page = paginate(selectors.review_queue(request.user), request.GET.get("page"))
    flags = selectors.price_at_cap_flags(request.user)
    return render(request, "catalog/review.html", {"page": page, "flags": flags})


@login_required
def review_revision(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    revision = selectors.reviewable_revision(request.user, pk)
    if revision is None:
        raise Http404(_("没有这个服务版本。"))
    service = revision.service
    published = selectors.published_revision_of(service)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        note = form.cleaned_data.get("note") or ""
        try:
            if action == "approve":
                services.revision_approve(actor=request.user, revision=revision, note=note)
                messages.success(request, _("已审核通过。"))
            elif action == "return":
                services.revision_return(actor=request.user, revision=revision, note=note)
                messages.success(request, _("已退回，并通知服务机构。"))
            else:
                raise Http404
        except ServiceError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.message) from error
            apply_service_errors(form, error)
        else:
            return redirect("catalog:review")
    return render(
        request,
        "catalog/review_revision.html",
        {
            "revision": revision,
            "service": service,
            "published": published,
            "diff": selectors.diff_rows(published, revision),
            "form": form,
            "districts": selectors.revision_districts(revision),
            "missing": missing_disclosures(revision_values(revision)),
        },
    )
