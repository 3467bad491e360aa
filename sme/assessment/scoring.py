"""Scoring a digital-maturity questionnaire, as pure functions over an instrument snapshot.

An :class:`Instrument` is one version of a questionnaire (dimensions → sub-dimensions → items →
options, with points on every node) plus its level rules. It is built from the shipped data files
(:func:`instrument_from_data`) or from the loaded rows (``selectors.instrument_for``), which rebuild
the same dictionary, so there is one code path. Nothing here touches the database.

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
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sme.core import clock

KINDS = ("single", "multi", "ratio", "trend", "scenario")
TREND_KEYS = ("worse", "same", "better")
SCENARIO_LEVELS = (1, 2, 3, 4)
AGGREGATES = ("sum", "mean_percent")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
_MAX_FIGURE = Decimal("1e12")


class InstrumentError(ValueError):
    """The instrument data is inconsistent (points that do not add up, unknown kinds, …)."""


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


# --- the instrument ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A lower bound: ``value >= bound`` (inclusive) or ``value > bound``."""

    bound: Decimal
    inclusive: bool = True

    def met_by(self, value: Decimal) -> bool:
        return value >= self.bound if self.inclusive else value > self.bound

    def met_by_ratio(self, numerator: Decimal, denominator: Decimal) -> bool:
        """``numerator / denominator`` against the bound, without rounding (denominator > 0)."""
        scaled = self.bound * denominator
        return numerator >= scaled if self.inclusive else numerator > scaled

    def as_text(self, percent: bool = False) -> str:
        shown = _fmt(self.bound * HUNDRED) + "%" if percent else _fmt(self.bound)
        return ("≥ " if self.inclusive else "> ") + shown


@dataclass(frozen=True)
class Band:
    threshold: Threshold
    points: Decimal
    label: str = ""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    points: Decimal
    exclusive: bool = False


@dataclass(frozen=True)
class Item:
    key: str
    kind: str
    text: str
    points: Decimal  # the most this item can give
    help: str = ""
    note: str = ""  # e.g. an unconfirmed band boundary, shown beside the question
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()  # ratio items, ascending
    numerator_label: str = ""
    denominator_label: str = ""
    level_points: Mapping[int, Decimal] = field(default_factory=dict)  # scenario items
    sub_dimension: str = ""
    dimension: str = ""

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    @property
    def exclusive_key(self) -> str:
        """The key of the "none of these" option of a multi-select, or ""."""
        return next((o.key for o in self.options if o.exclusive), "")


@dataclass(frozen=True)
class SubDimension:
    key: str
    name: str
    points: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ServiceCategory:
    key: str
    label: str


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    points: Decimal
    sub_dimensions: tuple[SubDimension, ...]
    description: str = ""
    service_categories: tuple[ServiceCategory, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.sub_dimensions for i in s.items)

    @property
    def is_scenarios(self) -> bool:
        """A dimension of scenario ratings only (rated by level, carrying no points)."""
        return bool(self.items) and all(i.kind == "scenario" for i in self.items) and self.points == 0


@dataclass(frozen=True)
class ScenarioRequirement:
    """At least ``count`` scenarios rated ``min_level`` or higher."""

    min_level: int
    count: int


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    rank: int
    threshold: Threshold
    description: str = ""
    unconfirmed: bool = False
    scenarios: ScenarioRequirement | None = None


@dataclass(frozen=True)
class LevelRule:
    key: str
    name: str
    levels: tuple[Level, ...]  # ascending rank
    below_key: str
    below_label: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    unconfirmed: bool = False
    note: str = ""

    def in_force(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on < self.effective_to
        )


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    name: str
    aggregate: str
    max_score: Decimal
    dimensions: tuple[Dimension, ...]
    level_rules: tuple[LevelRule, ...]
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    document: str = ""
    source_note: str = ""
    based_on_public_description: bool = False
    public_description_label: str = ""
    pledge: str = ""
    scenario_levels: tuple[tuple[int, str, str], ...] = ()  # (level, label, description)
    items: Mapping[str, Item] = field(default_factory=dict)

    def item(self, key: str) -> Item | None:
        return self.items.get(key)

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def in_force(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on < self.effective_to
        )

    def level_rule_on(self, on: dt.date) -> LevelRule:
        """The level rule in force on ``on`` (the latest to take effect); the earliest one before any."""
        if not self.level_rules:
            raise InstrumentError(f"{self.code} {self.version}: no level rule")
        in_force = [r for r in self.level_rules if r.in_force(on)]
        if in_force:
            return max(in_force, key=lambda r: r.effective_from or dt.date.min)
        return min(self.level_rules, key=lambda r: r.effective_from or dt.date.min)

    def level_rule(self, key: str) -> LevelRule | None:
        return next((r for r in self.level_rules if r.key == key), None)


# --- building it from data -----------------------------------------------------------------------


def _dec(value: Any, where: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InstrumentError(f"{where}: not a number: {value!r}") from exc
    if not result.is_finite():
        raise InstrumentError(f"{where}: not a number: {value!r}")
    return result


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _threshold(row: Mapping[str, Any], where: str) -> Threshold:
    if "gte" in row and "gt" in row:
        raise InstrumentError(f"{where}: give either gte or gt")
    if "gt" in row:
        return Threshold(_dec(row["gt"], where), inclusive=False)
    return Threshold(_dec(row.get("gte", 0), where), inclusive=True)


def _ascending(thresholds: Sequence[Threshold], where: str) -> None:
    for lower, upper in itertools.pairwise(thresholds):
        if (upper.bound, not upper.inclusive) <= (lower.bound, not lower.inclusive):
            raise InstrumentError(f"{where}: bands must be listed in ascending order")


def _item(row: Mapping[str, Any], dimension: str, sub_dimension: str) -> Item:
    key = row["key"]
    kind = row["kind"]
    where = f"item {key}"
    if kind not in KINDS:
        raise InstrumentError(f"{where}: unknown kind {kind!r}")
    options = tuple(
        Option(o["key"], o["label"], _dec(o.get("points", 0), where), bool(o.get("exclusive", False)))
        for o in row.get("options", [])
    )
    if len({o.key for o in options}) != len(options):
        raise InstrumentError(f"{where}: option keys repeat")
    bands = tuple(
        Band(_threshold(b, where), _dec(b["points"], where), b.get("label", "")) for b in row.get("bands", [])
    )
    level_points = {int(k): _dec(v, where) for k, v in (row.get("level_points") or {}).items()}
    if kind in ("single", "multi", "trend") and not options:
        raise InstrumentError(f"{where}: a {kind} item needs options")
    if kind == "trend" and tuple(o.key for o in options) != TREND_KEYS:
        raise InstrumentError(f"{where}: a trend item has the options worse, same, better")
    if kind == "multi" and sum(o.exclusive for o in options) > 1:
        raise InstrumentError(f"{where}: at most one exclusive option")
    if kind == "multi" and any(o.exclusive and o.points for o in options):
        raise InstrumentError(f"{where}: the exclusive option gives no points")
    if kind == "ratio":
        if not bands:
            raise InstrumentError(f"{where}: a ratio item needs bands")
        if bands[0].threshold != Threshold(ZERO, True):
            raise InstrumentError(f"{where}: the first band starts at gte 0")
        _ascending([b.threshold for b in bands], where)
    if kind == "scenario" and set(level_points) - set(SCENARIO_LEVELS):
        raise InstrumentError(f"{where}: scenario levels are 1–4")
    if kind == "multi":
        most = sum((o.points for o in options), ZERO)
    elif kind == "ratio":
        most = max(b.points for b in bands)
    elif kind == "scenario":
        most = max(level_points.values(), default=ZERO)
    else:
        most = max(o.points for o in options)
    declared = _dec(row.get("points", most), where)
    if declared != most:
        raise InstrumentError(f"{where}: declares {declared} points but its options give at most {most}")
    return Item(
        key=key,
        kind=kind,
        text=row["text"],
        points=_tidy(most),
        help=row.get("help", ""),
        note=row.get("note", ""),
        options=options,
        bands=bands,
        numerator_label=row.get("numerator_label", ""),
        denominator_label=row.get("denominator_label", ""),
        level_points=level_points,
        sub_dimension=sub_dimension,
        dimension=dimension,
    )


def level_rule_from_data(row: Mapping[str, Any], where: str) -> LevelRule:
    levels = []
    for rank, lrow in enumerate(row["levels"], start=1):
        req = lrow.get("scenarios")
        levels.append(
            Level(
                key=lrow["key"],
                label=lrow["label"],
                rank=int(lrow.get("rank", rank)),
                threshold=_threshold(lrow, f"{where} level {lrow['key']}"),
                description=lrow.get("description", ""),
                unconfirmed=bool(lrow.get("unconfirmed", False)),
                scenarios=ScenarioRequirement(int(req["min_level"]), int(req["count"])) if req else None,
            )
        )
    if not levels:
        raise InstrumentError(f"{where}: no levels")
    _ascending([lv.threshold for lv in levels], where)
    below = row.get("below") or {}
    return LevelRule(
        key=row["key"],
        name=row.get("name", row["key"]),
        levels=tuple(levels),
        below_key=below.get("key", "none"),
        below_label=below.get("label", _("未定级")),
        effective_from=_date(row.get("effective_from")),
        effective_to=_date(row.get("effective_to")),
        unconfirmed=bool(row.get("unconfirmed", False)),
        note=row.get("note", ""),
    )


def instrument_from_data(data: Mapping[str, Any]) -> Instrument:
    """An instrument from its data-file form; refuses points that do not add up."""
    where = f"{data.get('code')} {data.get('version')}"
    aggregate = data.get("aggregate", "sum")
    if aggregate not in AGGREGATES:
        raise InstrumentError(f"{where}: unknown aggregate {aggregate!r}")
    dimensions = []
    items: dict[str, Item] = {}
    for drow in data["dimensions"]:
        subs = []
        for srow in drow["sub_dimensions"]:
            sub_items = tuple(_item(r, drow["key"], srow["key"]) for r in srow["items"])
            for it in sub_items:
                if it.key in items:
                    raise InstrumentError(f"{where}: item key {it.key} repeats")
                items[it.key] = it
            total = sum((i.points for i in sub_items), ZERO)
            declared = _dec(srow.get("points", total), f"{where} {srow['key']}")
            if declared != total:
                raise InstrumentError(
                    f"{where} {srow['key']}: declares {declared} but its items give {total}"
                )
            subs.append(SubDimension(srow["key"], srow["name"], _tidy(total), sub_items))
        dtotal = sum((s.points for s in subs), ZERO)
        declared = _dec(drow.get("points", dtotal), f"{where} {drow['key']}")
        if declared != dtotal:
            raise InstrumentError(f"{where} {drow['key']}: declares {declared} but gives {dtotal}")
        dimensions.append(
            Dimension(
                key=drow["key"],
                name=drow["name"],
                points=_tidy(dtotal),
                sub_dimensions=tuple(subs),
                description=drow.get("description", ""),
                service_categories=tuple(
                    ServiceCategory(c["key"], c["label"]) for c in drow.get("service_categories", [])
                ),
            )
        )
    if len({d.key for d in dimensions}) != len(dimensions):
        raise InstrumentError(f"{where}: dimension keys repeat")
    scored = [d for d in dimensions if d.points > 0]
    if aggregate == "sum":
        most = sum((d.points for d in dimensions), ZERO)
    else:
        most = HUNDRED
        if not scored:
            raise InstrumentError(f"{where}: no scored dimension")
    declared = _dec(data.get("max_score", most), where)
    if declared != most:
        raise InstrumentError(f"{where}: declares max_score {declared} but the items give {most}")
    return Instrument(
        code=data["code"],
        version=str(data["version"]),
        name=data["name"],
        aggregate=aggregate,
        max_score=_tidy(most),
        dimensions=tuple(dimensions),
        level_rules=tuple(
            level_rule_from_data(r, f"{where} rule {r.get('key')}") for r in data.get("level_rules", [])
        ),
        effective_from=_date(data.get("effective_from")),
        effective_to=_date(data.get("effective_to")),
        document=data.get("document", ""),
        source_note=data.get("source_note", ""),
        based_on_public_description=bool(data.get("based_on_public_description", False)),
        public_description_label=data.get("public_description_label", ""),
        pledge=data.get("pledge", ""),
        scenario_levels=tuple(
            (int(s["level"]), s["label"], s.get("description", "")) for s in data.get("scenario_levels", [])
        ),
        items=items,
    )


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
                    "n": _fmt(numerator),  # type: ignore[arg-type]
                    "den": item.denominator_label,
                    "d": _fmt(denominator),  # type: ignore[arg-type]
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
    return int(value) if value == value.to_integral_value() else _fmt(value)


def _fmt(value: Decimal) -> str:
    """A figure as people write it: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


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
        numerator, denominator = Decimal(str(value["numerator"])), Decimal(str(value["denominator"]))
        earned = ZERO
        for band in item.bands:
            if band.threshold.met_by_ratio(numerator, denominator):
                earned = band.points
        return earned
    return item.level_points.get(int(value), ZERO)


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
    total = _tidy(total)
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


def _tidy(value: Decimal) -> Decimal:
    """At most three decimals (the instruments' finest weight is 1.875), without trailing zeros."""
    text = format(value.quantize(Decimal("0.001")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


__all__ = [
    "AnswerError",
    "Dimension",
    "Instrument",
    "InstrumentError",
    "Item",
    "LevelRule",
    "Result",
    "assign_level",
    "instrument_from_data",
    "score",
    "validate_answers",
]
