from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sme.core import audit
from sme.core.errors import ServiceError
from sme.core.forms import apply_service_errors
from sme.core.messages import msg
from sme.core.pagination import paginate
from sme.core.typing import AuthenticatedRequest
from sme.organizations.guards import has_members

from . import selectors, services
from .forms import LoginForm, RegistrationForm, StaffAccountForm
from .models import Role

REGISTRATION_FIELD_MAP = {"uscc_code": "uscc"}


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        audit.record(
            "auth.password_change", actor=self.request.user, obj=self.request.user, summary=msg("修改密码")
        )
        messages.success(self.request, _("密码已修改。"))
        return response


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.user_register(
                username=d["username"],
                password=d["password1"],
                real_name=d["real_name"],
                mobile=d["mobile"],
                email=d.get("email", ""),
                role=d["role"],
                join_organization=form.join_organization if d["mode"] == "join" else None,
                organization=form.organization_data() if d["mode"] == "create" else None,
                legal_representative=d.get("legal_representative", "") if d["mode"] == "join" else "",
            )
        except ServiceError as exc:
            apply_service_errors(form, exc, REGISTRATION_FIELD_MAP)
        else:
            login(request, user, backend="sme.accounts.backends.UsernameOrMobileBackend")
            joined = form.join_organization if d["mode"] == "join" else None
            claim = joined is not None and not has_members(joined.pk)
            if claim:
                messages.success(
                    request,
                    _(
                        "注册成功。认领「%(org)s」的申请已提交所在区县主管部门核实，批准后您将成为该机构的负责人。"
                    )
                    % {"org": form.join_organization},
                )
            elif d["mode"] == "join":
                messages.success(
                    request,
                    _("注册成功。加入申请已提交给「%(org)s」的负责人。") % {"org": form.join_organization},
                )
            else:
                messages.success(request, _("注册成功。机构信息已提交所在区县主管部门认证，结果会通知您。"))
            return redirect("core:dashboard")
    return render(request, "accounts/register.html", {"form": form})


def _require_admin(request: AuthenticatedRequest) -> None:
    if not request.user.is_platform_admin:
        raise PermissionDenied(_("只有平台管理员可以管理用户。"))


@login_required
def staff_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin(request)
    role = request.GET.get("role", "")
    q = request.GET.get("q", "").strip()
    qs = selectors.staff_list(role=role, q=q)
    return render(
        request,
        "accounts/staff_list.html",
        {"page": paginate(qs, request.GET.get("page")), "roles": Role.choices, "role": role, "q": q},
    )


@login_required
def staff_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_admin(request)
    form = StaffAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.staff_account_create(
                actor=request.user,
                username=d["username"],
                password=d["password1"],
                real_name=d["real_name"],
                role=d["role"],
                mobile=d.get("mobile", ""),
                email=d.get("email", ""),
                jurisdiction=d.get("jurisdiction"),
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("账号 %(u)s 已创建。") % {"u": user.username})
            return redirect("accounts:staff-list")
    return render(request, "accounts/staff_form.html", {"form": form})


@login_required
@require_POST
def staff_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    _require_admin(request)
    target = selectors.account(pk)
    if target is None:
        raise Http404
    try:
        if action == "unlock":
            services.user_unlock(actor=request.user, user=target)
        elif action in ("activate", "deactivate"):
            services.user_set_active(actor=request.user, user=target, active=action == "activate")
        else:
            raise PermissionDenied
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已完成。"))
    return redirect("accounts:staff-list")
