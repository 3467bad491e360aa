"""Reads: the size standard and industry codes (as snapshots the pure classifier uses), enterprises
and their profiles within the caller's scope, and registry imports.

Scope follows ``organizations.selectors.organizations_visible_to``: administrators and city
officers see every enterprise, a district officer those of their district (and the divisions it
replaced), an enterprise user only the enterprises they are an active member of.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import clock
from sme.core import data_versions as versions
from sme.organizations.models import Organization, OrganizationKind
from sme.organizations.selectors import organizations_visible_to

from .classification import Classifier
from .industry_codes import IndustryCodeError, parse_industry_code
from .industry_codes import normalize as normalize_code_text
from .models import (
    EnterpriseImport,
    EnterpriseProfile,
    EnterpriseYearFigures,
    ImportStatus,
    IndustryCode,
    SizeClass,
    SizeStandard,
)
from .permissions import import_region_ids
from .size_class import Rules, SizeInputError, SizeResult, classify, rules_from_data

DATA = "enterprises"


def data_version() -> int:
    """Changes whenever the loader applies the data files, so cached snapshots are rebuilt."""
    return versions.data_version(DATA)


def bump_data_version() -> None:
    versions.bump_data_version(DATA)
    _all_rules.cache_clear()
    _industry_index.cache_clear()
    _classifier.cache_clear()


@lru_cache(maxsize=4)
def _all_rules(version: int) -> tuple[Rules, ...]:
    codes = [
        {"code": c.code, "level": c.level, "name": c.name, "parent": c.parent.code if c.parent else None}
        for c in IndustryCode.objects.select_related("parent")
    ]
    snapshots = []
    for standard in SizeStandard.objects.prefetch_related("groups"):
        data = {
            "version": standard.version,
            "name": standard.name,
            "document": standard.document,
            "effective_from": standard.effective_from.isoformat(),
            "effective_to": standard.effective_to.isoformat() if standard.effective_to else None,
            "industry_map": standard.industry_map,
            "unmapped_reason": standard.unmapped_reason,
            "unmapped_reason_en": standard.unmapped_reason_en,
            "groups": [
                {"number": g.number, "name": g.name, "indicators": g.indicators, "thresholds": g.thresholds}
                for g in standard.groups.all()
            ],
        }
        snapshots.append(rules_from_data(data, codes))
    return tuple(snapshots)


def rules_on(on: dt.date) -> Rules:
    """The size standard in force on ``on`` (the latest to take effect if periods overlap)."""
    in_force = [r for r in _all_rules(data_version()) if r.in_force(on)]
    if not in_force:
        raise SizeInputError([("on", _("%(date)s 没有施行中的企业划型标准。") % {"date": on.isoformat()})])
    return max(in_force, key=lambda r: r.effective_from)


def size_class_on(
    industry_code: str,
    employees: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
    on: dt.date | None = None,
) -> SizeResult:
    """``size_class.classify`` by the standard in force on ``on`` (default: the platform's today)."""
    day = on or clock.today()
    return classify(industry_code, employees, revenue_wan, assets_wan, on, standard=rules_on(day))


def industry_choices() -> list[IndustryCode]:
    """The codes the size-class tool suggests, sections first then by code: 门类, 大类 and 中类. No
    size standard maps a 小类 of its own (a class is classified by its 中类 or 大类), so the ~1,400
    classes are left out of the page; typed in, they are read like any code."""
    codes = IndustryCode.objects.exclude(level=IndustryCode.Level.CLASS)
    return sorted(codes, key=lambda c: (c.level != "section", c.code))


@lru_cache(maxsize=4)
def _classifier(version: int, rules_version: str, on: dt.date) -> Classifier:
    return Classifier(rules_on(on))


def classifier_on(on: dt.date) -> Classifier:
    """A :class:`~.classification.Classifier` for the standard in force on ``on`` (cached)."""
    return _classifier(data_version(), rules_on(on).version, on)


# --- industry codes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryEntry:
    code: str
    level: str
    name: str
    section: str  # the 门类 letter
    path: str  # "C 制造业 › 13 农副食品加工业"
    parent: str | None = None


@lru_cache(maxsize=4)
def _industry_index(version: int) -> dict[str, IndustryEntry]:
    rows = {c.code: c for c in IndustryCode.objects.all()}
    parents = {c.pk: c for c in rows.values()}
    index: dict[str, IndustryEntry] = {}
    for code in rows.values():
        chain = [code]
        while chain[-1].parent_id is not None and chain[-1].parent_id in parents:
            chain.append(parents[chain[-1].parent_id])
        section = chain[-1].code if chain[-1].level == IndustryCode.Level.SECTION else ""
        path = " › ".join(f"{c.code} {c.name}" for c in reversed(chain))
        parent = chain[1].code if len(chain) > 1 else None
        index[code.code] = IndustryEntry(code.code, code.level, code.name, section, path, parent)
    return index


def industry_index() -> dict[str, IndustryEntry]:
    """The loaded GB/T 4754-2017 codes by code (cached until the data files are loaded again)."""
    return _industry_index(data_version())


def industry_entry(raw: str) -> IndustryEntry | None:
    """The loaded code ``raw`` names (``6513``, ``I6513``, ``I``…), or None when it names none."""
    return entry_in(industry_index(), raw)


def entry_in(index: dict[str, IndustryEntry], raw: str) -> IndustryEntry | None:
    """:func:`industry_entry` on a given snapshot of the codes (no database, no cache)."""
    try:
        return index[parse_industry_code(raw, index).code]
    except IndustryCodeError:
        return None


_PREFIXED = re.compile(r"([A-Z])(\d+)")


def industry_search(q: str, limit: int = 30) -> list[IndustryEntry]:
    """Codes whose code starts with ``q`` (``I651`` as ``651`` within I) or whose name contains it;
    sections first, then by code, so a 中类 comes just before its 小类."""
    q = (q or "").strip()
    index = industry_index()
    upper = normalize_code_text(q)
    if not q:
        found = [e for e in index.values() if e.level == IndustryCode.Level.SECTION]
    else:
        prefixed = _PREFIXED.fullmatch(upper)
        if prefixed:
            letter, digits = prefixed.groups()
            found = [e for e in index.values() if e.code.startswith(digits) and e.section == letter]
            upper = digits
        else:
            found = [e for e in index.values() if e.code.startswith(upper) or q in e.name]
    found.sort(key=lambda e: (e.code != upper, len(e.code) > 1, e.code))
    return found[:limit]


def industry_sections() -> list[IndustryEntry]:
    return sorted(
        (e for e in industry_index().values() if e.level == IndustryCode.Level.SECTION), key=lambda e: e.code
    )


# --- enterprises -------------------------------------------------------------------------------

UNCLASSIFIED = "none"
FLAGS = ("is_tech_sme", "is_specialized_new", "is_high_tech")


def enterprises_visible_to(user: Any) -> QuerySet[Organization]:
    """Enterprise organizations in the caller's scope, with district and profile joined."""
    return (
        organizations_visible_to(user)
        .filter(kind=OrganizationKind.ENTERPRISE)
        .select_related("district", "enterprise_profile")
    )


def enterprise_list(
    user: Any,
    *,
    size_class: str = "",
    section: str = "",
    district_id: int | None = None,
    flags: tuple[str, ...] = (),
    q: str = "",
) -> QuerySet[Organization]:
    """The filtered list an officer browses, newest first. Unknown filter values are ignored."""
    qs = enterprises_visible_to(user)
    if size_class == UNCLASSIFIED:
        qs = qs.filter(Q(enterprise_profile__isnull=True) | Q(enterprise_profile__size_class=""))
    elif size_class in SizeClass.values:
        qs = qs.filter(enterprise_profile__size_class=size_class)
    if section:
        qs = qs.filter(enterprise_profile__industry_section=section)
    if district_id:
        qs = qs.filter(district_id=district_id)
    for flag in flags:
        if flag in FLAGS:
            qs = qs.filter(**{f"enterprise_profile__{flag}": True})
    q = (q or "").strip()
    if q:
        code = q.upper()
        qs = qs.filter(uscc=code) if len(code) == 18 and code.isalnum() else qs.filter(name__contains=q)
    return qs.order_by("-created_at", "-id")


def enterprise_for(user: Any, pk: int) -> Organization | None:
    """One enterprise if the user may see it, else None (the view answers 404 either way)."""
    return enterprises_visible_to(user).filter(pk=pk).first()


def enterprises_of_member(user: Any) -> list[Organization]:
    """The enterprises ``user`` is an active member of (an enterprise user's own)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.ENTERPRISE:
        return []
    return list(enterprises_visible_to(user).order_by("name"))


def profile_of(organization: Organization) -> EnterpriseProfile:
    """The enterprise's profile, or an unsaved blank one (version 1) when it has none yet."""
    try:
        return organization.enterprise_profile
    except EnterpriseProfile.DoesNotExist:
        return EnterpriseProfile(organization=organization)


def figures_of(organization: Organization) -> list[EnterpriseYearFigures]:
    """Every year's figures, latest first."""
    return list(EnterpriseYearFigures.objects.filter(organization=organization).order_by("-year"))


def figures_of_year(organization: Organization, year: int) -> EnterpriseYearFigures | None:
    return EnterpriseYearFigures.objects.filter(organization=organization, year=year).first()


def latest_figures(organization_id: int) -> EnterpriseYearFigures | None:
    return EnterpriseYearFigures.objects.filter(organization_id=organization_id).order_by("-year").first()


# --- imports -----------------------------------------------------------------------------------


def imports_visible_to(user: Any) -> QuerySet[EnterpriseImport]:
    """City officers see every import; a district officer those of their district and their own;
    administrators see every import (read only); anyone else none."""
    qs = EnterpriseImport.objects.select_related("created_by", "district")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_platform_admin or user.role == Role.CITY_OFFICER:
        return qs
    if user.role == Role.DISTRICT_OFFICER:
        return qs.filter(Q(created_by=user) | Q(district_id__in=import_region_ids(user)))
    return qs.none()


def import_for(user: Any, pk: int) -> EnterpriseImport | None:
    return imports_visible_to(user).filter(pk=pk).first()


def earlier_import_of(user: Any, job: EnterpriseImport) -> EnterpriseImport | None:
    """The latest finished import of the same file (same SHA-256), uploaded before ``job``, that
    ``user`` may see, if any. A later import of the file is no news to this one's page."""
    before = Q(created_at__lt=job.created_at) | Q(created_at=job.created_at, pk__lt=job.pk)
    return (
        imports_visible_to(user)
        .filter(before, sha256=job.sha256, status=ImportStatus.DONE)
        .exclude(pk=job.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


def import_max_bytes() -> int:
    """Registry files are far larger than uploaded materials: 500 MB unless configured."""
    return int(getattr(settings, "ENTERPRISE_IMPORT_MAX_BYTES", 500 * 1024 * 1024))


@dataclass(frozen=True)
class StoredRule:
    """How a stored classification names its rule: the standard and the group, for display."""

    version: str
    name: str
    document: str
    group_name: str


def stored_rule(version: str, group: int | None) -> StoredRule | None:
    """The standard version a profile was classified by (and its group's name), if still loaded."""
    if not version:
        return None
    rules = next((r for r in _all_rules(data_version()) if r.version == version), None)
    if rules is None:
        return StoredRule(version, "", "", "")
    group_name = rules.groups[group].name if group is not None and group in rules.groups else ""
    return StoredRule(version, rules.name, rules.document, group_name)
