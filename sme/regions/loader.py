"""Loads division and zone data files into the database; run after every ``migrate``.

The files named by ``settings.REGION_DATA_FILES`` (paths relative to ``sme/regions/data`` or
absolute) are applied in order. Loading is an upsert by ``key``, so running it again changes
nothing, and editing a file then migrating applies the edit. Another province ships its own file
and lists it in the setting; no code names Chongqing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def data_files() -> list[Path]:
    names = getattr(settings, "REGION_DATA_FILES", ["cn-provinces.json", "chongqing.json"])
    return [Path(n) if Path(n).is_absolute() else DATA_DIR / n for n in names]


@transaction.atomic
def load_file(path: Path, models: Any = None) -> dict[str, int]:
    """Apply one data file. ``models`` lets a data migration pass historical models."""
    if models is None:
        from . import models
    Region, ZoneGrouping, Zone, ZoneMembership = (
        models.Region,
        models.ZoneGrouping,
        models.Zone,
        models.ZoneMembership,
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"regions": 0, "zones": 0, "memberships": 0}
    regions_by_key = {r.key: r for r in Region.objects.all()}
    for row in data.get("regions", []):
        values = {
            "code": row.get("code", ""),
            "name": row["name"],
            "level": row["level"],
            "valid_from": _date(row.get("valid_from")),
            "valid_to": _date(row.get("valid_to")),
            "sort_order": row.get("sort", 0),
        }
        region = regions_by_key.get(row["key"])
        if region is None:
            region = Region.objects.create(key=row["key"], **values)
            regions_by_key[region.key] = region
            counts["regions"] += 1
        elif any(getattr(region, k) != v for k, v in values.items()):
            Region.objects.filter(pk=region.pk).update(**values)
            counts["regions"] += 1
    for row in data.get("regions", []):
        region = regions_by_key[row["key"]]
        parent = regions_by_key[row["parent"]] if row.get("parent") else None
        successor = regions_by_key[row["successor"]] if row.get("successor") else None
        if region.parent_id != (parent.pk if parent else None) or region.successor_id != (
            successor.pk if successor else None
        ):
            Region.objects.filter(pk=region.pk).update(parent=parent, successor=successor)

    def load_zones(grouping: Any, rows: list[dict[str, Any]], parent: Any) -> None:
        for order, zrow in enumerate(rows):
            zone, created = Zone.objects.update_or_create(
                key=zrow["key"],
                defaults={"grouping": grouping, "name": zrow["name"], "parent": parent, "sort_order": order},
            )
            counts["zones"] += int(created)
            wanted = {}
            for m in zrow.get("members", []):
                m = {"region": m} if isinstance(m, str) else m
                wanted[regions_by_key[m["region"]].pk] = (
                    _date(m.get("valid_from")),
                    _date(m.get("valid_to")),
                )
            existing = {zm.region_id: zm for zm in ZoneMembership.objects.filter(zone=zone)}
            for region_id, (start, end) in wanted.items():
                zm = existing.get(region_id)
                if zm is None:
                    ZoneMembership.objects.create(
                        zone=zone, region_id=region_id, valid_from=start, valid_to=end
                    )
                    counts["memberships"] += 1
                elif (zm.valid_from, zm.valid_to) != (start, end):
                    ZoneMembership.objects.filter(pk=zm.pk).update(valid_from=start, valid_to=end)
            ZoneMembership.objects.filter(zone=zone).exclude(region_id__in=wanted).delete()
            load_zones(grouping, zrow.get("zones", []), zone)

    for grow in data.get("zone_groupings", []):
        grouping, _ = ZoneGrouping.objects.update_or_create(
            key=grow["key"],
            defaults={
                "name": grow["name"],
                "source": grow.get("source", ""),
                "valid_from": _date(grow.get("valid_from")),
                "valid_to": _date(grow.get("valid_to")),
            },
        )
        load_zones(grouping, grow.get("zones", []), None)
    return counts


def load_all(verbosity: int = 0) -> None:
    from .selectors import bump_data_version

    for path in data_files():
        counts = load_file(path)
        if verbosity >= 2:
            print(f"  regions: {path.name}: {counts}")
    bump_data_version()


def load_after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **kwargs: Any
) -> None:
    from django.db import connections

    if "regions_region" not in connections[using].introspection.table_names():
        return
    load_all(verbosity)
