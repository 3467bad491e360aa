"""Forms of the public notice: the objection anyone files, and the city's resolution of it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin


class ObjectionForm(BootstrapFormMixin, forms.Form):
    """The objection form. It only collects: ``services.notices.objection_file`` decides what is
    acceptable (fields, and whether the notice is open), so the page and any other caller refuse the
    same things."""

    name = forms.CharField(
        label=_("异议人姓名或单位"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 50}),
    )
    contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100}),
        help_text=_("手机、电话或电子邮箱，便于认定机关核实和答复；不对外公开。"),
    )
    text = forms.CharField(
        label=_("异议内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("请写明异议的事实和理由，可附证据线索。"),
    )
    # A field people never see: robots fill every input, people leave it empty.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        label=_("网址（请勿填写）"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("name", "contact", "text"):
            self.fields[name].show_required = True  # type: ignore[attr-defined]


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
