"""Forms of the catalogue pages. They parse and show errors; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sme.core.forms import BootstrapFormMixin
from sme.core.uploads import accept_attribute, describe_kinds
from sme.regions.selectors import districts

from .disclosures import REVISION_FIELDS
from .models import ATTACHMENT_KINDS, AttachmentKind, FeeType, ServiceRevision
from .selectors import category_tree


def category_choices() -> list[tuple[Any, Any]]:
    choices: list[tuple[Any, Any]] = [("", _("请选择服务类别"))]
    for top, children in category_tree():
        choices.append((top.name, [(c.pk, c.name) for c in children] or [(top.pk, top.name)]))
    return choices


class ServiceForm(BootstrapFormMixin, forms.Form):
    """The five disclosures of one revision. Completeness is the service's to judge (on submit)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("服务名称"), max_length=120)
    category = forms.TypedChoiceField(label=_("服务类别"), coerce=int, choices=())
    summary = forms.CharField(label=_("一句话简介"), max_length=200, required=False)
    content = forms.CharField(
        label=_("服务内容（内容公开）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("交付什么：服务的具体内容和范围。"),
    )
    deliverables = forms.CharField(
        label=_("交付成果（标准公开）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quality_standard = forms.CharField(
        label=_("质量标准（标准公开）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("所达到的国家、行业标准或本机构承诺的质量要求。"),
    )
    fee_type = forms.ChoiceField(
        label=_("收费方式（收费公开）"), choices=[("", "—"), *list(FeeType.choices)], required=False
    )
    fee_amount = forms.CharField(label=_("价格/单价（元）"), required=False)
    fee_min = forms.CharField(label=_("最低价（元）"), required=False)
    fee_max = forms.CharField(label=_("最高价（元）"), required=False)
    fee_unit = forms.CharField(label=_("计价单位"), max_length=20, required=False)
    small_micro_price = forms.CharField(
        label=_("小微企业优惠价（元，可选）"), required=False, help_text=_("须低于正常价格。")
    )
    fee_note = forms.CharField(label=_("收费说明"), max_length=300, required=False)
    delivery_workdays = forms.CharField(label=_("交付时间（工作日，时间公开）"), required=False)
    response_workdays = forms.CharField(
        label=_("响应时限（工作日）"),
        required=False,
        help_text=_("收到订单后多少个工作日内答复；不填为 1 个工作日。超过即标记为超时。"),
    )
    service_hours = forms.CharField(label=_("服务时间"), max_length=100, required=False)
    serves_all_districts = forms.BooleanField(label=_("服务全市"), required=False)
    district_ids = forms.TypedMultipleChoiceField(
        label=_("服务区县"), coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    districts_only = forms.BooleanField(
        label=_("只接受服务区县内企业的订单"),
        required=False,
        help_text=_(
            "不勾选时，其他区县的企业确认知悉服务区域后仍可下单；勾选后，服务区县以外的企业不能下单。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        self.fields["district_ids"].choices = [(d.pk, d.name) for d in districts()]  # type: ignore[attr-defined]

    def steps_from(self, data: Any) -> list[str]:
        return [s for s in data.getlist("process_steps") if s.strip()] if hasattr(data, "getlist") else []

    def service_data(self) -> dict[str, Any]:
        """The raw values for the services (they parse amounts and days themselves)."""
        data = {name: self.cleaned_data.get(name) for name in REVISION_FIELDS if name in self.fields}
        data["process_steps"] = self.steps_from(self.data)
        return data

    @staticmethod
    def initial_from(revision: ServiceRevision, version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(revision, name) for name in REVISION_FIELDS if name != "category"
        }
        initial["category"] = revision.category_id
        initial["version"] = version
        for name in ("fee_amount", "fee_min", "fee_max", "small_micro_price"):
            value = initial.get(name)
            initial[name] = "" if value is None else f"{value.normalize():f}"
        return initial


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("理由/意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("可上传：%(kinds)s") % {"kinds": describe_kinds(ATTACHMENT_KINDS)},
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(ATTACHMENT_KINDS)}),
    )
