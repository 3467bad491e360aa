"""The stored size classification of an enterprise, computed fast enough for a million rows.

:class:`Classifier` gives the same answer, with the same reasons word for word, as
``size_class.classify`` (a test compares them over many random inputs), but prepares everything
that does not depend on the figures once per :class:`~.size_class.Rules` snapshot: the industry
code resolution, the translated sentence patterns and the bounds' text. Services, the registry
import and ``reclassify_enterprises`` all use it, so an enterprise gets the same classification
whichever way its figures arrived.

Reasons are stored in Chinese whatever language the person who triggered the change reads: they
are part of the record, like the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .size_class import (
    BANDS,
    BOUND_PATTERN,
    FIGURE_PATTERN,
    INDICATOR_NAMES,
    INDICATOR_UNITS,
    INDICATORS,
    SIZE_LABELS,
    Figure,
    Group,
    Rules,
    SizeInputError,
    _check_figures,
    _fmt,
    _indicator_list,
    resolve_industry,
)

STORED_LANGUAGE = "zh-hans"
FIELDS = (
    "size_class",
    "size_group",
    "size_standard_version",
    "size_figures_year",
    "size_figures",
    "size_reasons",
)


@dataclass(frozen=True)
class Classification:
    """What a profile stores about its size: ``size_class`` is "" when the enterprise cannot be
    classified, and ``reasons`` then says why (never a guess)."""

    size_class: str
    group: int | None
    standard_version: str
    figures_year: int | None
    figures: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def as_fields(self) -> dict[str, Any]:
        return {
            "size_class": self.size_class,
            "size_group": self.group,
            "size_standard_version": self.standard_version,
            "size_figures_year": self.figures_year,
            "size_figures": self.figures,
            "size_reasons": self.reasons,
        }


def stored_figure(indicator: str, value: Figure) -> int | str:
    """Figures as stored with a classification: whole persons, 万元 as exact decimal text."""
    if indicator == "employees":
        return int(value)
    return _fmt(value)


@dataclass(frozen=True)
class _Industry:
    """A resolved industry code: its group (or None), the header sentence or the refusal."""

    group: Group | None
    header: str
    refusal: list[str] | None


class Classifier:
    """Classifies with one snapshot of the rules; build one per request, batch or command run."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._industries: dict[str, _Industry] = {}
        with translation.override(STORED_LANGUAGE):
            self._names = {k: str(INDICATOR_NAMES[k]) for k in INDICATORS}
            self._units = {k: str(INDICATOR_UNITS[k]) for k in INDICATORS}
            self._labels = {k: str(v) for k, v in SIZE_LABELS.items()}
            self._met = _("%(figure)s ≥ %(bound)s")
            self._missed = _("%(figure)s，低于 %(bound)s")
            self._reached = _("达到%(band)s的全部下限：%(met)s。")
            self._not_reached = _("未达到%(band)s：%(missed)s。")
            self._micro = _("有一项指标低于小型下限即为微型。")
            self._ignored_pattern = _("本组不按%(names)s划型，所填数值未使用。")
            self._no_industry = _("未填写行业代码，不能划型。请在企业档案中选择 GB/T 4754-2017 行业代码。")
            self._no_figures = _("尚未填写年度数据（从业人员、营业收入、资产总额），不能划型。")
            self._separator = "，"
            self._ignored: dict[tuple[str, ...], str] = {}
            self._figure = str(FIGURE_PATTERN)
            bound_pattern = str(BOUND_PATTERN)
            self._bounds = {
                (number, band, k): bound_pattern % {"value": _fmt(bound), "unit": self._units[k]}
                for number, group in rules.groups.items()
                for band in BANDS
                for k, bound in group.thresholds[band].items()
            }

    # --- industry --------------------------------------------------------------------------------

    def _industry(self, code: str) -> _Industry:
        found = self._industries.get(code)
        if found is not None:
            return found
        rules = self.rules
        with translation.override(STORED_LANGUAGE):
            try:
                resolution = resolve_industry(code, rules)
            except SizeInputError as exc:
                found = _Industry(None, "", exc.errors)
            else:
                entry, industry = resolution.entry, resolution.industry
                if entry is None or entry.group is None:
                    reason = (
                        entry.reason
                        if entry is not None
                        else rules.unmapped_reason.format(code=industry.code, name=industry.name)
                    )
                    found = _Industry(None, "", [reason])
                else:
                    group = rules.groups[entry.group]
                    header = _(
                        "行业代码 %(code)s（%(name)s）属于第%(number)s组“%(group)s”，按%(indicators)s划型。"
                    ) % {
                        "code": resolution.chain[0],
                        "name": industry.name,
                        "number": group.number,
                        "group": group.name,
                        "indicators": _indicator_list(group.indicators),
                    }
                    found = _Industry(group, header, None)
        if len(self._industries) < 10_000:
            self._industries[code] = found
        return found

    def group_of(self, code: str) -> Group | None:
        return self._industry(code).group if code else None

    # --- classification --------------------------------------------------------------------------

    def classify(
        self,
        industry_code: str,
        year: int | None,
        employees: int | None,
        revenue: Decimal | None,
        assets: Decimal | None,
    ) -> Classification:
        version = self.rules.version
        if not industry_code:
            return Classification("", None, version, year, {}, [self._no_industry])
        industry = self._industry(industry_code)
        if industry.refusal is not None:
            return Classification("", None, version, year, {}, list(industry.refusal))
        group = industry.group
        assert group is not None
        if year is None:
            return Classification("", group.number, version, None, {}, [self._no_figures])
        given: dict[str, Figure | None] = {"employees": employees, "revenue": revenue, "assets": assets}
        figures: Mapping[str, Figure]
        if any(given[k] is None or given[k] < 0 for k in group.indicators):  # type: ignore[operator]
            with translation.override(STORED_LANGUAGE):
                try:
                    figures = _check_figures(group, given)
                except SizeInputError as exc:
                    return Classification("", group.number, version, year, {}, [industry.header, *exc.errors])
        else:
            figures = {k: given[k] for k in group.indicators}  # type: ignore[misc]
        reasons = [industry.header]
        size = "micro"
        number = group.number
        names, units = self._names, self._units
        pattern = self._figure
        texts = {
            k: pattern % {"name": names[k], "value": _fmt(v), "unit": units[k]} for k, v in figures.items()
        }
        bound_texts = self._bounds
        for band in BANDS:
            bounds = group.thresholds[band]
            if all(figures[k] >= b for k, b in bounds.items()):
                size = band
                met = self._separator.join(
                    self._met % {"figure": texts[k], "bound": bound_texts[number, band, k]} for k in bounds
                )
                reasons.append(self._reached % {"band": self._labels[band], "met": met})
                break
            missed = self._separator.join(
                self._missed % {"figure": texts[k], "bound": bound_texts[number, band, k]}
                for k, b in bounds.items()
                if figures[k] < b
            )
            reasons.append(self._not_reached % {"band": self._labels[band], "missed": missed})
        if size == "micro":
            reasons.append(self._micro)
        ignored = tuple(k for k in INDICATORS if k not in group.indicators and given[k] is not None)
        if ignored:
            reasons.append(self._ignored_text(ignored))
        stored = {k: stored_figure(k, v) for k, v in figures.items()}
        return Classification(size, number, version, year, stored, reasons)

    def _ignored_text(self, ignored: tuple[str, ...]) -> str:
        text = self._ignored.get(ignored)
        if text is None:
            with translation.override(STORED_LANGUAGE):
                text = self._ignored_pattern % {"names": _indicator_list(ignored)}
            self._ignored[ignored] = text
        return text
