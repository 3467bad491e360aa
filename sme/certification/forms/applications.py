"""Forms of the application pages. They parse input; the services decide what is acceptable."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sme.core import clock
from sme.core.forms import BootstrapFormMixin
from sme.core.parsing import Problems
from sme.core.uploads import DEFAULT_KINDS, accept_attribute

from .. import figures
from ..models import Application, ApplicationYear
from ..selectors.applications import REPORT_FIELDS


class ReportForm(BootstrapFormMixin, forms.ModelForm):
    """The 申请报告's text fields; categories, yearly figures and extra figures are in
    :class:`FiguresInput`."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = list(REPORT_FIELDS)
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "service_area": forms.Textarea(attrs={"rows": 3}),
            "facilities": forms.Textarea(attrs={"rows": 3}),
            "management_system": forms.Textarea(attrs={"rows": 3}),
            "leadership": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # a draft may be saved half-filled; submission checks completeness
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def report(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in REPORT_FIELDS}


class FiguresInput:
    """What the application form posts besides the report's text: the yearly figures
    (``y<year>_<figure>``), the function categories and the extra figures (``extra_<key>``).

    Unbound (``data`` None), it shows what the application holds."""

    def __init__(self, data: QueryDict | None, application: Application, years: list[int]) -> None:
        self.data = data
        self.application = application
        self.report_years = years
        self.extra_specs = figures.extra_figure_specs(application.scheme)

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def years(self) -> list[dict[str, Any]] | None:
        """The posted yearly rows (``{"year": 2025, "smes_served": "90", …}``), or None unbound."""
        if self.data is None:
            return None
        return [
            {
                "year": year,
                **{
                    name: self.data.get(f"y{year}_{name}", "").strip()
                    for name in ApplicationYear.FIGURE_FIELDS
                },
            }
            for year in self.report_years
        ]

    def categories(self) -> list[str]:
        if self.data is None:
            return list(self.application.categories)
        return self.data.getlist("categories")

    def extras(self) -> dict[str, Any]:
        """Every extra figure the scheme needs, as typed (or as stored, a share shown as the percent
        its field is labelled in: 0.3 as "30")."""
        if self.data is None:
            stored = self.application.extra_figures
            return {
                e["key"]: figures.percent_of(stored[e["key"]])
                if figures.is_share(e) and stored.get(e["key"]) not in ("", None)
                else stored.get(e["key"], "")
                for e in self.extra_specs
            }
        return {e["key"]: self.data.get(f"extra_{e['key']}", "").strip() for e in self.extra_specs}

    def extras_given(self) -> dict[str, Any]:
        """The extra figures filled in, as the service reads them: a share typed into its field
        labelled "%" is a percent ("30" is sent as "30%", see ``figures.as_percent_text``)."""
        specs = {e["key"]: e for e in self.extra_specs}
        return {
            k: figures.as_percent_text(v) if figures.is_share(specs[k]) else v
            for k, v in self.extras().items()
            if v not in ("", None)
        }

    def extra_rows(self) -> list[dict[str, Any]]:
        values = self.extras()
        return [{**e, "value": values.get(e["key"], "")} for e in self.extra_specs]

    def year_rows(self) -> list[dict[str, Any]]:
        """Each reported year with ``(figure, label, value)`` for the form: as posted, or as stored."""
        labels = {name: ApplicationYear.figure_label(name) for name in ApplicationYear.FIGURE_FIELDS}
        posted = self.years()
        if posted is not None:
            return [
                {
                    "year": r["year"],
                    "values": [(n, labels[n], r.get(n, "")) for n in ApplicationYear.FIGURE_FIELDS],
                }
                for r in posted
            ]
        return [
            {
                "year": y.year,
                "values": [
                    (n, labels[n], "" if getattr(y, n) is None else figures.plain(getattr(y, n)))
                    for n in ApplicationYear.FIGURE_FIELDS
                ],
            }
            for y in self.application.years.all()
        ]

    def eligibility_figures(self) -> dict[str, Any]:
        """The eligibility figures of the unsaved form, computed as for a saved application: figures
        that do not read as numbers are left out (the check then names them as missing)."""
        data = self.data or QueryDict()
        raw_date = data.get("established_on", "")
        try:
            established_on = dt.date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            established_on = None
        cleaned = figures.clean_years(self.years() or [], self.report_years, Problems())
        rows = [
            ApplicationYear(year=r["year"], **{k: v for k, v in r.items() if k != "year"}) for r in cleaned
        ]
        extras = figures.clean_extra_figures(self.application.scheme, self.extras_given(), Problems())
        found = figures.figures_from_values(established_on, rows, extras, clock.today())
        return figures.as_json_numbers(found)


class MaterialUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("选择文件"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(DEFAULT_KINDS)}),
    )


class DeclarationForm(BootstrapFormMixin, forms.Form):
    declared = forms.BooleanField(
        label=_(
            "本单位承诺：所提交的申报材料全部真实、准确、完整，如有虚假，愿承担相应责任并接受撤销称号的处理。"
        ),
        required=False,
    )
    declaration_name = forms.CharField(label=_("声明人（法定代表人）"), max_length=50, required=False)
    declaration_date = forms.DateField(
        label=_("声明日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
