"""Loads the size standard and the industry code list into the database; run after every ``migrate``.

The files named by ``settings.ENTERPRISE_DATA_FILES`` (paths relative to ``sme/enterprises/data`` or
absolute) are applied in order: a file with ``codes`` holds GB/T 4754 codes, one with ``standards``
holds versions of the size standard. Loading is an upsert (codes by ``code``, standards by
``version``, groups by ``(standard, number)``), so running it again changes nothing and editing a
file then migrating applies the edit. A revised standard is a new entry with its own dates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from .size_class import Rules, rules_from_data

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILES = ["gbt-4754-2017.json", "size-standard-2011.json"]


def data_files() -> list[Path]:
    names = getattr(settings, "ENTERPRISE_DATA_FILES", DEFAULT_FILES)
    return [Path(n) if Path(n).is_absolute() else DATA_DIR / n for n in names]


def read_files(paths: list[Path] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The standards and the code rows the files hold, in file order."""
    standards: list[dict[str, Any]] = []
    codes: list[dict[str, Any]] = []
    for path in paths if paths is not None else data_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        codes.extend(data.get("codes", []))
        standards.extend(data.get("standards", []))
    return standards, codes


def snapshots_from_files(paths: list[Path] | None = None) -> list[Rules]:
    """The standards in the data files as classifier snapshots, without the database."""
    standards, codes = read_files(paths)
    return [rules_from_data(row, codes) for row in standards]


def _load_codes(rows: list[dict[str, Any]], models: Any) -> int:
    IndustryCode = models.IndustryCode
    existing = {c.code: c for c in IndustryCode.objects.all()}
    changed = 0
    new = []
    for row in rows:
        values = {
            "level": row["level"],
            "name": row["name"],
            "unconfirmed": bool(row.get("unconfirmed", False)),
        }
        code = existing.get(row["code"])
        if code is None:
            new.append(IndustryCode(code=row["code"], **values))
        elif any(getattr(code, k) != v for k, v in values.items()):
            IndustryCode.objects.filter(pk=code.pk).update(**values)
            changed += 1
    if new:
        # About 2,000 codes on a fresh database: one statement per batch, not one per code.
        IndustryCode.objects.bulk_create(new, batch_size=500)
        changed += len(new)
        existing = {c.code: c for c in IndustryCode.objects.all()}
    moved: dict[int | None, list[int]] = {}  # new parent id -> the codes that move under it
    for row in rows:
        code = existing[row["code"]]
        parent_id = existing[row["parent"]].pk if row.get("parent") else None
        if code.parent_id != parent_id:
            moved.setdefault(parent_id, []).append(code.pk)
    for parent_id, ids in moved.items():
        IndustryCode.objects.filter(pk__in=ids).update(parent_id=parent_id)
        changed += len(ids)
    return changed


def _load_standard(row: dict[str, Any], models: Any) -> int:
    snapshot = rules_from_data(row)  # refuses an inconsistent file before anything is written
    SizeStandard, SizeGroup = models.SizeStandard, models.SizeGroup
    values = {
        "name": row["name"],
        "document": row["document"],
        "effective_from": snapshot.effective_from,
        "effective_to": snapshot.effective_to,
        "industry_classification": row.get("industry_classification", ""),
        "industry_map": row["industry_map"],
        "unmapped_reason": row.get("unmapped_reason", ""),
        "unmapped_reason_en": row.get("unmapped_reason_en", ""),
    }
    changed = 0
    standard = SizeStandard.objects.filter(version=row["version"]).first()
    if standard is None:
        standard = SizeStandard.objects.create(version=row["version"], **values)
        changed += 1
    elif any(getattr(standard, k) != v for k, v in values.items()):
        SizeStandard.objects.filter(pk=standard.pk).update(**values)
        changed += 1
    existing = {g.number: g for g in SizeGroup.objects.filter(standard=standard)}
    for grow in row["groups"]:
        gvalues = {
            "name": grow["name"],
            "indicators": grow["indicators"],
            "thresholds": grow["thresholds"],
            "note": grow.get("note", ""),
        }
        group = existing.get(grow["number"])
        if group is None:
            SizeGroup.objects.create(standard=standard, number=grow["number"], **gvalues)
            changed += 1
        elif any(getattr(group, k) != v for k, v in gvalues.items()):
            SizeGroup.objects.filter(pk=group.pk).update(**gvalues)
            changed += 1
    numbers = [g["number"] for g in row["groups"]]
    changed += SizeGroup.objects.filter(standard=standard).exclude(number__in=numbers).delete()[0]
    return changed


@transaction.atomic
def load_files(paths: list[Path] | None = None, models: Any = None) -> dict[str, int]:
    """Apply the data files. ``models`` lets a data migration pass historical models."""
    if models is None:
        from . import models
    standards, codes = read_files(paths)
    counts = {"codes": _load_codes(codes, models), "standards": 0}
    for row in standards:
        counts["standards"] += _load_standard(row, models)
    return counts


def load_all(verbosity: int = 0) -> dict[str, int]:
    from .selectors import bump_data_version

    counts = load_files()
    if verbosity >= 2:
        print(f"  enterprises: {counts}")
    bump_data_version()
    return counts


def load_after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **kwargs: Any
) -> None:
    from django.db import connections

    tables = connections[using].introspection.table_names()
    if "enterprises_sizestandard" not in tables or "enterprises_industrycode" not in tables:
        return
    load_all(verbosity)
