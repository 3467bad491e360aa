from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core.forms import BootstrapFormMixin
from sme.regions.models import Region
from sme.regions.selectors import districts

from . import selectors, uscc
from .models import Organization, OrganizationKind, VerificationStatus


class UsccField(forms.CharField):
    """A credit-code field: normalizes (upper case, full-width → ASCII) and says exactly what is wrong."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("label", gettext_lazy("统一社会信用代码"))
        kwargs.setdefault("help_text", gettext_lazy("18位，见营业执照或登记证书"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "uscc-input", "autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return value
        result = uscc.check(value)
        if not result.valid:
            raise forms.ValidationError(result.errors)
        return result.code


class DistrictField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any):
        kwargs.setdefault("label", gettext_lazy("所在区县"))
        kwargs.setdefault("empty_label", gettext_lazy("请选择区县"))
        super().__init__(queryset=districts(), **kwargs)


class OrganizationFieldsMixin(BootstrapFormMixin, forms.Form):
    uscc = UsccField()
    name = forms.CharField(
        label=gettext_lazy("机构名称"), max_length=200, help_text=gettext_lazy("与营业执照或登记证书一致")
    )
    legal_representative = forms.CharField(label=gettext_lazy("法定代表人"), max_length=50)
    district = DistrictField()
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=50)
    contact_phone = forms.RegexField(
        label=gettext_lazy("联系电话"),
        max_length=20,
        regex=r"^[0-9+\-() ]{7,20}$",
        error_messages={"invalid": gettext_lazy("请输入有效的电话号码。")},
    )
    contact_email = forms.EmailField(label=gettext_lazy("联系邮箱（选填）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts()


class OrganizationEditForm(OrganizationFieldsMixin):
    kind = forms.ChoiceField(label=gettext_lazy("机构类型"), choices=OrganizationKind.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = [
        "kind",
        "uscc",
        "name",
        "legal_representative",
        "district",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
    ]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any):
        initial = {
            f: getattr(organization, f)
            for f in (
                "kind",
                "uscc",
                "name",
                "legal_representative",
                "address",
                "contact_name",
                "contact_phone",
                "contact_email",
                "version",
            )
        }
        initial["district"] = organization.district_id
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.organization = organization
        if organization.is_verified:
            for name in ("kind", "uscc", "name", "legal_representative", "district"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("已认证机构不能自行修改此项，请联系所在区县主管部门。")

    def changed_values(self) -> dict[str, Any]:
        fields = [n for n, f in self.fields.items() if n != "version" and not f.disabled]
        return {n: self.cleaned_data[n] for n in fields}


class RejectForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("申请人会看到这段文字，请写清需要修改或补充的内容。"),
    )


class OrganizationFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或信用代码"), required=False, max_length=100)
    status = forms.ChoiceField(label=gettext_lazy("认证状态"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("机构类型"), required=False)
    district: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=gettext_lazy("区县"), required=False, queryset=None, empty_label=gettext_lazy("全部区县")
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("排序"),
        required=False,
        choices=[
            ("newest", gettext_lazy("最新注册")),
            ("oldest", gettext_lazy("最早注册")),
            ("name", gettext_lazy("按名称")),
        ],
    )

    def __init__(self, *args: Any, show_district: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("全部状态")),
            *VerificationStatus.choices,
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("全部类型")),
            *OrganizationKind.choices,
        ]
        if show_district:
            cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts()
        else:
            del self.fields["district"]


def filter_description(form: forms.Form) -> str:
    """The filters a list form applies, as officials read them ("认证状态：待审核；区县：万州区"), for
    an export's title and audit row; "" when nothing is filtered."""
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "") or name in ("sort", "page"):
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
        parts.append(f"{field.label}：{value}")
    return "；".join(parts)


def can_browse_organizations(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_officer or user.is_platform_admin))


def filtered_organizations(
    user: Any, params: Mapping[str, Any]
) -> tuple[OrganizationFilterForm, QuerySet[Organization]]:
    """The organization list an officer or administrator browses, as the page's query parameters
    filter it: the filter form (to show) and the list, in the user's scope. The list page and its
    export both read their filters here."""
    show_district = bool(user.is_city_officer or user.is_platform_admin)
    form = OrganizationFilterForm(params or None, show_district=show_district)
    filters = form.cleaned_data if form.is_valid() else {}
    district = filters.get("district")
    qs = selectors.organization_list(
        user,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        district_id=district.pk if district else None,
        q=filters.get("q", ""),
        sort=filters.get("sort") or "newest",
    )
    return form, qs
