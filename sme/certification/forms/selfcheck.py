"""The public self-check's form: one scheme's figures, typed as people type them (shares in %), checked
by ``eligibility.check``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core import parsing
from sme.core.forms import BootstrapFormMixin
from sme.core.parsing import Problems

from .. import eligibility, figures
from ..eligibility import EligibilityInputError, EligibilityResult, FigureSpec
from ..models import Scheme
from ..selectors.schemes import district_choices

_MAX_LENGTH = 20
_PLACES = 6


@dataclass(frozen=True)
class FigureInput:
    """How one figure is typed on the page: one input, or one per year for a series."""

    spec: FigureSpec
    names: tuple[str, ...]  # the form fields

    @property
    def label(self) -> str:
        if self.spec.share:
            return f"{self.spec.label}（%）"
        unit = self.spec.shown_unit
        return f"{self.spec.label}（{unit}）" if unit else self.spec.label


class SelfCheckForm(BootstrapFormMixin, forms.Form):
    """The self-check form of one scheme. The figure fields follow the scheme's criteria; every
    field is text, and the check itself (:func:`eligibility.check`) names what is wrong."""

    scheme = forms.CharField(label=gettext_lazy("认定办法"), widget=forms.Select())
    district = forms.CharField(label=gettext_lazy("所在区县"), required=False, widget=forms.Select())
    on = forms.CharField(
        label=gettext_lazy("自测日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("按这一天施行的办法判断"),
    )

    def __init__(
        self, *args: Any, scheme: Scheme, schemes: list[Scheme], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scheme_obj = scheme
        self.today = today
        self.fields["scheme"].widget.choices = [
            (s.code, f"{s.display_name}（{s.document_number}）") for s in schemes
        ]
        self.fields["scheme"].initial = scheme.code
        # Another scheme needs other figures: fetch the whole page for it, keeping what was typed.
        self.fields["scheme"].widget.attrs.update(
            {
                "hx-get": reverse("certification:self-check"),
                "hx-trigger": "change",
                "hx-target": "#selfcheck",
                "hx-select": "#selfcheck",
                "hx-swap": "outerHTML",
                "hx-include": "#selfcheck-form [name]:not([name='csrfmiddlewaretoken'])",
            }
        )
        self.fields["district"].widget.choices = [("", _("请选择区县")), *district_choices(scheme)]
        self.fields["on"].initial = today.isoformat()
        self.figure_inputs: list[FigureInput] = []
        first_year = self._date_or_today().year - 1
        for spec in eligibility.figure_specs(scheme.criteria).values():
            if spec.series:
                count = spec.min_years
                names = tuple(f"{spec.name}_{i}" for i in range(1, count + 1))
                for i, name in enumerate(names, start=1):
                    year = first_year - (count - i)
                    self.fields[name] = forms.CharField(
                        label=_("%(year)s年") % {"year": year},
                        required=False,
                        max_length=_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                    )
            else:
                names = (spec.name,)
                mode = "numeric" if spec.integer else "decimal"
                self.fields[spec.name] = forms.CharField(
                    required=False,
                    max_length=_MAX_LENGTH,
                    widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}),
                )
            figure_input = FigureInput(spec, names)
            if not spec.series:
                self.fields[spec.name].label = figure_input.label
            self.figure_inputs.append(figure_input)
        self.problems: list[str] = []

    @staticmethod
    def input_names(scheme: Scheme) -> set[str]:
        """The names of the figure inputs the form has for ``scheme``."""
        names: set[str] = set()
        for spec in eligibility.figure_specs(scheme.criteria).values():
            if spec.series:
                names.update(f"{spec.name}_{i}" for i in range(1, spec.min_years + 1))
            else:
                names.add(spec.name)
        return names

    def _date_or_today(self) -> dt.date:
        raw = (self.data.get("on") or "").strip() if self.is_bound else ""
        try:
            return dt.date.fromisoformat(raw) if raw else self.today
        except ValueError:
            return self.today

    def figure_groups(self) -> list[dict[str, Any]]:
        """For the template: each figure with its bound fields and the errors of the group."""
        groups = []
        for fi in self.figure_inputs:
            fields = [self[name] for name in fi.names]
            errors = [e for f in fields for e in f.errors]
            groups.append({"input": fi, "fields": fields, "series": fi.spec.series, "errors": errors})
        return groups

    def error_slots(self) -> list[tuple[str, list[str]]]:
        """``(slot id, messages)`` for every place the page shows a field's errors. An htmx update
        sends them all out of band, so a corrected field loses its old message."""
        slots = [
            (f"selfcheck-err-{name}", [str(e) for e in self[name].errors]) for name in ("district", "on")
        ]
        slots += [
            (f"selfcheck-err-{g['input'].spec.name}", [str(e) for e in g["errors"]])
            for g in self.figure_groups()
        ]
        return slots

    def year_label_slots(self) -> list[tuple[str, str]]:
        """``(slot id, label)`` of the yearly inputs, named by year before the chosen date: sent out
        of band too, so changing the date relabels them."""
        return [
            (f"selfcheck-label-{name}", str(self.fields[name].label))
            for fi in self.figure_inputs
            if fi.spec.series
            for name in fi.names
        ]

    # -- checking --

    def _number(self, name: str, spec: FigureSpec) -> tuple[Decimal | None, str | None]:
        """One typed figure; negative numbers pass, for the check to name. A share is typed into a
        field labelled "%", so "30" and "30%" are both 30 % and come back as the fraction 0.3
        (``figures.percent_typed``, on the platform's one rule for shares)."""
        text = str(self.data.get(name) or "").strip()
        problems = Problems()
        if spec.share:
            value = figures.percent_typed(text, name, problems, label=spec.label)
        else:
            value = parsing.number(text, name, problems, label=spec.label, places=_PLACES, minimum=None)
        if name in problems:
            return None, problems.by_field[name][0]
        return value, None

    def raw_figures(self) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """The typed figures as the check takes them (shares typed in % come back as fractions), and
        the problems only the page can see (text that is no number, a share outside 0–100 %)."""
        found: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for fi in self.figure_inputs:
            spec = fi.spec
            values = []
            for name in fi.names:
                value, problem = self._number(name, spec)
                if problem:
                    problems.append((name, problem))
                values.append(value)
            if any(p[0] in fi.names for p in problems):
                continue
            if spec.series:
                given = [v for v in values if v is not None]
                if not given:
                    continue
                if len(given) < len(values):
                    problems.append(
                        (
                            fi.names[0],
                            _("%(label)s：请填写全部 %(n)s 个年度。")
                            % {"label": spec.label, "n": len(values)},
                        )
                    )
                    continue
                found[spec.name] = given
            elif values[0] is not None:
                found[spec.name] = values[0]
        return found, problems

    def run_check(self) -> EligibilityResult | None:
        """The result, or None with the problems on the form (beside their fields and in a list)."""
        found, page_problems = self.raw_figures()
        problems: list[tuple[str, str]] = list(page_problems)
        raw_on = str(self.data.get("on") or "").strip()
        on = self.today
        if raw_on:
            try:
                on = dt.date.fromisoformat(raw_on)
            except ValueError:
                problems.append(("on", _("日期应为 YYYY-MM-DD，收到“%(raw)s”。") % {"raw": raw_on[:20]}))
        seen = {_figure_of(name, self.figure_inputs) for name, _m in page_problems}
        result = None
        try:
            result = eligibility.check(
                self.scheme_obj,
                district_code=str(self.data.get("district") or ""),
                on=on,
                raw_figures=found,
                shares_typed_in_percent=True,
            )
        except EligibilityInputError as error:
            for name, message in error.problems:
                if name in seen or (name == "on" and any(p[0] == "on" for p in problems)):
                    continue
                problems.append((_field_of(name, self.figure_inputs), message))
        for name, message in problems:
            if name in self.fields:
                self.add_error(name, message)
            self.problems.append(message)
        return None if problems else result


def _figure_of(field_name: str, inputs: list[FigureInput]) -> str:
    return next((fi.spec.name for fi in inputs if field_name in fi.names), field_name)


def _field_of(figure: str, inputs: list[FigureInput]) -> str:
    return next((fi.names[0] for fi in inputs if fi.spec.name == figure), figure)
