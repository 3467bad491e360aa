"""Forms of the review pages: the queue's filters, assigning experts, an expert's scores and declared
conflicts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sme.accounts.models import User
from sme.core.forms import BootstrapFormMixin

from ..models import ApplicationStatus
from ..selectors.reviews import experts


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
        field.queryset = experts()


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    round_year = forms.IntegerField(label=_("评审年度"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("待我办理")), *ApplicationStatus.choices]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"status": data.get("status") or "", "round_year": data.get("round_year")}


class ConflictDeclareForm(forms.Form):
    """An expert names an organization by its 统一社会信用代码 and says why they must stand aside."""

    uscc = forms.CharField(required=False)
    reason = forms.CharField(required=False)

    def clean_uscc(self) -> str:
        return str(self.cleaned_data.get("uscc") or "").strip().upper()


def scores_from_post(data: QueryDict, items: list[dict[str, Any]]) -> dict[str, str]:
    """The scores typed on a score sheet (``score_<item key>``), as text for the service to check."""
    return {item["key"]: data.get(f"score_{item['key']}", "") for item in items}
