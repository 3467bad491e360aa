"""Rebuilding the landing page's figures (:class:`~.models.ScopedFigure`) from the registered figure
functions (``sme.core.figures``): idempotent, run every day and on demand."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from sme.core import clock
from sme.core import figures as registry

from .models import ScopedFigure
from .selectors import scope_region_ids

logger = logging.getLogger(__name__)


@dataclass
class RebuildReport:
    today: dt.date
    regions: int = 0
    rows: int = 0
    figures: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "regions": self.regions,
            "rows": self.rows,
            "figures": self.figures,
            "failed": self.failed,
        }


def figures_rebuild(*, today: dt.date | None = None, only: list[str] | None = None) -> RebuildReport:
    """Recompute every registered figure (or those in ``only``) for every scope region as of
    ``today`` (the clock's today). Each figure replaces its own rows in one transaction, so a
    figure whose function fails keeps yesterday's rows (and is reported) while the others refresh.

    A region's value is the sum over the divisions it covers (itself, those below it, those it
    replaced: ``regions.selectors.covered_region_ids``), so an officer's figures cover exactly the
    records their lists show."""
    day = today or clock.today()
    report = RebuildReport(today=day)
    covering: dict[int, list[int]] = defaultdict(list)  # division id → the scope regions counting it
    regions = scope_region_ids()
    for region_id, covered in regions.items():
        for division_id in covered:
            covering[division_id].append(region_id)
    report.regions = len(regions)
    rebuilt_at = clock.now()
    for figure in registry.figures():
        if only is not None and figure.key not in only:
            continue
        try:
            totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
            for filed_under, part, value in figure.compute_rows(today=day):
                if filed_under is None:  # a record filed under no division counts nowhere
                    continue
                for scope_id in covering.get(filed_under, ()):
                    totals[(scope_id, part)] += Decimal(value)
            parts = list(figure.part_labels()) or [""]
            for region_id in regions:  # a region with nothing to count shows zeros, not a gap
                for part in parts:
                    totals.setdefault((region_id, part), Decimal(0))
            rows = [
                ScopedFigure(
                    region_id=region_id,
                    key=figure.key,
                    part=part,
                    value=value,
                    as_of=day,
                    rebuilt_at=rebuilt_at,
                )
                for (region_id, part), value in sorted(totals.items())
            ]
            with transaction.atomic():
                ScopedFigure.objects.filter(key=figure.key).delete()
                ScopedFigure.objects.bulk_create(rows, batch_size=2000)
        except Exception as error:  # one figure's failure must not stop the others
            logger.exception("figure %s failed for %s", figure.key, day)
            report.failed[figure.key] = f"{type(error).__name__}: {error}"
            continue
        report.rows += len(rows)
        report.figures.append(figure.key)
    # Figures no longer registered leave the table.
    if only is None:
        ScopedFigure.objects.exclude(key__in=[f.key for f in registry.figures()]).delete()
    return report


def figures_daily(*, today: dt.date) -> RebuildReport:
    """The daily job (``sme.core.daily``)."""
    return figures_rebuild(today=today)
