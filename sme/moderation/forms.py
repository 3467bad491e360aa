from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin

from .models import ReportReason, ReportStatus, TargetKind


class ReportForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("举报理由"), choices=ReportReason.choices, widget=forms.RadioSelect)
    reason_text = forms.CharField(
        label=_("补充说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选择“其他”时必填。"),
    )


class DecideForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("处理理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("屏蔽时必填，会告知内容发布者。"),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ReportStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("对象类型"), required=False, choices=[("", _("全部")), *TargetKind.choices]
    )
