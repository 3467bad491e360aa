"""Forms of the demand pages. They parse what people typed; the rules (budget order, deadline,
certified-only, one proposal per provider) live in the services, whose field errors land here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.catalog.models import ServiceCategory
from sme.core import parsing
from sme.core.forms import BootstrapFormMixin
from sme.core.parsing import Problems
from sme.organizations.models import Organization
from sme.regions.models import Region
from sme.regions.selectors import districts

from .models import DemandStatus, DemandVisibility


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceCategory) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name  # type: ignore[union-attr]


def _categories() -> Any:
    return (
        ServiceCategory.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "sort_order", "id")
    )


class DemandForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("发布企业"), queryset=Organization.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("需求名称"), max_length=120, required=False)
    category = CategoryChoiceField(
        label=_("服务类别"),
        queryset=ServiceCategory.objects.none(),
        required=False,
        empty_label=_("请选择"),
    )
    description = forms.CharField(
        label=_("需求描述"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("要解决什么问题、期望交付什么、现有条件（人员、系统）等。"),
    )
    budget_min = forms.CharField(label=_("预算下限（元）"), required=False, max_length=20)
    budget_max = forms.CharField(
        label=_("预算上限（元）"), required=False, max_length=20, help_text=_("都不填表示预算面议。")
    )
    deadline = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("截止日期格式不正确，请按 2026-12-31 的格式填写。")},
        help_text=_("截止日当天仍可提交方案；过期未选定的需求自动结束。"),
    )
    district = forms.ModelChoiceField(
        label=_("服务地点（区县）"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("本企业所在区县"),
    )
    visibility = forms.ChoiceField(
        label=_("可见范围"),
        choices=DemandVisibility.choices,
        initial=DemandVisibility.ALL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, enterprises: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = Organization.objects.filter(
            pk__in=[e.pk for e in enterprises]
        )
        if len(enterprises) == 1:
            self.fields["enterprise"].initial = enterprises[0].pk
            self.fields["enterprise"].widget = forms.HiddenInput()
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = _categories()
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts()
        for name in ("title", "category", "description", "deadline"):
            self.fields[name].show_required = True  # type: ignore[attr-defined]


class ProposalForm(BootstrapFormMixin, forms.Form):
    provider = forms.ModelChoiceField(
        label=_("以哪个机构提交"), queryset=Organization.objects.none(), empty_label=None
    )
    price = forms.CharField(label=_("报价（元）"), max_length=20, required=False)
    delivery_workdays = forms.CharField(label=_("交付时间（工作日）"), max_length=5, required=False)
    approach = forms.CharField(
        label=_("服务方案"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("实施步骤、交付成果、人员安排和质量保证。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, providers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers:
            cast(forms.ModelChoiceField, self.fields["provider"]).queryset = Organization.objects.filter(
                pk__in=[p.pk for p in providers]
            )
            if len(providers) == 1:
                self.fields["provider"].initial = providers[0].pk
                self.fields["provider"].widget = forms.HiddenInput()
        for name in ("price", "delivery_workdays", "approach"):
            self.fields[name].show_required = True  # type: ignore[attr-defined]


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("说明（选填）"), max_length=1000, required=False)


class HideForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("屏蔽理由"), max_length=1000, required=False)


class ProviderFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("服务类别"), required=False)
    district = forms.ChoiceField(label=_("服务地点"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cats = [
            (str(c.pk), f"{c.parent.name} · {c.name}" if c.parent_id else c.name)  # type: ignore[union-attr]
            for c in _categories()
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("全部类别")), *cats]
        cast(forms.ChoiceField, self.fields["district"]).choices = [
            ("", _("全部区县")),
            *[(str(d.pk), d.name) for d in districts()],
        ]

    def int_value(self, name: str) -> int | None:
        if not self.is_valid():
            return None
        return parsing.integer(self.cleaned_data.get(name), name, Problems()) or None


class OfficerFilterForm(ProviderFilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("全部状态")),
            *DemandStatus.choices,
            ("hidden", _("已屏蔽")),
        ]


def parse_officer_filters(params: Mapping[str, Any]) -> tuple[OfficerFilterForm, dict[str, Any]]:
    """The officers' demand list's filters read from its query string: the form (for the page) and
    the selector's arguments (``selectors.demands_in_scope``). The list page and its export both read
    them here, so an export holds exactly the filtered view."""
    form = OfficerFilterForm(params or None)
    chosen = {
        "status": str(params.get("status", "") or ""),
        "category_id": form.int_value("category"),
        "district_id": form.int_value("district"),
    }
    return form, chosen


def describe_officer_filters(form: OfficerFilterForm, chosen: Mapping[str, Any]) -> str:
    """The filters in words, for the export job and its audit row ("状态：征集中；服务类别：…")."""
    parts = []
    for name, value in (
        ("status", chosen.get("status")),
        ("category", chosen.get("category_id")),
        ("district", chosen.get("district_id")),
    ):
        if not value:
            continue
        field = cast(forms.ChoiceField, form.fields[name])
        label = dict(cast(Any, field.choices)).get(str(value))
        if label is not None:
            parts.append(gettext("%(field)s：%(value)s") % {"field": field.label, "value": label})
    return "；".join(parts) or gettext("全部需求")
