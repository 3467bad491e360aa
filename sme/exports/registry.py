"""What can be exported: each app registers its lists (``register``), the exports app runs them.

An exporter turns the requesting user and the list page's query parameters into a :class:`Table`:
the same selector the list page uses (so the export holds exactly the filtered view, in the user's
scope), a header and a function giving the rows. It is called twice, once to count the rows when the
export is asked for and once to write them (in the worker when there are many).

    exports.register("organizations", _("机构名录"), organizations_table)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    title: Any
    header: Sequence[Any]
    count: int
    rows: Callable[[], Iterable[Sequence[Any]]]
    # a short Chinese description of the filters, shown on the job and in the audit row
    description: str = ""


Builder = Callable[[Any, Mapping[str, str]], Table]


@dataclass(frozen=True)
class Exporter:
    kind: str
    label: Any
    build: Builder


_EXPORTERS: dict[str, Exporter] = {}


def register(kind: str, label: Any, build: Builder) -> None:
    known = _EXPORTERS.get(kind)
    if known is not None and known.build is not build:
        raise ValueError(f"exporter {kind!r} registered twice")
    _EXPORTERS[kind] = Exporter(kind, label, build)


def get(kind: str) -> Exporter | None:
    return _EXPORTERS.get(kind)


def kinds() -> list[Exporter]:
    return sorted(_EXPORTERS.values(), key=lambda e: e.kind)
