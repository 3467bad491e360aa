from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin
from sme.orders.models import Order
from sme.organizations.models import PROVIDER_KINDS, Organization, VerificationStatus

from .models import HandlingLevel, TicketKind, TicketStatus, TicketType

ORDER_CHOICES_LIMIT = 200


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return gettext("%(number)s · %(title)s · %(provider)s") % {
            "number": obj.number,
            "title": obj.title,
            "provider": obj.provider.name,
        }


class TicketTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class TicketFileForm(BootstrapFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("提出诉求的企业"), queryset=Organization.objects.none())
    ticket_type = TicketTypeChoiceField(
        label=_("诉求类型"), queryset=TicketType.objects.none(), empty_label=None
    )
    order = OrderChoiceField(
        label=_("所投诉的订单"),
        queryset=Order.objects.none(),
        required=False,
        help_text=_("投诉订单时必选：只能选择本企业的订单。"),
    )
    provider = forms.ModelChoiceField(
        label=_("所投诉的服务机构"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("投诉服务机构时选择曾为本企业服务的机构，或在下方填写其统一社会信用代码。"),
    )
    provider_uscc = forms.CharField(label=_("服务机构统一社会信用代码"), max_length=18, required=False)
    subject = forms.CharField(label=_("标题"), max_length=120)
    description = forms.CharField(
        label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )

    def __init__(self, *args: Any, enterprises: list[Organization], types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [e.pk for e in enterprises]
        enterprise_field = cast(forms.ModelChoiceField, self.fields["enterprise"])
        enterprise_field.queryset = Organization.objects.filter(pk__in=ids).order_by("pk")
        if len(enterprises) == 1:
            enterprise_field.initial = enterprises[0].pk
            enterprise_field.widget = forms.HiddenInput()
        cast(forms.ModelChoiceField, self.fields["ticket_type"]).queryset = types
        order_field = cast(forms.ModelChoiceField, self.fields["order"])
        order_field.queryset = (
            Order.objects.filter(enterprise_id__in=ids).select_related("provider").order_by("-submitted_at")
        )
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = (
            Organization.objects.filter(kind__in=PROVIDER_KINDS, orders_received__enterprise_id__in=ids)
            .distinct()
            .order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticket_type = data.get("ticket_type")
        if ticket_type is None:
            return data
        if ticket_type.kind == TicketKind.ORDER_COMPLAINT and not data.get("order"):
            self.add_error("order", _("投诉订单时必须选择订单。"))
        if ticket_type.kind == TicketKind.PROVIDER_COMPLAINT and not data.get("provider"):
            uscc = (data.get("provider_uscc") or "").strip().upper()
            if not uscc:
                self.add_error("provider", _("投诉服务机构时必须选择服务机构或填写其统一社会信用代码。"))
            else:
                found = Organization.objects.filter(
                    uscc=uscc, kind__in=PROVIDER_KINDS, verification_status=VerificationStatus.VERIFIED
                ).first()
                if found is None:
                    self.add_error("provider_uscc", _("平台上没有该统一社会信用代码的服务机构。"))
                else:
                    data["provider"] = found
        if ticket_type.kind != TicketKind.ORDER_COMPLAINT:
            data["order"] = None
        if ticket_type.kind != TicketKind.PROVIDER_COMPLAINT:
            data["provider"] = None
        return data


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class RateForm(BootstrapFormMixin, forms.Form):
    stars = forms.TypedChoiceField(
        label=_("办理评价"),
        choices=[(n, _("%(n)s星") % {"n": n}) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    satisfied = forms.TypedChoiceField(
        label=_("是否满意"),
        choices=[("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000
    )


class TicketFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("open", _("办理中")), *list(TicketStatus.choices)],
    )
    overdue = forms.ChoiceField(
        label=_("是否超时"), required=False, choices=[("", _("全部")), ("1", _("已超时"))]
    )
    level = forms.ChoiceField(
        label=_("办理层级"), required=False, choices=[("", _("全部")), *list(HandlingLevel.choices)]
    )


class FiguresFilterForm(forms.Form):
    district = forms.ChoiceField(label=_("区县"), required=False)

    def __init__(self, *args: Any, districts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["district"]).choices = [("", _("全市"))] + [
            (str(d.pk), d.name) for d in districts
        ]


def parse_list_filters(params: Mapping[str, Any]) -> tuple[TicketFilterForm, dict[str, Any]]:
    """The 诉求 list's filters read from its query string: the form (for the page) and the selector's
    arguments (``selectors.ticket_list``). The list page and its export both read them here, so an
    export holds exactly the filtered view. Bad values filter nothing."""
    form = TicketFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "status": data.get("status", ""),
        "overdue": data.get("overdue") == "1",
        "level": data.get("level", ""),
    }
    return form, chosen


def describe_list_filters(chosen: Mapping[str, Any]) -> str:
    """The filters in words, for the export job and its audit row ("状态：待受理；办理层级：市级办理")."""
    form = TicketFilterForm()
    parts = []
    for name in ("status", "level"):
        if chosen.get(name):
            field = cast(forms.ChoiceField, form.fields[name])
            parts.append(
                gettext("%(field)s：%(value)s")
                % {"field": field.label, "value": dict(cast(Any, field.choices))[chosen[name]]}
            )
    if chosen.get("overdue"):
        parts.append(gettext("已超时"))
    return "；".join(parts) or gettext("全部诉求")
