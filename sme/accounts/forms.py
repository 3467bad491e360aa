from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.forms import BootstrapFormMixin
from sme.organizations.forms import OrganizationFieldsMixin
from sme.organizations.guards import has_members
from sme.organizations.models import PROVIDER_KINDS, Organization, OrganizationKind
from sme.regions.models import Region
from sme.regions.selectors import districts

from .backends import login_state
from .models import Role, mobile_validator
from .services import staff_account_problems


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            # The account's counter, or that of a name no account has: the answers are the same.
            user = login_state(self.cleaned_data.get("username", ""))
            if user.is_locked():
                locked_until = user.locked_until
                assert locked_until is not None  # is_locked() says so
                minutes = max(1, int((locked_until - timezone.now()).total_seconds() // 60) + 1)
                raise forms.ValidationError(
                    _(
                        "账号因连续%(n)d次密码错误已被锁定，请在%(time)s后（约%(m)d分钟）再试，或联系平台管理员解锁。"
                    )
                    % {
                        "n": settings.LOGIN_FAILURE_LIMIT,
                        "time": timezone.localtime(locked_until).strftime("%H:%M"),
                        "m": minutes,
                    },
                    code="locked",
                ) from None
            if user.failed_login_count:
                left = settings.LOGIN_FAILURE_LIMIT - user.failed_login_count
                raise forms.ValidationError(
                    _("用户名/手机号或密码错误。再输错%(left)d次，账号将被锁定%(minutes)d分钟。")
                    % {"left": left, "minutes": int(settings.LOGIN_LOCKOUT.total_seconds() // 60)},
                    code="invalid_login",
                ) from None
            raise forms.ValidationError(_("用户名/手机号或密码错误。"), code="invalid_login") from None

    def lockout_notice(self) -> str:
        return _("为保护账号安全，连续%(n)d次输错密码，账号将被锁定%(m)d分钟。") % {
            "n": settings.LOGIN_FAILURE_LIMIT,
            "m": int(settings.LOGIN_LOCKOUT.total_seconds() // 60),
        }


class AccountFieldsMixin(BootstrapFormMixin, forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("用户名"),
        max_length=30,
        min_length=3,
        regex=r"^[A-Za-z][A-Za-z0-9_.-]+$",
        error_messages={
            "invalid": gettext_lazy("用户名以字母开头，只能包含字母、数字、下划线、点和连字符。")
        },
        help_text=gettext_lazy("3–30位，以字母开头；登录时也可以用手机号。"),
    )
    real_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=11, validators=[mobile_validator])
    email = forms.EmailField(label=gettext_lazy("电子邮箱（选填）"), required=False)
    password1 = forms.CharField(
        label=gettext_lazy("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("至少8位，包含大写字母、小写字母、数字、特殊符号中的至少3类。"),
    )
    password2 = forms.CharField(
        label=gettext_lazy("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self) -> str:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("两次输入的密码不一致。"))
        return p2 or ""


ACCOUNT_FIELDS = ("username", "real_name", "mobile", "email", "password1", "password2")
REQUIRED_WHEN_CREATING = (
    "name",
    "legal_representative",
    "district",
    "address",
    "contact_name",
    "contact_phone",
)
CREATE_ONLY_FIELDS = (
    "name",
    "provider_kind",
    "district",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class RegistrationForm(OrganizationFieldsMixin, AccountFieldsMixin):
    ROLE_CHOICES = [
        (Role.ENTERPRISE.value, gettext_lazy("企业")),
        (Role.PROVIDER.value, gettext_lazy("服务机构")),
    ]
    MODE_CHOICES = [("create", gettext_lazy("注册新机构")), ("join", gettext_lazy("加入已有机构"))]

    role = forms.ChoiceField(
        label=gettext_lazy("我是"), choices=ROLE_CHOICES, widget=forms.RadioSelect, initial=Role.ENTERPRISE
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("机构"), choices=MODE_CHOICES, widget=forms.RadioSelect, initial="create"
    )
    provider_kind = forms.ChoiceField(
        label=gettext_lazy("机构类型"),
        required=False,
        choices=[(k.value, k.label) for k in OrganizationKind if k in PROVIDER_KINDS],
        initial=OrganizationKind.SERVICE_PROVIDER,
    )

    field_order = ["role", "mode", "uscc", "legal_representative", *CREATE_ONLY_FIELDS, *ACCOUNT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # In "join" mode only the credit code matters; the rest is checked in clean().
        for name in REQUIRED_WHEN_CREATING:
            self.fields[name].required = False
            # Still marked as required in the page: it is, when creating.
            self.fields[name].show_required = True  # type: ignore[attr-defined]
        self.fields["legal_representative"].help_text = _(
            "加入由企业名录导入、尚无负责人的机构时也须填写，供所在区县主管部门核对"
        )
        self.join_organization: Organization | None = None

    # Declared by BaseForm (set in __init__, filled by full_clean()); not in the stubs.
    _errors: ErrorDict | None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # BaseForm.clean() returns cleaned_data
        mode = data.get("mode")
        code = data.get("uscc")
        if mode == "join":
            # The create-only fields are hidden in this mode: whatever is left in them does not count.
            for name in CREATE_ONLY_FIELDS:
                if self._errors:
                    self._errors.pop(name, None)
                data.pop(name, None)
            if code:
                self.join_organization = Organization.objects.filter(uscc=code).first()
                if (
                    self.join_organization is not None
                    and self.join_organization.kind == OrganizationKind.AUTHORITY
                ):
                    self.join_organization = None
                    self.add_error("uscc", _("主管部门的账号由平台管理员开通，不能自助加入。"))
                elif self.join_organization is None:
                    self.add_error(
                        "uscc",
                        _("平台上还没有信用代码为 %(code)s 的机构，请选择“注册新机构”。") % {"code": code},
                    )
                elif not has_members(self.join_organization.pk) and not data.get("legal_representative"):
                    self.add_error(
                        "legal_representative",
                        _("该机构由企业名录导入，尚无负责人。请填写法定代表人姓名，供所在区县主管部门核对。"),
                    )
        elif mode == "create":
            for name in REQUIRED_WHEN_CREATING:
                if not data.get(name):
                    self.add_error(name, _("此项为必填项。"))
        return data

    def organization_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("role", "mode", "uscc", "legal_representative", *CREATE_ONLY_FIELDS)]

    def account_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ACCOUNT_FIELDS]

    def organization_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        kind = (
            OrganizationKind.ENTERPRISE
            if d["role"] == Role.ENTERPRISE
            else (d.get("provider_kind") or OrganizationKind.SERVICE_PROVIDER)
        )
        return {
            "kind": kind,
            "name": d["name"],
            "uscc_code": d["uscc"],
            "legal_representative": d["legal_representative"],
            "district": d["district"],
            "address": d["address"],
            "contact_name": d["contact_name"],
            "contact_phone": d["contact_phone"],
            "contact_email": d.get("contact_email", ""),
        }


class StaffAccountForm(AccountFieldsMixin):
    role = forms.ChoiceField(
        label=gettext_lazy("角色"),
        choices=[
            (Role.DISTRICT_OFFICER.value, Role.DISTRICT_OFFICER.label),
            (Role.CITY_OFFICER.value, Role.CITY_OFFICER.label),
            (Role.EXPERT.value, Role.EXPERT.label),
            (Role.ADMIN.value, Role.ADMIN.label),
        ],
    )
    jurisdiction = forms.ModelChoiceField(
        label=gettext_lazy("所辖区县（区县主管部门必填）"), queryset=Region.objects.none(), required=False
    )

    field_order = ["role", "jurisdiction", *ACCOUNT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["jurisdiction"]).queryset = districts()
        self.fields["mobile"].required = False

    def clean(self) -> dict[str, Any]:
        """The service's own checks (name taken, weak password, a district officer without a
        district…) on whatever the fields let through, so that every problem shows in one round."""
        data = super().clean()
        assert data is not None
        errors = self.errors

        def given(name: str) -> Any:
            return None if name in errors else data.get(name)

        problems = staff_account_problems(
            username=given("username"),
            password=given("password1"),
            real_name=given("real_name"),
            role=given("role"),
            mobile=given("mobile"),
            email=given("email"),
            jurisdiction=given("jurisdiction"),
        )
        for name, messages in problems.items():
            if name not in errors:
                for message in messages:
                    self.add_error(name, message)
        return data
