"""Reads of schemes: the versions in force, the public list and what a scheme's self-check offers.

The rules are public (第四条): nothing here is scoped to a user.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from sme.regions.models import Region
from sme.regions.selectors import covered_region_ids

from .. import eligibility
from ..models import Scheme, SchemeLevel

_LEVEL_ORDER = Case(
    When(level=SchemeLevel.DISTRICT, then=Value(0)),
    When(level=SchemeLevel.CITY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def scheme_for(pk: int) -> Scheme:
    """One version of a scheme, or 404."""
    scheme = Scheme.objects.select_related("region", "copied_from").filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def scheme_current(code: str) -> Scheme | None:
    """The current version of the scheme ``code``, if there is one."""
    return Scheme.objects.current().select_related("region").filter(code=code).first()


def current_version_of(scheme: Scheme) -> Scheme:
    """The version now current for ``scheme``'s code (``scheme`` itself when none is)."""
    return Scheme.objects.current().filter(code=scheme.code).first() or scheme


def scheme_versions() -> QuerySet[Scheme]:
    """Every version of every scheme, newest first within a code (the public list)."""
    return Scheme.objects.select_related("region").order_by("code", "-version")


def schemes_open_on(day: dt.date) -> list[Scheme]:
    fields: tuple[str, ...] = (
        "code",
        "version",
        "name",
        "document_number",
        "effective_from",
        "effective_until",
    )
    fields += ("level", "district_deadline_month", "district_deadline_day", "region")
    return [
        s
        for s in Scheme.objects.current().select_related("region").only(*fields, "region__name")
        if s.in_force(day)
    ]


def public_schemes() -> QuerySet[Scheme]:
    """The current version of every scheme, the local ones first (district, city, then national)."""
    return Scheme.objects.current().select_related("region").order_by(_LEVEL_ORDER, "code")


def public_scheme(code: str) -> Scheme | None:
    return public_schemes().filter(code=code).first()


def district_choices(scheme: Scheme) -> list[tuple[str, str]]:
    """The districts in force today that may apply under ``scheme``: ``(code or key, label)``.
    A functional zone without a division code (两江新区) is named by its key."""
    scope = eligibility.scope_region(scheme)
    rows = (
        Region.objects.districts()
        .current()
        .filter(pk__in=covered_region_ids(scope.pk))
        .order_by("sort_order", "code")
        .only("key", "code", "name")
    )
    return [(r.code or r.key, f"{r.code} {r.name}" if r.code else r.name) for r in rows]


def code_taken(code: str) -> bool:
    return Scheme.objects.filter(code=code).exists()
