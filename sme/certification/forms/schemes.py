"""Forms of the administrators' scheme pages: a district-level copy and a revision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin
from sme.regions.models import Region
from sme.regions.selectors import districts

from ..models import Scheme


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
            "rereview_grace_days",
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
