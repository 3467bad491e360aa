"""A service's and a provider's track record as the catalogue shows it (ratings, yearly figures),
told by the app that keeps it: ``sme.orders`` registers its readers in its ``ready``. The catalogue
never imports the orders app (orders depend on the catalogue, not the other way round); without a
registered reader it shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# (service_id, limit) -> the service's visible ratings, newest first
ServiceRatings = Callable[[int, int], list[Any]]
# (provider_id, since_year) -> the provider's yearly figures from ``since_year`` on, newest first
ProviderFigures = Callable[[int, int], list[Any]]


@dataclass
class _Readers:
    service_ratings: ServiceRatings | None = None
    provider_figures: ProviderFigures | None = None


_readers = _Readers()


def register(*, service_ratings: ServiceRatings, provider_figures: ProviderFigures) -> None:
    _readers.service_ratings = service_ratings
    _readers.provider_figures = provider_figures


def service_ratings(service_id: int, limit: int) -> list[Any]:
    reader = _readers.service_ratings
    return reader(service_id, limit) if reader is not None else []


def provider_figures(provider_id: int, since_year: int) -> list[Any]:
    reader = _readers.provider_figures
    return reader(provider_id, since_year) if reader is not None else []
