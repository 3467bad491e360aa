"""The stored size classification of an enterprise, computed fast enough for a million rows.

:class:`Classifier` gives the same answer, with the same reasons word for word, as
``size_class.classify`` (a test compares them over many random inputs), but prepares everything
that does not depend on the figures once per :class:`~.size_class.Rules` snapshot: the industry
code resolution, the header sentence and the bounds. Services, the registry import and
``reclassify_enterprises`` all use it, so an enterprise gets the same classification whichever
way its figures arrived.

Reasons are stored as facts (``reasons``: the sentence and its values, a few dozen bytes) and read
in the reader's language (``reasons.render_reasons``): a classification made during an officer's
import reads in English for an English-speaking enterprise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sme.core.messages import msg

from . import reasons as said
from .reasons import stored
from .size_class import (
    BANDS,
    INDICATORS,
    Figure,
    Group,
    Rules,
    SizeInputError,
    _check_figures,
    _fmt,
    header_fact,
    resolve_industry,
)

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
    reasons: list[Any] = field(default_factory=list)  # stored reasons (reasons.render_reasons reads them)

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
    """A resolved industry code: its group (or None), the header sentence or the refusal (JSON)."""

    group: Group | None
    header: Any
    refusal: list[Any] | None


class Classifier:
    """Classifies with one snapshot of the rules; build one per request, batch or command run."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._industries: dict[str, _Industry] = {}
        self._no_industry = stored(msg(said.NO_INDUSTRY))
        self._no_figures = stored(msg(said.NO_FIGURES))
        self._bounds = {
            (number, band, k): _fmt(bound)
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
        try:
            resolution = resolve_industry(code, rules)
        except SizeInputError as exc:
            found = _Industry(None, None, [stored(m) for m in exc.messages])
        else:
            entry, industry = resolution.entry, resolution.industry
            if entry is None or entry.group is None:
                found = _Industry(None, None, [stored(rules.refusal(entry, industry))])
            else:
                group = rules.groups[entry.group]
                found = _Industry(group, header_fact(resolution.chain[0], industry, group), None)
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
            try:
                figures = _check_figures(group, given)
            except SizeInputError as exc:
                problems = [stored(m) for m in exc.messages]
                return Classification("", group.number, version, year, {}, [industry.header, *problems])
        else:
            figures = {k: given[k] for k in group.indicators}  # type: ignore[misc]
        reasons = [industry.header]
        size = "micro"
        number = group.number
        values = {k: _fmt(v) for k, v in figures.items()}
        bounds_text = self._bounds
        for band in BANDS:
            bounds = group.thresholds[band]
            if all(figures[k] >= b for k, b in bounds.items()):
                size = band
                reasons.append(
                    ["reached", band, [[k, values[k], bounds_text[number, band, k]] for k in bounds]]
                )
                break
            missed = [
                [k, values[k], bounds_text[number, band, k]] for k, b in bounds.items() if figures[k] < b
            ]
            reasons.append(["below", band, missed])
        if size == "micro":
            reasons.append(["micro"])
        ignored = [k for k in INDICATORS if k not in group.indicators and given[k] is not None]
        if ignored:
            reasons.append(["ignored", ignored])
        kept = {k: stored_figure(k, v) for k, v in figures.items()}
        return Classification(size, number, version, year, kept, reasons)
