"""Forms of the certification pages. Validation of substance lives in the services; these parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sme.accounts.models import Role, User
from sme.core.forms import BootstrapFormMixin
from sme.core.uploads import DEFAULT_KINDS, accept_attribute
from sme.regions.models import Region

from .models import Application, Scheme
from .services import REPORT_FIELDS


class ReportForm(BootstrapFormMixin, forms.ModelForm):
    """The 申请报告's text fields; categories, yearly figures and extra figures are read by the view."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = list(REPORT_FIELDS)
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "service_area": forms.Textarea(attrs={"rows": 3}),
            "facilities": forms.Textarea(attrs={"rows": 3}),
            "management_system": forms.Textarea(attrs={"rows": 3}),
            "leadership": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # a draft may be saved half-filled; submission checks completeness
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class MaterialUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("选择文件"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(DEFAULT_KINDS)}),
    )


class DeclarationForm(BootstrapFormMixin, forms.Form):
    declared = forms.BooleanField(
        label=_(
            "本单位承诺：所提交的申报材料全部真实、准确、完整，如有虚假，愿承担相应责任并接受撤销称号的处理。"
        ),
        required=False,
    )
    declaration_name = forms.CharField(label=_("声明人（法定代表人）"), max_length=50, required=False)
    declaration_date = forms.DateField(
        label=_("声明日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExpertChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ExpertAssignForm(BootstrapFormMixin, forms.Form):
    experts = ExpertChoiceField(
        label=_("评审专家"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少三名；与申报单位有关联或已申报回避的专家不能选择。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["experts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(role=Role.EXPERT, is_active=True).order_by(
            "real_name", "username"
        )


class ObjectionResolveForm(BootstrapFormMixin, forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("0", _("异议不成立，继续公示")), ("1", _("异议成立，退回市级评审"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("处理意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    round_year = forms.IntegerField(label=_("评审年度"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import ApplicationStatus

        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("待我办理")), *ApplicationStatus.choices]


class SchemeCopyForm(BootstrapFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("新办法编码"), max_length=60, help_text=_("英文字母、数字和连字符，如 wanzhou-2026")
    )
    name = forms.CharField(label=_("认定办法名称"), max_length=200)
    title = forms.CharField(label=_("授予称号"), max_length=100)
    district: forms.ModelChoiceField = forms.ModelChoiceField(label=_("区县"), queryset=Region.objects.none())
    issuing_authority = forms.CharField(label=_("发布机关"), max_length=100)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sme.regions.selectors import districts

        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = districts()


class SchemeReviseForm(BootstrapFormMixin, forms.ModelForm):
    """An administrator's edit; saving makes a new version (the old one stays for decisions made under it)."""

    class Meta:
        model = Scheme
        fields = [
            "name",
            "title",
            "issuing_authority",
            "document_number",
            "document_date",
            "effective_from",
            "effective_until",
            "window_opens",
            "window_closes",
            "district_deadline_month",
            "district_deadline_day",
            "notice_workdays",
            "notice_day_one_is_publication_day",
            "validity_years",
            "rereview_years",
            "annual_summary_due",
            "certificate_number_pattern",
            "criteria",
            "categories",
            "materials",
            "expert_form",
            "annual_form",
            "source_note",
        ]
        widgets = {
            "document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "criteria": forms.Textarea(attrs={"rows": 10, "class": "font-monospace small"}),
            "categories": forms.Textarea(attrs={"rows": 6, "class": "font-monospace small"}),
            "materials": forms.Textarea(attrs={"rows": 6, "class": "font-monospace small"}),
            "expert_form": forms.Textarea(attrs={"rows": 6, "class": "font-monospace small"}),
            "annual_form": forms.Textarea(attrs={"rows": 6, "class": "font-monospace small"}),
            "source_note": forms.Textarea(attrs={"rows": 3}),
        }
