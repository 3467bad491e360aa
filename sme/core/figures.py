"""The figures officers see on their landing page, each computed by the app that owns the data.

An app registers its figures in ``AppConfig.ready`` by dotted path (imported only when the figures
are rebuilt), like the daily jobs:

    figures.register("tickets.on_time", _("诉求按时办结"), "sme.tickets.figures.on_time",
                     order=50, chart=figures.SHARE, parts={"on_time": _("按时"), "late": _("超时")})

A figure function ``compute(*, today)`` returns ``(district_id, part, value)`` rows: counts per
district (the organization's or the record's division, as the app's own scope rule files it) and
part (``""`` for a single number; a size class, a level … for a breakdown). Every value must add up
across districts, so a city's figure is the sum of its districts': a rate is given as its two
parts (on time, late) and the page divides.

Core stores and shows nothing itself: the app holding the pre-aggregated table (``sme.stats``)
rebuilds it from :func:`figures` every day and registers the reader of the landing page's panel
(:func:`register_reader`); the dashboard asks :func:`panel_for`. Core imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.module_loading import import_string

# How a figure is drawn: one number; its parts as bars or as a pie; the first part's share of all.
NUMBER, BAR, PIE, SHARE = "number", "bar", "pie", "share"
CHARTS = (NUMBER, BAR, PIE, SHARE)

Row = tuple[int | None, str, int | Decimal]
Compute = Callable[..., Iterable[Row]]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    compute: str  # dotted path of ``compute(*, today) -> Iterable[Row]``
    order: int = 100
    chart: str = NUMBER
    # The parts in display order with their labels: a mapping, or the dotted path of a function
    # returning one (e.g. labels that are themselves data). None: whatever parts the rows give.
    parts: Mapping[str, Any] | str | None = None
    unit: Any = ""
    period: Any = ""  # e.g. "本月", "今年以来": what the figure counts over

    def compute_rows(self, *, today: Any) -> Iterable[Row]:
        return import_string(self.compute)(today=today)

    def part_labels(self) -> dict[str, Any]:
        if self.parts is None:
            return {}
        parts = import_string(self.parts)() if isinstance(self.parts, str) else self.parts
        return dict(parts)


_FIGURES: dict[str, Figure] = {}


def register(
    key: str,
    label: Any,
    compute: str,
    *,
    order: int = 100,
    chart: str = NUMBER,
    parts: Mapping[str, Any] | str | None = None,
    unit: Any = "",
    period: Any = "",
) -> None:
    if chart not in CHARTS:
        raise ValueError(f"figure {key!r}: unknown chart {chart!r}")
    figure = Figure(key, label, compute, order, chart, parts, unit, period)
    known = _FIGURES.get(key)
    if known is not None and known.compute != compute:
        raise ValueError(f"figure {key!r} registered twice ({known.compute}, {compute})")
    _FIGURES[key] = figure


def figures() -> list[Figure]:
    return sorted(_FIGURES.values(), key=lambda f: (f.order, f.key))


def get(key: str) -> Figure | None:
    return _FIGURES.get(key)


# --- the landing page's panel --------------------------------------------------------------------

_reader: Callable[[Any], Any] | None = None


def register_reader(reader: Callable[[Any], Any]) -> None:
    """The app holding the figures' table tells how to read a user's panel: ``reader(user)`` returns
    an object with a ``template`` to include (or None when the user sees no figures)."""
    global _reader
    _reader = reader


def panel_for(user: Any) -> Any:
    return _reader(user) if _reader is not None else None
