"""Scoring a digital-maturity questionnaire, as pure functions over an instrument snapshot
(:class:`~.instrument.Instrument`, see ``instrument.py``). Nothing here touches the database.

Answers are a mapping ``item key → value``:

- ``single`` and ``trend``: an option key (``"worse"``, ``"same"``, ``"better"`` for a trend);
- ``multi``: a list of option keys; points add up; an ``exclusive`` option ("none of these")
  cannot be chosen together with another one;
- ``ratio``: ``{"numerator": n, "denominator": d}`` as raw counts (or amounts), ``d > 0`` and
  ``0 ≤ n ≤ d``; the ratio ``n / d`` is scored by bands;
- ``scenario``: a level 1–4 (points per level when the item gives any).

:func:`score` returns the total, the level, and the score against the maximum per dimension and
sub-dimension. :func:`validate_answers` checks a partial set (a draft). Every problem is reported
as ``(item key, Chinese message)`` through :class:`AnswerError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sme.core import clock

from .instrument import (
    HUNDRED,
    SCENARIO_LEVELS,
    ZERO,
    Band,
    Instrument,
    Item,
    Level,
    LevelRule,
    fmt,
    tidy,
)

_MAX_FIGURE = Decimal("1e12")


class AnswerError(ValueError):
    """Some answers cannot be scored: each problem is ``(item key, Chinese message)``."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(self.errors))

    @property
    def errors(self) -> list[str]:
        return [message for _key, message in self.problems]

    def by_item(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for key, message in self.problems:
            grouped.setdefault(key, []).append(message)
        return grouped


# --- answers -------------------------------------------------------------------------------------


def _figure(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _check_item(item: Item, value: Any) -> tuple[Any, str | None]:
    """``(normalized value, None)`` or ``(None, Chinese problem)`` for one answer."""
    name = item.text
    if item.kind in ("single", "trend"):
        if not isinstance(value, str) or item.option(value) is None:
            return None, _("「%(item)s」：请从给出的选项中选择一项。") % {"item": name}
        return value, None
    if item.kind == "multi":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return None, _("「%(item)s」：请勾选适用的选项。") % {"item": name}
        chosen = list(dict.fromkeys(value))
        unknown = [v for v in chosen if item.option(v) is None]
        if unknown:
            return None, _("「%(item)s」：没有“%(option)s”这个选项。") % {"item": name, "option": unknown[0]}
        if not chosen:
            return None, _("「%(item)s」：请至少勾选一项；都不适用时请勾选“以上均无”。") % {"item": name}
        exclusive = [v for v in chosen if item.option(v).exclusive]  # type: ignore[union-attr]
        if exclusive and len(chosen) > 1:
            none_label = item.option(exclusive[0]).label  # type: ignore[union-attr]
            return None, _("「%(item)s」：勾选了“%(none)s”，就不能再勾选其他选项。") % {
                "item": name,
                "none": none_label,
            }
        order = [o.key for o in item.options]
        return sorted(chosen, key=order.index), None
    if item.kind == "ratio":
        if not isinstance(value, Mapping):
            return None, _("「%(item)s」：请填写%(num)s和%(den)s。") % {
                "item": name,
                "num": item.numerator_label,
                "den": item.denominator_label,
            }
        numerator, denominator = _figure(value.get("numerator")), _figure(value.get("denominator"))
        problems = []
        for figure, raw, label in (
            (numerator, value.get("numerator"), item.numerator_label),
            (denominator, value.get("denominator"), item.denominator_label),
        ):
            if figure is None:
                problems.append(
                    _("%(label)s应为不小于 0 的数，收到“%(raw)s”") % {"label": label, "raw": _shown(raw)}
                )
            elif figure < 0:
                problems.append(_("%(label)s不能为负数") % {"label": label})
            elif figure > _MAX_FIGURE:
                problems.append(_("%(label)s过大") % {"label": label})
        if not problems and denominator == 0:
            problems.append(_("%(label)s不能为 0") % {"label": item.denominator_label})
        if not problems and numerator > denominator:  # type: ignore[operator]
            problems.append(
                _("%(num)s（%(n)s）不能大于%(den)s（%(d)s）")
                % {
                    "num": item.numerator_label,
                    "n": fmt(numerator),  # type: ignore[arg-type]
                    "den": item.denominator_label,
                    "d": fmt(denominator),  # type: ignore[arg-type]
                }
            )
        if problems:
            return None, _("「%(item)s」：%(problems)s。") % {"item": name, "problems": "；".join(problems)}
        return {"numerator": _plain(numerator), "denominator": _plain(denominator)}, None  # type: ignore[arg-type]
    # scenario
    level = value
    if isinstance(value, str) and value.strip().isdigit():
        level = int(value.strip())
    if isinstance(level, bool) or not isinstance(level, int) or level not in SCENARIO_LEVELS:
        return None, _("「%(item)s」：请选择 1–4 级中的一级。") % {"item": name}
    return level, None


def _shown(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    return text[:30]


def _plain(value: Decimal) -> int | str:
    """A JSON-friendly figure: an int when whole, else the decimal's text (never a float)."""
    return int(value) if value == value.to_integral_value() else fmt(value)


def validate_answers(
    instrument: Instrument, answers: Mapping[str, Any], *, complete: bool = False
) -> dict[str, Any]:
    """The answers normalized (option lists in instrument order, figures as ints or decimal text),
    or :class:`AnswerError` naming every bad answer. ``complete`` also names every unanswered item.
    An answer of ``None`` counts as unanswered."""
    problems: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}
    if not isinstance(answers, Mapping):
        raise AnswerError([("__all__", _("答案应为“题目标识 → 答案”的对象。"))])
    for key in answers:
        if key not in instrument.items:
            problems.append((str(key), _("没有标识为“%(key)s”的题目。") % {"key": str(key)[:40]}))
    for key, item in instrument.items.items():
        value = answers.get(key)
        if value is None or value == "" or value == []:
            if complete:
                problems.append((key, _("「%(item)s」尚未作答。") % {"item": item.text}))
            continue
        normalized, problem = _check_item(item, value)
        if problem:
            problems.append((key, problem))
        else:
            clean[key] = normalized
    if problems:
        raise AnswerError(problems)
    return clean


# --- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubDimensionScore:
    key: str
    name: str
    score: Decimal
    max: Decimal


@dataclass(frozen=True)
class DimensionScore:
    key: str
    name: str
    score: Decimal
    max: Decimal
    sub_dimensions: tuple[SubDimensionScore, ...]
    scenario_counts: Mapping[int, int] = field(default_factory=dict)  # level → scenarios rated so
    mean_level: Decimal | None = None

    @property
    def percent(self) -> Decimal | None:
        if self.max > 0:
            return (self.score / self.max * HUNDRED).quantize(Decimal("0.01"))
        if self.mean_level is not None:
            return (self.mean_level / Decimal(SCENARIO_LEVELS[-1]) * HUNDRED).quantize(Decimal("0.01"))
        return None


@dataclass(frozen=True)
class Result:
    instrument_code: str
    instrument_version: str
    total: Decimal
    max: Decimal
    level_key: str
    level_label: str
    level_rank: int
    rule_key: str
    dimensions: tuple[DimensionScore, ...]

    @property
    def percent(self) -> Decimal:
        return (self.total / self.max * HUNDRED).quantize(Decimal("0.01")) if self.max else ZERO

    def dimension(self, key: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly (decimals as text), as stored with a submitted response and sent by the API."""
        return {
            "instrument": {"code": self.instrument_code, "version": self.instrument_version},
            "total": str(self.total),
            "max": str(self.max),
            "percent": str(self.percent),
            "level": {"key": self.level_key, "label": self.level_label, "rank": self.level_rank},
            "rule": self.rule_key,
            "dimensions": [
                {
                    "key": d.key,
                    "name": d.name,
                    "score": str(d.score),
                    "max": str(d.max),
                    "percent": None if d.percent is None else str(d.percent),
                    "sub_dimensions": [
                        {"key": s.key, "name": s.name, "score": str(s.score), "max": str(s.max)}
                        for s in d.sub_dimensions
                    ],
                    **(
                        {
                            "scenario_counts": {str(k): v for k, v in sorted(d.scenario_counts.items())},
                            "mean_level": None if d.mean_level is None else str(d.mean_level),
                        }
                        if d.scenario_counts
                        else {}
                    ),
                }
                for d in self.dimensions
            ],
        }


def item_points(item: Item, value: Any) -> Decimal:
    """The points one normalized answer earns."""
    if item.kind in ("single", "trend"):
        return item.option(value).points  # type: ignore[union-attr]
    if item.kind == "multi":
        return sum((item.option(k).points for k in value), ZERO)  # type: ignore[union-attr]
    if item.kind == "ratio":
        return ratio_band(item, value).points
    return item.level_points.get(int(value), ZERO)


def ratio_band(item: Item, value: Mapping[str, Any]) -> Band:
    """The band a normalized ratio answer falls in. The bands tile [0, 100%] (the instrument checks
    it), so exactly one holds any ``0 ≤ n ≤ d``: a rate on an edge belongs to the band whose bracket
    takes the edge in — for MIIT, the lower one."""
    numerator, denominator = Decimal(str(value["numerator"])), Decimal(str(value["denominator"]))
    for band in item.bands:
        if band.interval.contains_ratio(numerator, denominator):
            return band
    raise ValueError(f"{item.key}: {numerator}/{denominator} is in none of the bands")


def assign_level(
    rule: LevelRule, total: Decimal, scenario_levels: Iterable[int] = ()
) -> tuple[str, str, int]:
    """``(key, label, rank)``: the highest level whose score threshold (and scenario requirement,
    when it has one) is met; ``rule.below_*`` with rank 0 when none is."""
    ratings = list(scenario_levels)
    found: Level | None = None
    for level in rule.levels:
        if not level.threshold.met_by(total):
            continue
        req = level.scenarios
        if req is not None and sum(1 for r in ratings if r >= req.min_level) < req.count:
            continue
        found = level
    if found is None:
        return rule.below_key, rule.below_label, 0
    return found.key, found.label, found.rank


def score(
    instrument: Instrument,
    answers: Mapping[str, Any],
    *,
    rule: LevelRule | None = None,
    on: dt.date | None = None,
    complete: bool = True,
) -> Result:
    """Score ``answers`` (all items answered, unless ``complete`` is False: then unanswered items
    earn nothing). The level comes from ``rule``, or the instrument's rule in force on ``on``
    (default today). Raises :class:`AnswerError` naming each bad or missing answer."""
    clean = validate_answers(instrument, answers, complete=complete)
    rule = rule or instrument.level_rule_on(on or clock.today())
    dimension_scores = []
    ratings: list[int] = []
    for dim in instrument.dimensions:
        subs = []
        counts: dict[int, int] = {}
        dim_ratings: list[int] = []
        for sub in dim.sub_dimensions:
            earned = ZERO
            for item in sub.items:
                if item.key not in clean:
                    continue
                value = clean[item.key]
                earned += item_points(item, value)
                if item.kind == "scenario":
                    counts[value] = counts.get(value, 0) + 1
                    dim_ratings.append(value)
            subs.append(SubDimensionScore(sub.key, sub.name, earned, sub.points))
        ratings.extend(dim_ratings)
        has_scenarios = any(i.kind == "scenario" for i in dim.items)
        mean_level = (
            (Decimal(sum(dim_ratings)) / Decimal(len(dim_ratings))).quantize(Decimal("0.01"))
            if dim_ratings
            else None
        )
        dimension_scores.append(
            DimensionScore(
                key=dim.key,
                name=dim.name,
                score=sum((s.score for s in subs), ZERO),
                max=dim.points,
                sub_dimensions=tuple(subs),
                scenario_counts={lv: counts.get(lv, 0) for lv in SCENARIO_LEVELS} if has_scenarios else {},
                mean_level=mean_level,
            )
        )
    if instrument.aggregate == "sum":
        total = sum((d.score for d in dimension_scores), ZERO)
    else:
        percents = [d.score / d.max * HUNDRED for d in dimension_scores if d.max > 0]
        total = (sum(percents, ZERO) / Decimal(len(percents))).quantize(Decimal("0.01"))
    total = tidy(total)
    key, label, rank = assign_level(rule, total, ratings)
    return Result(
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        total=total,
        max=instrument.max_score,
        level_key=key,
        level_label=label,
        level_rank=rank,
        rule_key=rule.key,
        dimensions=tuple(dimension_scores),
    )
