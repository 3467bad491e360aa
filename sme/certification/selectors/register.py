"""The public register of certified platforms (第十二条): its filters, a platform's address and the
titles a filter selects. Public: no user scope; the register lists titles in force unless asked for
the expired or revoked ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sme.regions import selectors as region_selectors
from sme.regions.models import Zone, ZoneMembership

from .. import names
from ..models import IN_FORCE, Certification, CertificationStatus, Scheme

ZONE_CACHE_SECONDS = 600
CHOICES_CACHE_SECONDS = 300
# Only what the register page shows: a scheme row carries its whole rule set as JSON.
REGISTER_COLUMNS = (
    "number",
    "platform_name",
    "title",
    "categories",
    "granted_on",
    "valid_until",
    "status",
    "district__name",
    "organization__name",
    "scheme__code",
    "scheme__categories",
    "scheme__title",
    "scheme__title_en",
)


def register(
    *,
    district_id: int | None = None,
    district_ids: frozenset[int] | None = None,
    category: str = "",
    scheme_code: str = "",
    year: int | None = None,
    include_inactive: bool = False,
    status: str = "",
) -> QuerySet[Certification]:
    """The public register (第十二条): titles in force, newest first. ``status`` asks for titles no
    longer in force instead (``expired``, ``revoked``) or for every title (``all``)."""
    qs = Certification.objects.select_related("district", "scheme", "organization")
    if status in (CertificationStatus.EXPIRED, CertificationStatus.REVOKED):
        qs = qs.filter(status=status)
    elif not include_inactive and status != "all":
        qs = qs.filter(status__in=IN_FORCE)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if district_ids is not None:
        qs = qs.filter(district_id__in=district_ids)
    if category:
        qs = qs.filter(category_keys__contains=f",{category},")
    if scheme_code:
        qs = qs.filter(scheme__code=scheme_code)
    if year:
        qs = qs.filter(granted_on__year=year)
    return qs.order_by("-granted_on", "-id")


def register_page(**filters: Any) -> QuerySet[Certification]:
    """The register with only the columns its page shows."""
    return register(**filters).only(*REGISTER_COLUMNS)


def platform_key(certification: Certification) -> str:
    """What a platform's address names: its certificate number when that fits in a path, else its id."""
    number = certification.number
    if number and "/" not in number and not number.isdigit():
        return number
    return str(certification.pk)


def platform_url(certification: Certification) -> str:
    return reverse("certification:platform", args=[platform_key(certification)])


def certification_by_key(key: str) -> Certification:
    """The certification a platform address names (number first, then id), whatever its status."""
    qs = Certification.objects.select_related("district", "scheme", "organization")
    found = qs.filter(number=key).first()
    if found is None and key.isdigit():
        found = qs.filter(pk=int(key)).first()
    if found is None:
        raise Http404(_("没有这个认定平台。"))
    return found


def category_labels(certification: Certification) -> list[str]:
    """The labels of the function categories a title was granted for, in the scheme's words."""
    keys: list[str] = []
    labels: list[str] = []
    for item in certification.categories or []:
        if isinstance(item, dict):
            if item.get("label"):
                labels.append(names.local(item))
            elif item.get("key"):
                keys.append(str(item["key"]))
        else:
            keys.append(str(item))
    return labels + certification.scheme.category_labels(keys) if keys else labels


def zone_district_ids(zone_key: str) -> frozenset[int]:
    """The divisions a zone holds, nested zones included (两翼 = 渝东北翼 + 渝东南翼).

    Memberships of every period count: a zone grouping is a historical fact (一圈两翼 ended in 2013) and
    the register filters by where a platform sits, not by the date of the grouping. Cached until the
    region data changes."""
    key = f"certification:zone-districts:{region_selectors.data_version()}:{zone_key}"
    cached = cache.get(key)
    if cached is not None:
        return frozenset(cached)
    zone_ids = set(
        Zone.objects.filter(
            Q(key=zone_key) | Q(parent__key=zone_key) | Q(parent__parent__key=zone_key)
        ).values_list("pk", flat=True)
    )
    ids = set(ZoneMembership.objects.filter(zone_id__in=zone_ids).values_list("region_id", flat=True))
    cache.set(key, sorted(ids), timeout=ZONE_CACHE_SECONDS)
    return frozenset(ids)


@dataclass(frozen=True)
class ZoneChoice:
    key: str
    label: str
    depth: int


@dataclass(frozen=True)
class ZoneGroup:
    label: str
    zones: list[ZoneChoice]


def zone_groups() -> list[ZoneGroup]:
    """Every zone grouping with its zones, nested zones after their parent (for the filter)."""
    zones = list(Zone.objects.select_related("grouping").order_by("grouping__name", "sort_order", "pk"))
    children: dict[int | None, list[Zone]] = {}
    for z in zones:
        children.setdefault(z.parent_id, []).append(z)
    groups: dict[int, ZoneGroup] = {}

    def walk(zone: Zone, depth: int) -> None:
        group = groups.setdefault(zone.grouping_id, ZoneGroup(zone.grouping.name, []))
        group.zones.append(ZoneChoice(zone.key, zone.name, depth))
        for child in children.get(zone.pk, []):
            walk(child, depth + 1)

    for top in children.get(None, []):
        walk(top, 0)
    return list(groups.values())


@dataclass(frozen=True)
class RegisterChoices:
    """What the register's filters offer, from the region data, the schemes and the titles."""

    districts: list[tuple[str, str, int]]  # (region key, name, pk)
    zone_groups: list[ZoneGroup]
    schemes: list[tuple[str, str]]  # (code, name)
    categories: list[tuple[str, str]]  # (key, label), across the current schemes
    years: list[int]  # newest first


def register_choices() -> RegisterChoices:
    """Cached for a few minutes (four queries saved on every page of a public, busy list): a new
    scheme or a first title in a new year shows in the filters within ``CHOICES_CACHE_SECONDS``."""
    # Per language: the scheme and category names are the reader's.
    key = f"certification:register-choices:{region_selectors.data_version()}:{get_language()}"
    cached = cache.get(key)
    if isinstance(cached, RegisterChoices):
        return cached
    schemes = list(
        Scheme.objects.current().order_by("-level", "code").only("code", "name", "name_en", "categories")
    )
    categories: dict[str, str] = {}
    for s in schemes:
        for c in s.categories:
            categories.setdefault(str(c.get("key")), names.local(c) or str(c.get("key")))
    span = Certification.objects.aggregate(first=Min("granted_on"), last=Max("granted_on"))
    choices = RegisterChoices(
        districts=[(r.key, r.name, r.pk) for r in region_selectors.districts()],
        zone_groups=zone_groups(),
        schemes=[(s.code, s.display_name) for s in schemes],
        categories=list(categories.items()),
        years=list(range(span["last"].year, span["first"].year - 1, -1)) if span["first"] else [],
    )
    cache.set(key, choices, timeout=CHOICES_CACHE_SECONDS)
    return choices
