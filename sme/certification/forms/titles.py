"""Forms of the after-certification pages: yearly summaries, re-reviews, spot checks, revocation.
They parse input; the services (``services.summaries``, ``rereviews``, ``spot_checks``, ``titles``) decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin
from sme.core.uploads import DEFAULT_KINDS, accept_attribute, describe_kinds

from .. import names

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def score_field_name(key: str) -> str:
    return f"score_{key}"


def score_field_map(items: list[dict[str, Any]], prefix: str) -> dict[str, str]:
    """Service error names (``<prefix>.<key>``) → this form's field names."""
    return {f"{prefix}.{item['key']}": score_field_name(item["key"]) for item in items}


class ScoreFieldsMixin:
    """One decimal field per item of the scheme's 年度运营情况测评表 (0..max, one decimal)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_score_fields(self, items: list[dict[str, Any]], *, required: bool) -> None:
        self.score_items = items
        for item in items:
            maximum = Decimal(str(item["max_score"]))
            self.fields[score_field_name(item["key"])] = forms.DecimalField(
                label=names.local(item),
                min_value=Decimal(0),
                max_value=maximum,
                max_digits=5,
                decimal_places=1,
                required=required,
                help_text=_("0–%(max)s 分") % {"max": format(maximum.normalize(), "f")},
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control",
                        "step": "0.5",
                        "min": "0",
                        "max": str(maximum),
                        "data-score": "1",
                    }
                ),
            )

    def score_bound_fields(self) -> list[forms.BoundField]:
        return [self[score_field_name(item["key"])] for item in self.score_items]  # type: ignore[index]

    def scores(self) -> dict[str, Any]:
        values = {}
        for item in self.score_items:
            value = self.cleaned_data.get(score_field_name(item["key"]))
            if value is not None:
                values[item["key"]] = value
        return values


class SummaryForm(BootstrapFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    text = forms.CharField(
        label=_("工作总结"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("开展公益性服务、承担政府部门委托任务、发布服务信息、接受社会监督等情况（第十三条）"),
    )
    smes_served = forms.IntegerField(label=_("服务中小企业数（家）"), min_value=0)
    satisfaction_percent = forms.DecimalField(
        label=_("用户满意度（%）"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    service_revenue_wan = forms.DecimalField(
        label=_("服务收入（万元）"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    public_services = forms.IntegerField(label=_("公益性服务（次）"), min_value=0, initial=0)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, _("%(year)s年度") % {"year": y}) for y in years]


class ReReviewForm(ScoreFieldsMixin, BootstrapFormMixin, forms.Form):
    """The platform's re-review draft. Every field may stay empty until submission."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    three_year_summary = forms.CharField(
        label=_("三年工作总结"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 10})
    )
    audit_report = forms.FileField(
        label=_("上一年度服务收支专项审计报告"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(DEFAULT_KINDS)}),
    )

    def __init__(self, *args: Any, items: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audit_report"].help_text = _("可上传 %(kinds)s；重新上传会替换当前文件。") % {
            "kinds": describe_kinds()
        }
        self.add_score_fields(items, required=False)


class ScoreForm(ScoreFieldsMixin, BootstrapFormMixin, forms.Form):
    """A reviewer's scores on the annual form, with an opinion (required where the action needs one)."""

    note = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, items: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_score_fields(items, required=True)


class ReasonForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("将在撤销公告中公开，请写明弄虚作假的事实（第十五条）。"),
    )


class SpotCheckForm(BootstrapFormMixin, forms.Form):
    checked_on = forms.DateField(label=_("抽查日期"), widget=DATE_WIDGET)
    findings = forms.CharField(
        label=_("抽查发现的问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    rectification_due = forms.DateField(label=_("整改期限"), widget=DATE_WIDGET)


class RectificationForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("整改情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
