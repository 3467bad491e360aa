"""From the score to the help: service categories for an enterprise's weakest dimensions.

The mapping is data: each dimension of a questionnaire lists its ``service_categories`` by the
catalogue's own category keys (and names), and each leads to the catalogue filtered to it. The link
is made by URL name, so this app imports nothing from the catalogue (which depends on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .instrument import Instrument

WEAKEST_COUNT = 2


def catalog_url(category_key: str) -> str:
    """The catalogue page of a service category: ``/catalog/?category=<key>``."""
    return reverse("catalog:index") + "?" + urlencode({"category": category_key})


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    url: str


@dataclass(frozen=True)
class Recommendation:
    dimension_key: str
    dimension_name: str
    percent: Decimal
    categories: tuple[Category, ...]


def recommendations_for(
    instrument: Instrument, result: dict[str, Any], count: int = WEAKEST_COUNT
) -> list[Recommendation]:
    """The ``count`` weakest dimensions (lowest share of their maximum; a scenario dimension by its
    mean level out of 4, after scored dimensions on a tie) that are not already full marks, with
    their service categories."""
    ranked = []
    for row in result.get("dimensions", []):
        if row.get("percent") is None:
            continue
        percent = Decimal(row["percent"])
        dimension = instrument.dimension(row["key"])
        if dimension is None or not dimension.service_categories or percent >= 100:
            continue
        ranked.append((percent, dimension))
    ranked.sort(key=lambda pair: (pair[0], pair[1].is_scenarios))
    return [
        Recommendation(
            dimension_key=dim.key,
            dimension_name=dim.name,
            percent=percent,
            categories=tuple(Category(c.key, c.label, catalog_url(c.key)) for c in dim.service_categories),
        )
        for percent, dim in ranked[:count]
    ]
