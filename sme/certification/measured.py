"""What the platform itself measured about an applicant in a year (SMEs served, satisfaction), told by
the app that keeps the orders and ratings: ``sme.orders`` registers its reader in its ``ready``.
Certification never imports the orders app (orders depend on the catalogue, which depends on
certification); without a registered reader nothing is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (provider_id, year) -> {"smes_served": int, "satisfaction_percent": Decimal | None}
Reader = Callable[[int, int], dict[str, Any]]

_readers: list[Reader] = []


def register(reader: Reader) -> None:
    _readers[:] = [reader]


def figures(provider_id: int, year: int) -> dict[str, Any]:
    if not _readers:
        return {"smes_served": 0, "satisfaction_percent": None}
    return _readers[0](provider_id, year)
