"""Reads of the size standard and the industry codes, as snapshots the pure classifier uses."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils.translation import gettext as _

from sme.core import data_versions as versions

from .models import IndustryCode, SizeStandard
from .size_class import Rules, SizeInputError, rules_from_data

DATA = "enterprises"


def data_version() -> int:
    """Changes whenever the loader applies the data files, so cached snapshots are rebuilt."""
    return versions.data_version(DATA)


def bump_data_version() -> None:
    versions.bump_data_version(DATA)
    _all_rules.cache_clear()


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


def industry_choices() -> list[IndustryCode]:
    """The shipped codes for the picker, sections first then by code."""
    return sorted(IndustryCode.objects.all(), key=lambda c: (c.level != "section", c.code))
