from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.accounts.models import Role
from sme.core.forms import BootstrapFormMixin
from sme.regions.models import Region
from sme.regions.selectors import districts

from .instrument import SCENARIO_LEVELS, Dimension, Instrument, Item

RATIO_PARTS = ("numerator", "denominator")


def ratio_field_name(item_key: str, part: str) -> str:
    return f"{item_key}__{part}"


class DimensionPageForm(forms.Form):
    """One dimension's items as form fields, every one optional (a draft may be incomplete); the
    service checks the answers given and names each bad one. The fields are made per item, so they
    carry Bootstrap's classes themselves (BootstrapFormMixin styles only declared fields)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        dimension: Dimension,
        answers: dict[str, Any],
        version: int,
        **kwargs: Any,
    ):
        initial: dict[str, Any] = {"version": version}
        for item in dimension.items:
            value = answers.get(item.key)
            if value is None:
                continue
            if item.kind == "ratio":
                for part in RATIO_PARTS:
                    initial[ratio_field_name(item.key, part)] = value.get(part)
            else:
                initial[item.key] = value
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.dimension = dimension
        levels = {level: label for level, label, _d in instrument.scenario_levels}
        for item in dimension.items:
            if item.kind in ("single", "trend"):
                self.fields[item.key] = forms.ChoiceField(
                    label=item.text,
                    required=False,
                    choices=[(o.key, o.label) for o in item.options],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            elif item.kind == "multi":
                self.fields[item.key] = forms.MultipleChoiceField(
                    label=item.text,
                    required=False,
                    choices=[(o.key, o.label) for o in item.options],
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                )
            elif item.kind == "ratio":
                for part, label in (
                    ("numerator", item.numerator_label),
                    ("denominator", item.denominator_label),
                ):
                    self.fields[ratio_field_name(item.key, part)] = forms.CharField(
                        label=label,
                        required=False,
                        max_length=30,
                        widget=forms.TextInput(
                            attrs={"class": "form-control", "inputmode": "decimal", "autocomplete": "off"}
                        ),
                    )
            else:
                self.fields[item.key] = forms.TypedChoiceField(
                    label=item.text,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[(lv, levels.get(lv, str(lv))) for lv in SCENARIO_LEVELS],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )

    def rows(self) -> list[tuple[Item, list[forms.BoundField]]]:
        """(item, its bound fields) in questionnaire order, for the template."""
        out = []
        for item in self.dimension.items:
            if item.kind == "ratio":
                out.append((item, [self[ratio_field_name(item.key, p)] for p in RATIO_PARTS]))
            else:
                out.append((item, [self[item.key]]))
        return out

    def answers(self) -> dict[str, Any]:
        """The page's answers in the service's form; blank items are left out (unanswered)."""
        data = cast(dict[str, Any], self.cleaned_data)
        out: dict[str, Any] = {}
        for item in self.dimension.items:
            if item.kind == "ratio":
                parts = {p: (data.get(ratio_field_name(item.key, p)) or "").strip() for p in RATIO_PARTS}
                if any(parts.values()):
                    out[item.key] = parts
            else:
                value = data.get(item.key)
                if value not in (None, "", []):
                    out[item.key] = value
        return out

    def field_map(self) -> dict[str, str]:
        """Service error keys (item keys) → the field that shows them."""
        return {
            item.key: ratio_field_name(item.key, "numerator") if item.kind == "ratio" else item.key
            for item in self.dimension.items
        }


class PledgeForm(BootstrapFormMixin, forms.Form):
    pledge = forms.BooleanField(label=gettext_lazy("我已阅读并作出以上承诺"), required=False)


class VerifiedScoreForm(BootstrapFormMixin, forms.Form):
    total = forms.CharField(
        label=gettext_lazy("现场评定得分"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    evaluated_on = forms.DateField(
        label=gettext_lazy("现场评定日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=gettext_lazy("评定说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("写明现场核查的依据和与自评不一致之处，企业会看到这段文字。"),
    )


class ResponseFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("企业名称"), required=False, max_length=100)
    questionnaire = forms.ChoiceField(label=gettext_lazy("问卷"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("等级"), required=False)
    verified = forms.ChoiceField(
        label=gettext_lazy("现场评定"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            ("yes", gettext_lazy("已现场评定")),
            ("no", gettext_lazy("未现场评定")),
        ],
    )
    district: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=gettext_lazy("区县"), required=False, queryset=None, empty_label=gettext_lazy("全部区县")
    )

    def __init__(
        self,
        *args: Any,
        questionnaires: list[tuple[str, str]],
        levels: list[tuple[str, str]],
        show_district: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["questionnaire"]).choices = [("", _("全部问卷")), *questionnaires]
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", _("全部等级")), *levels]
        if show_district:
            cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts()
        else:
            del self.fields["district"]


def response_filters(user: Any, data: Mapping[str, Any] | None) -> tuple[ResponseFilterForm, dict[str, Any]]:
    """The officers' list filters read from ``data`` (the list's query parameters), as the list page
    and its export both read them: the form, and the keyword arguments of
    ``selectors.officer_response_list`` (empty when a value is not one of the choices)."""
    from .selectors import response_filter_choices

    codes, levels = response_filter_choices()
    show_district = user.role == Role.CITY_OFFICER or user.is_platform_admin
    form = ResponseFilterForm(data or None, questionnaires=codes, levels=levels, show_district=show_district)
    cleaned = form.cleaned_data if form.is_valid() else {}
    district = cleaned.get("district")
    return form, {
        "questionnaire_code": cleaned.get("questionnaire", ""),
        "level_key": cleaned.get("level", ""),
        "district_id": district.pk if district else None,
        "verified": cleaned.get("verified", ""),
        "q": cleaned.get("q", ""),
    }


def describe_filters(form: ResponseFilterForm) -> str:
    """The filters in effect, in words: "问卷：…；等级：二级；企业名称含“科技”" ("全部" when none)."""
    if not form.is_bound or not form.is_valid():
        return _("全部")
    parts = []
    for name in ("questionnaire", "level", "district", "verified"):
        if name not in form.fields or not form.cleaned_data.get(name):
            continue
        field = form.fields[name]
        value = form.cleaned_data[name]
        shown = str(value) if name == "district" else str(dict(field.choices).get(value, value))  # type: ignore[attr-defined]
        parts.append(_("%(label)s：%(value)s") % {"label": field.label, "value": shown})
    if form.cleaned_data.get("q"):
        parts.append(_("企业名称含“%(q)s”") % {"q": form.cleaned_data["q"]})
    return "；".join(parts) or _("全部")
