from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.core.workflow import history

from . import selectors, services
from .forms import OrganizationEditForm, RejectForm, can_browse_organizations, filtered_organizations
from .models import Organization
from .permissions import active_membership, is_manager, roles_for
from .workflow import VERIFICATION


def _organization_or_404(request: HttpRequest, pk: int) -> Organization:
    org = selectors.organization_for(request.user, pk)
    if org is None:
        raise Http404(_("机构不存在，或不在您的管辖范围内。"))
    return org


@login_required
def organization_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not can_browse_organizations(user):
        raise PermissionDenied(_("只有主管部门和平台管理员可以浏览机构列表。"))
    form, qs = filtered_organizations(user, request.GET)
    page = paginate(qs, request.GET.get("page"))
    return render(request, "organizations/list.html", {"form": form, "page": page})


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_or_404(request, pk)
    roles = roles_for(request.user, org)
    membership = active_membership(request.user, org)
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "actions": VERIFICATION.allowed_actions(org.verification_status, roles),
            "reject_form": RejectForm(),
            "history": history(VERIFICATION, org),
            "can_manage": is_manager(request.user, org),
            "membership": membership,
        },
    )


@login_required
@require_POST
def organization_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    org = _organization_or_404(request, pk)
    note = request.POST.get("note", "")
    try:
        services.organization_transition(actor=request.user, organization=org, action=action, note=note)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        done = {
            "verify": _("已认证通过。"),
            "reject": _("已退回，申请人会收到退回理由。"),
            "resubmit": _("已重新提交，请等待所在区县主管部门审核。"),
        }
        messages.success(request, done.get(action, _("操作成功。")))
    return redirect("organizations:detail", pk=org.pk)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_or_404(request, pk)
    if not is_manager(request.user, org):
        raise PermissionDenied(_("只有机构负责人或管理员可以修改机构信息。"))
    form = OrganizationEditForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        values = form.changed_values()
        try:
            services.organization_update(
                actor=request.user, organization=org, expected_version=form.cleaned_data["version"], **values
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("机构信息已保存。"))
            return redirect("organizations:detail", pk=org.pk)
    return render(request, "organizations/edit.html", {"org": org, "form": form})


@login_required
def my_organizations(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request.user))
    active = [m for m in memberships if m.status == "active"]
    if len(active) == 1 and len(memberships) == 1:
        return redirect("organizations:detail", pk=active[0].organization_id)
    return render(request, "organizations/mine.html", {"memberships": memberships})


@login_required
def organization_members(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organization_or_404(request, pk)
    if not is_manager(request.user, org):
        raise PermissionDenied(_("只有机构负责人或管理员可以管理成员。"))
    return render(request, "organizations/members.html", {"org": org, "members": selectors.members_of(org)})


@login_required
@require_POST
def membership_decide(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """A manager's decision on a join request, or the district officer's on a claim (with a
    reason to decline); the service tells which from who decides."""
    org = _organization_or_404(request, pk)
    membership = selectors.membership_in(org, membership_pk)
    if membership is None:
        raise Http404(_("加入申请不存在。"))
    approve = request.POST.get("decision") == "approve"
    manager = is_manager(request.user, org)
    try:
        services.membership_decide(
            actor=request.user, membership=membership, approve=approve, note=request.POST.get("note", "")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已批准。") if approve else _("已拒绝。"))
    if manager:
        return redirect("organizations:members", pk=org.pk)
    return redirect("organizations:claims")


@login_required
def claims(request: AuthenticatedRequest) -> HttpResponse:
    """The district officer's queue: people asking to act for organizations nobody acts for yet
    (imported from the registry), with the legal representative they typed beside the registry's."""
    if not request.user.is_district_officer:
        raise PermissionDenied(_("只有区县主管部门可以审核机构认领申请。"))
    page = paginate(selectors.pending_claims_for(request.user), request.GET.get("page"))
    rows = [(m, services.claim_check(m)) for m in page.items]
    return render(request, "organizations/claims.html", {"page": page, "rows": rows})
