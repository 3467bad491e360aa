"""Reads of the pre-aggregated figures, within the reader's scope: a district officer sees their
district's figures, a city officer the city's, an administrator the platform's; nobody else any."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sme.accounts.models import OFFICER_ROLES
from sme.core import figures as registry
from sme.regions.models import Region
from sme.regions.selectors import covered_region_ids, districts, platform_jurisdiction

from .models import ScopedFigure

TEMPLATE = "stats/_figures.html"
SCRIPTS = ("vendor/echarts/echarts.min.js", "stats/figures.js")


def scope_region_ids() -> dict[int, frozenset[int]]:
    """Every region someone may see figures of, with the divisions it covers: the platform's
    jurisdiction, each of its districts in force, and every officer's jurisdiction."""
    from sme.accounts.models import User

    ids = {platform_jurisdiction().pk}
    ids.update(districts().values_list("pk", flat=True))
    ids.update(
        User.objects.filter(role__in=OFFICER_ROLES, is_active=True, jurisdiction__isnull=False)
        .values_list("jurisdiction_id", flat=True)
        .distinct()
    )
    return {region_id: covered_region_ids(region_id) for region_id in sorted(ids)}


def region_of(user: Any) -> int | None:
    """The region whose figures ``user`` sees, or None (not an officer or administrator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role in OFFICER_ROLES:
        return user.jurisdiction_id
    if user.is_platform_admin:
        return user.jurisdiction_id or platform_jurisdiction().pk
    return None


def _shown(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


@dataclass
class Part:
    key: str
    label: str
    value: int | Decimal


@dataclass
class PanelFigure:
    key: str
    label: str
    chart: str
    unit: str
    period: str
    parts: list[Part]

    @property
    def total(self) -> int | Decimal:
        return _shown(sum((Decimal(p.value) for p in self.parts), Decimal(0)))

    @property
    def share(self) -> Decimal | None:
        """The first part's share of the total, in percent (None when there is nothing to divide)."""
        total = Decimal(self.total)
        if not self.parts or not total:
            return None
        return (Decimal(self.parts[0].value) * 100 / total).quantize(Decimal("0.1"))


@dataclass
class FiguresPanel:
    region_name: str
    as_of: dt.date | None
    figures: list[PanelFigure] = field(default_factory=list)
    template: str = TEMPLATE
    scripts: tuple[str, ...] = SCRIPTS

    def chart_data(self) -> list[dict[str, Any]]:
        """What figures.js draws: one entry per chart (numbers are plain text on the page)."""
        return [
            {
                "key": f.key,
                "chart": f.chart,
                "label": f.label,
                "unit": f.unit,
                "share": None if f.share is None else float(f.share),
                "parts": [{"name": p.label, "value": float(p.value)} for p in f.parts],
            }
            for f in self.figures
            if f.chart != registry.NUMBER and not (f.chart == registry.SHARE and f.share is None)
        ]


def figures_panel(user: Any) -> FiguresPanel | None:
    """The landing page's figures of ``user``'s scope, read from the table in one query."""
    region_id = region_of(user)
    if region_id is None:
        return None
    rows = list(ScopedFigure.objects.filter(region_id=region_id).values_list("key", "part", "value", "as_of"))
    jurisdiction = user.jurisdiction if user.jurisdiction_id == region_id else None
    name = jurisdiction.name if jurisdiction is not None else Region.objects.get(pk=region_id).name
    by_key: dict[str, dict[str, Decimal]] = {}
    as_of = None
    for key, part, value, day in rows:
        by_key.setdefault(key, {})[part] = value
        as_of = max(as_of, day) if as_of else day
    panel = FiguresPanel(region_name=name, as_of=as_of)
    for figure in registry.figures():
        values = by_key.get(figure.key)
        if values is None:
            continue
        labels = figure.part_labels()
        order = [p for p in labels if p in values] + [p for p in values if p not in labels]
        panel.figures.append(
            PanelFigure(
                key=figure.key,
                label=str(figure.label),
                chart=figure.chart,
                unit=str(figure.unit),
                period=str(figure.period),
                parts=[Part(p, str(labels.get(p, p)), _shown(values[p])) for p in order],
            )
        )
    return panel
