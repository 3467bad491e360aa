"""The rules the order flags apply, in one place (change them here, not in the queries)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class RatingConcentrationRule:
    """A provider is flagged when, over the last ``window_days``, it has at least ``min_ratings`` visible
    ratings and the ``top_enterprises`` enterprises that rated it most gave ``share_percent`` % or more
    of them."""

    window_days: int = 365
    min_ratings: int = 10
    top_enterprises: int = 3
    share_percent: Decimal = Decimal(70)


RATING_CONCENTRATION = RatingConcentrationRule()
