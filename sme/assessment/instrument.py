"""A digital-maturity questionnaire as an immutable snapshot: the :class:`Instrument`.

One version of a questionnaire (dimensions → sub-dimensions → items → options, with points on every
node) plus its level rules, built from the shipped data files (:func:`instrument_from_data`) or from
the loaded rows (``selectors.instrument_for``), which rebuild the same dictionary, so there is one
code path. The builder checks the data (points that add up, known kinds, ratio bands that tile
[0, 100%] edge by edge, ascending level bounds) and raises
:class:`InstrumentError` naming the mistake. Nothing here touches the database; answering and
scoring are in ``scoring.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
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

    def as_text(self, percent: bool = False) -> str:
        shown = fmt(self.bound * HUNDRED) + "%" if percent else fmt(self.bound)
        return ("≥ " if self.inclusive else "> ") + shown


@dataclass(frozen=True)
class Interval:
    """A band of a ratio as MIIT's system labels it: ``[0, 10%]``, ``(10%, 20%]`` … A round bracket
    leaves its edge out, a square one takes it in; bounds are fractions (10 % is ``0.1``)."""

    lower: Decimal
    upper: Decimal
    lower_open: bool
    upper_open: bool

    def contains_ratio(self, numerator: Decimal, denominator: Decimal) -> bool:
        """Whether ``numerator / denominator`` lies in the interval, without rounding (denominator > 0)."""
        low, high = self.lower * denominator, self.upper * denominator
        above = numerator > low if self.lower_open else numerator >= low
        below = numerator < high if self.upper_open else numerator <= high
        return above and below

    def as_text(self) -> str:
        def edge(value: Decimal) -> str:
            return "0" if value == 0 else fmt(value * HUNDRED) + "%"

        return "{}{}, {}{}".format(
            "(" if self.lower_open else "[",
            edge(self.lower),
            edge(self.upper),
            ")" if self.upper_open else "]",
        )


@dataclass(frozen=True)
class Band:
    interval: Interval
    points: Decimal
    label: str = ""  # as shown; the interval's own text unless the data names the band

    @property
    def threshold(self) -> Threshold:
        """The band's lower edge as a bound (what the API has always given as ``from``)."""
        return Threshold(self.interval.lower, inclusive=not self.interval.lower_open)


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
    # For administrators only (where a rule comes from, what is still to be checked): kept in the
    # data and the admin, never shown to enterprises.
    internal_note: str = ""
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
    def edge_example(self) -> tuple[str, str] | None:
        """For a ratio item, ``("10%", "[0, 10%]")``: its first inner edge and the band that takes
        it in, so the page can say where a rate exactly on an edge goes."""
        if len(self.bands) < 2:
            return None
        below, above = self.bands[0], self.bands[1]
        edge = fmt(below.interval.upper * HUNDRED) + "%"
        return edge, above.label if below.interval.upper_open else below.label

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
    internal_note: str = ""  # for administrators only, as on an item

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


_INTERVAL = re.compile(
    r"^\s*([\[(])\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*,\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*([\])])\s*$"
)
_INTERVAL_HELP = (
    'write each band as an interval with its brackets, e.g. {"interval": "(10%, 20%]", "points": 1.5}'
)


def parse_interval(text: Any, where: str) -> Interval:
    """``"(10%, 20%]"`` → an :class:`Interval`; a bound without ``%`` is a fraction (``0``, ``0.1``)."""
    match = _INTERVAL.match(text) if isinstance(text, str) else None
    if match is None:
        raise InstrumentError(f"{where}: not an interval: {text!r}; {_INTERVAL_HELP}")
    opening, low, low_pct, high, high_pct, closing = match.groups()
    lower = Decimal(low) / (HUNDRED if low_pct else 1)
    upper = Decimal(high) / (HUNDRED if high_pct else 1)
    interval = Interval(lower, upper, lower_open=opening == "(", upper_open=closing == ")")
    if lower > upper or (lower == upper and (interval.lower_open or interval.upper_open)):
        raise InstrumentError(f"{where}: the interval {text} is empty")
    return interval


def _ratio_bands(rows: Sequence[Mapping[str, Any]], where: str) -> tuple[Band, ...]:
    """The bands of a ratio item, which must tile [0, 100%]: each edge belongs to exactly one band."""
    bands = []
    for row in rows:
        if "interval" not in row:
            raise InstrumentError(f"{where}: a band without an interval ({dict(row)}); {_INTERVAL_HELP}")
        if "gte" in row or "gt" in row:
            raise InstrumentError(f"{where}: give a band's edges in its interval only, not gte or gt")
        interval = parse_interval(row["interval"], where)
        bands.append(Band(interval, _dec(row["points"], where), row.get("label") or interval.as_text()))
    if not bands:
        raise InstrumentError(f"{where}: a ratio item needs bands")
    first, last = bands[0].interval, bands[-1].interval
    if first.lower != 0 or first.lower_open:
        raise InstrumentError(f"{where}: the first band starts at [0 (closed), not {first.as_text()}")
    if last.upper != 1 or last.upper_open:
        raise InstrumentError(f"{where}: the last band ends at 100%] (closed), not {last.as_text()}")
    for below, above in itertools.pairwise(b.interval for b in bands):
        if above.lower < below.upper or (
            above.lower == below.upper and not (below.upper_open or above.lower_open)
        ):
            raise InstrumentError(f"{where}: the bands {below.as_text()} and {above.as_text()} overlap")
        if above.lower > below.upper or (below.upper_open and above.lower_open):
            raise InstrumentError(
                f"{where}: the bands {below.as_text()} and {above.as_text()} leave a gap between them"
            )
    return tuple(bands)


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
    bands = _ratio_bands(row.get("bands", []), where) if kind == "ratio" else ()
    if kind != "ratio" and row.get("bands"):
        raise InstrumentError(f"{where}: only a ratio item has bands")
    level_points = {int(k): _dec(v, where) for k, v in (row.get("level_points") or {}).items()}
    if kind in ("single", "multi", "trend") and not options:
        raise InstrumentError(f"{where}: a {kind} item needs options")
    if kind == "trend" and tuple(o.key for o in options) != TREND_KEYS:
        raise InstrumentError(f"{where}: a trend item has the options worse, same, better")
    if kind == "multi" and sum(o.exclusive for o in options) > 1:
        raise InstrumentError(f"{where}: at most one exclusive option")
    if kind == "multi" and any(o.exclusive and o.points for o in options):
        raise InstrumentError(f"{where}: the exclusive option gives no points")
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
        internal_note=row.get("internal_note", ""),
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
        internal_note=row.get("internal_note", ""),
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
