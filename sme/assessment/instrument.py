"""A digital-maturity questionnaire as an immutable snapshot: the :class:`Instrument`.

One version of a questionnaire (dimensions → sub-dimensions → items → options, with points on every
node) plus its level rules, built from the shipped data files (:func:`instrument_from_data`) or from
the loaded rows (``selectors.instrument_for``), which rebuild the same dictionary, so there is one
code path. The builder checks the data (points that add up, known kinds, ascending bands) and raises
:class:`InstrumentError` naming the mistake. Nothing here touches the database; answering and
scoring are in ``scoring.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

KINDS = ("single", "multi", "ratio", "trend", "scenario")
TREND_KEYS = ("worse", "same", "better")
SCENARIO_LEVELS = (1, 2, 3, 4)
AGGREGATES = ("sum", "mean_percent")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


class InstrumentError(ValueError):
    """The instrument data is inconsistent (points that do not add up, unknown kinds, …)."""


def fmt(value: Decimal) -> str:
    """A figure as people write it: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


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
        shown = fmt(self.bound * HUNDRED) + "%" if percent else fmt(self.bound)
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
        points=tidy(most),
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
            subs.append(SubDimension(srow["key"], srow["name"], tidy(total), sub_items))
        dtotal = sum((s.points for s in subs), ZERO)
        declared = _dec(drow.get("points", dtotal), f"{where} {drow['key']}")
        if declared != dtotal:
            raise InstrumentError(f"{where} {drow['key']}: declares {declared} but gives {dtotal}")
        dimensions.append(
            Dimension(
                key=drow["key"],
                name=drow["name"],
                points=tidy(dtotal),
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
        max_score=tidy(most),
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


def tidy(value: Decimal) -> Decimal:
    """At most three decimals (the instruments' finest weight is 1.875), without trailing zeros."""
    text = format(value.quantize(Decimal("0.001")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)
