"""Reads about divisions and zones.

"Is this district in 两翼 on date D?" is ``in_zone(district, "liangyi", on=D)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sme.core import clock
from sme.core import data_versions as versions

from .models import Region, Zone, ZoneMembership, in_force


def platform_jurisdiction() -> Region:
    """The province or city this installation serves (``PLATFORM_JURISDICTION_CODE``)."""
    return Region.objects.filter(code=settings.PLATFORM_JURISDICTION_CODE).current().get()


def districts(on: dt.date | None = None, within: Region | None = None) -> QuerySet[Region]:
    """Districts (and functional zones) in force on ``on`` under ``within`` (default: the platform's)."""
    qs = Region.objects.districts().current(on)
    if within is not None:
        qs = qs.filter(parent=within)
    else:  # lazy: no query until the queryset is used (forms build it at import time)
        qs = qs.filter(parent__code=settings.PLATFORM_JURISDICTION_CODE, parent__valid_to__isnull=True)
    return qs.order_by("sort_order", "code")


@dataclass(frozen=True)
class DistrictChoice:
    pk: int
    code: str
    name: str


_choices: dict[tuple[dt.date, int], tuple[DistrictChoice, ...]] = {}


def district_choices() -> tuple[DistrictChoice, ...]:
    """The platform's districts in force today (``districts()``), for menus and filters on public
    pages: read once per process and day, and again when the region data changes."""
    today = clock.today()
    key = (today, data_version())
    found = _choices.get(key)
    if found is None:
        found = tuple(DistrictChoice(*row) for row in districts(today).values_list("pk", "code", "name"))
        _choices.clear()
        _choices[key] = found
    return found


def region_for_code(code: str, on: dt.date | None = None) -> Region | None:
    """The division a 6-digit code named on ``on`` (default today); failing that, the latest one that
    used the code, then the province of its first two digits."""
    rows = list(Region.objects.filter(code=code).order_by("-valid_from"))
    if on is not None:
        for r in rows:
            if r.is_current(on):
                return r
    for r in rows:
        if r.valid_to is None:
            return r
    if rows:
        return rows[0]
    if len(code) == 6 and code.isdigit():
        return Region.objects.filter(code=code[:2] + "0000", level=Region.Level.PROVINCE).first()
    return None


def _zone_and_descendants(zone_key: str) -> set[int]:
    ids: set[int] = set()
    frontier = list(Zone.objects.filter(key=zone_key).values_list("pk", flat=True))
    while frontier:
        ids.update(frontier)
        frontier = list(Zone.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
    return ids


def in_zone(region: Region, zone_key: str, on: dt.date | None = None) -> bool:
    """Whether ``region`` belongs to the zone ``zone_key`` (or a zone nested in it) on ``on``."""
    on = on or clock.today()
    zone_ids = _zone_and_descendants(zone_key)
    return ZoneMembership.objects.filter(in_force(on), zone_id__in=zone_ids, region=region).exists()


def zone_of(region: Region, grouping_key: str, on: dt.date | None = None) -> Zone | None:
    """The innermost zone of ``grouping_key`` that holds ``region`` on ``on``, or None."""
    on = on or clock.today()
    membership = (
        ZoneMembership.objects.filter(in_force(on), zone__grouping__key=grouping_key, region=region)
        .select_related("zone")
        .first()
    )
    return membership.zone if membership else None


@lru_cache(maxsize=4096)
def _name_and_standing(code: str) -> tuple[str, str] | None:
    """Cached for hot paths (the credit-code tool): divisions change only with a deploy's data files.
    The standing is "current", "withdrawn" or "province" (only the province of the code is known)."""
    region = region_for_code(code)
    if region is None:
        return None
    if region.code != code:
        return region.name, "province"
    return region.name, "current" if region.valid_to is None else "withdrawn"


def name_for_code(code: str) -> str | None:
    """The division's name for a 6-digit code, marked when withdrawn or known only by province."""
    found = _name_and_standing(code)
    if found is None:
        return None
    name, standing = found
    if standing == "withdrawn":
        return _("%(name)s（已撤销）") % {"name": name}
    if standing == "province":
        return _("%(name)s（具体区县不在本平台数据中）") % {"name": name}
    return name


name_for_code.cache_clear = _name_and_standing.cache_clear  # type: ignore[attr-defined]


DATA = "regions"
SCOPE_CACHE_SECONDS = 600


def data_version() -> int:
    """Changes whenever the loader applies the data files, so cached derivations start afresh."""
    return versions.data_version(DATA)


def bump_data_version() -> None:
    versions.bump_data_version(DATA)


def covered_region_ids(region_id: int) -> frozenset[int]:
    """The divisions a jurisdiction covers: the region, everything below it, and the divisions they
    replaced (records filed under an old code stay with the successor). Checked on every scoped read,
    so it is cached until the region data changes."""
    key = f"regions:covered:{data_version()}:{region_id}"
    cached = cache.get(key)
    if cached is not None:
        return frozenset(cached)
    ids = {region_id}
    frontier = {region_id}
    while frontier:
        below_or_before = set(
            Region.objects.filter(Q(parent_id__in=frontier) | Q(successor_id__in=frontier)).values_list(
                "pk", flat=True
            )
        )
        frontier = below_or_before - ids
        ids |= frontier
    cache.set(key, sorted(ids), timeout=SCOPE_CACHE_SECONDS)
    return frozenset(ids)
