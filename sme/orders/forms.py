"""Forms of the order pages. Validation of substance (prices, stars, windows) lives in the services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin
from sme.organizations.models import Organization

from .models import OrderStatus


class OrderForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("下单企业"), queryset=Organization.objects.none(), empty_label=None
    )
    quantity = forms.DecimalField(
        label=_("数量"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    proposed_price = forms.DecimalField(
        label=_("您提出的价格（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    requirements = forms.CharField(
        label=_("需求说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    outside_district = forms.BooleanField(
        label=_("我已知悉该服务的服务区县不含本企业所在区县，仍要订购"), required=False
    )

    def __init__(
        self,
        *args: Any,
        enterprises: list[Organization],
        fee_type: str,
        ask_outside_district: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not ask_outside_district:
            del self.fields["outside_district"]
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organization.objects.filter(pk__in=[e.pk for e in enterprises]).order_by("name")
        if len(enterprises) == 1:
            field.initial = enterprises[0].pk
        if fee_type != "range":
            del self.fields["proposed_price"]
        if fee_type not in ("fixed", "per_unit"):
            del self.fields["quantity"]
        else:
            self.fields["quantity"].initial = 1


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


STAR_CHOICES = [(i, "★" * i) for i in range(5, 0, -1)]


class RatingForm(BootstrapFormMixin, forms.Form):
    quality = forms.TypedChoiceField(label=_("服务质量"), choices=STAR_CHOICES, coerce=int)
    timeliness = forms.TypedChoiceField(label=_("及时性"), choices=STAR_CHOICES, coerce=int)
    attitude = forms.TypedChoiceField(label=_("服务态度"), choices=STAR_CHOICES, coerce=int)
    satisfied = forms.TypedChoiceField(
        label=_("总体是否满意"),
        choices=[("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(label=_("回复评价"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *OrderStatus.choices]
    )
    side = forms.ChoiceField(
        label=_("订单"),
        required=False,
        choices=[("", _("全部")), ("placed", _("我方下的订单")), ("received", _("我方收到的订单"))],
    )
    overdue = forms.BooleanField(label=_("只看超时未答复"), required=False)


def parse_list_filters(params: Mapping[str, Any]) -> tuple[ListFilterForm, dict[str, Any]]:
    """The order list's filters read from its query string: the form (for the page) and the
    selector's arguments (``selectors.order_list``). The list page and its export both read them here,
    so an export holds exactly the filtered view. Bad values filter nothing."""
    form = ListFilterForm(params or None)
    chosen: dict[str, Any] = {"status": "", "side": "", "overdue": False}
    if form.is_valid():
        chosen = {name: form.cleaned_data[name] for name in chosen}
    return form, chosen


def describe_list_filters(chosen: Mapping[str, Any]) -> str:
    """The filters in words, for the export job and its audit row ("状态：已完成；只看超时未答复")."""
    parts = []
    if chosen.get("status"):
        parts.append(gettext("状态：%(status)s") % {"status": OrderStatus(chosen["status"]).label})
    if chosen.get("side"):
        sides = dict(ListFilterForm.base_fields["side"].choices)  # type: ignore[attr-defined]
        parts.append(gettext("订单：%(side)s") % {"side": sides[chosen["side"]]})
    if chosen.get("overdue"):
        parts.append(gettext("只看超时未答复"))
    return "；".join(parts) or gettext("全部订单")
