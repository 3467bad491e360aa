"""Loads the certification schemes shipped in ``data/schemes/*.json``; run after every ``migrate``.

A file holds one scheme version, its keys named as :class:`~sme.certification.models.Scheme`'s fields
(``region_code`` names the region). Loading is an upsert by ``(code, version)``: a new version is
created; a version nobody has applied yet is brought in line with its file; a version already used by
an application is never rewritten — changing the rules means a new version in the file, so decisions
stay tied to the rules they applied (design.md rule 5). The highest version of each code becomes the
current one, unless an administrator has since made a newer version on the platform.

The English names (``name_en``, ``title_en`` and the ``*_en`` keys of the criteria, categories,
materials and score sheets) are no rules: a version already applied still takes them from its file,
as long as nothing else in it changed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction

from sme.regions.models import Region

from . import models as certification_models

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data" / "schemes"
DATE_FIELDS = ("document_date", "effective_from", "effective_until", "zone_reference_date")


TRANSLATION_FIELDS = ("name_en", "title_en")
JSON_FIELDS = ("criteria", "categories", "materials", "expert_form", "annual_form")


def without_translations(value: Any) -> Any:
    """``value`` with every ``*_en`` key of its objects left out, however deep (the rules it holds)."""
    if isinstance(value, dict):
        return {k: without_translations(v) for k, v in value.items() if not str(k).endswith("_en")}
    if isinstance(value, list):
        return [without_translations(v) for v in value]
    return value


def rules_of(values: dict[str, Any]) -> dict[str, Any]:
    """What a scheme version decides by: its values without the English names."""
    return {k: without_translations(v) for k, v in values.items() if k not in TRANSLATION_FIELDS}


def data_files() -> list[Path]:
    names = getattr(settings, "CERTIFICATION_SCHEME_FILES", None)
    if names is None:
        return sorted(DATA_DIR.glob("*.json"))
    return [Path(n) if Path(n).is_absolute() else DATA_DIR / n for n in names]


def scheme_values(row: dict[str, Any], models: Any) -> dict[str, Any]:
    """The model field values for one file row (``code`` and ``version`` excluded)."""
    values = {k: v for k, v in row.items() if k not in ("code", "version", "region_code")}
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    region_code = row.get("region_code")
    if region_code:
        region = models.Region.objects.filter(code=region_code, valid_to__isnull=True).first()
        if region is None:
            raise ValueError(f"scheme {row['code']}: unknown region_code {region_code}")
        values["region"] = region
    else:
        values["region"] = None
    return values


@transaction.atomic
def load_files(paths: list[Path] | None = None, models: Any = None) -> int:
    """Apply the scheme files; returns how many rows were created or updated."""
    if models is None:

        class _Models:
            Scheme = certification_models.Scheme
            Application = certification_models.Application

        _Models.Region = Region  # type: ignore[attr-defined]
        models = _Models
    Scheme = models.Scheme
    changed = 0
    codes: set[str] = set()
    for path in paths if paths is not None else data_files():
        row = json.loads(path.read_text(encoding="utf-8"))
        code, version = row["code"], int(row["version"])
        codes.add(code)
        values = scheme_values(row, models)
        scheme = Scheme.objects.filter(code=code, version=version).first()
        if scheme is None:
            Scheme.objects.create(code=code, version=version, is_current=False, **values)
            changed += 1
            continue
        differs = any(getattr(scheme, k) != v for k, v in values.items() if k != "is_current")
        if not differs:
            continue
        if models.Application.objects.filter(scheme=scheme).exists():
            current = {k: getattr(scheme, k) for k in values}
            if rules_of(current) == rules_of(values):
                # Only the English names changed: they decide nothing, so an applied version takes them.
                names = {k: v for k, v in values.items() if k in TRANSLATION_FIELDS or k in JSON_FIELDS}
                Scheme.objects.filter(pk=scheme.pk).update(**names)
                changed += 1
                continue
            logger.warning(
                "certification scheme %s v%s differs from %s but is already applied; add a new version "
                "to the file instead of editing this one",
                code,
                version,
                path.name,
            )
            continue
        Scheme.objects.filter(pk=scheme.pk).update(**values)
        changed += 1
    for code in codes:
        newest = Scheme.objects.filter(code=code).order_by("-version").first()
        if newest is not None and not newest.is_current:
            Scheme.objects.filter(code=code, is_current=True).update(is_current=False)
            Scheme.objects.filter(pk=newest.pk).update(is_current=True)
            changed += 1
    return changed


def load_after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **kwargs: Any
) -> None:
    tables = connections[using].introspection.table_names()
    if "certification_scheme" not in tables or "regions_region" not in tables:
        return
    changed = load_files()
    if verbosity >= 2:
        print(f"  certification schemes: {changed} changed")
