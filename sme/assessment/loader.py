"""Loads the questionnaires into the database; run after every ``migrate``.

The files named by ``settings.ASSESSMENT_DATA_FILES`` (paths relative to ``sme/assessment/data`` or
absolute) each hold ``{"questionnaires": [...]}``. Loading is an upsert: questionnaires by
``(code, version)``, dimensions, sub-dimensions and level rules by key within their parent, items
by key within the questionnaire, options by key within the item. Nodes a file no longer lists are
removed (responses keep their own copy of the result), except level rules an administrator added.
A revised instrument is a new version with its own dates; editing a shipped version fixes it in
place. Each file is checked (points add up, kinds known) before anything is written.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from .instrument import Instrument, instrument_from_data

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILES = ["miit-manufacturing-2024.json", "eu-jrc-dma-sme-v1.json"]


def data_files() -> list[Path]:
    names = getattr(settings, "ASSESSMENT_DATA_FILES", DEFAULT_FILES)
    return [Path(n) if Path(n).is_absolute() else DATA_DIR / n for n in names]


def read_files(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths if paths is not None else data_files():
        rows.extend(json.loads(path.read_text(encoding="utf-8"))["questionnaires"])
    return rows


def instruments_from_files(paths: list[Path] | None = None) -> list[Instrument]:
    """The shipped instruments as scoring snapshots, without the database."""
    return [instrument_from_data(row) for row in read_files(paths)]


def _points(value: Any) -> Decimal:
    return Decimal(str(value))


def _sync(model: Any, existing: dict[Any, Any], lookup: Any, values: dict[str, Any], **create: Any) -> Any:
    """Create the row or update the fields that differ; returns the row (refreshed)."""
    row = existing.get(lookup)
    if row is None:
        return model.objects.create(**create, **values)
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changed:
        model.objects.filter(pk=row.pk).update(**changed)
        for k, v in changed.items():
            setattr(row, k, v)
    return row


def _item_config(row: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for name in ("bands", "numerator_label", "denominator_label", "level_points"):
        if name in row:
            config[name] = row[name]
    return config


def _load_questionnaire(row: dict[str, Any], models: Any) -> None:
    snapshot = instrument_from_data(row)  # refuses an inconsistent file before anything is written
    Questionnaire, Dimension, SubDimension = models.Questionnaire, models.Dimension, models.SubDimension
    Item, Option, LevelRule = models.Item, models.Option, models.LevelRule
    existing_q = {(q.code, q.version): q for q in Questionnaire.objects.filter(code=row["code"])}
    q = _sync(
        Questionnaire,
        existing_q,
        (row["code"], str(row["version"])),
        {
            "name": row["name"],
            "document": row.get("document", ""),
            "effective_from": snapshot.effective_from,
            "effective_to": snapshot.effective_to,
            "source_note": row.get("source_note", ""),
            "based_on_public_description": snapshot.based_on_public_description,
            "public_description_label": row.get("public_description_label", ""),
            "aggregate": snapshot.aggregate,
            "max_score": snapshot.max_score,
            "pledge": row.get("pledge", ""),
            "scenario_levels": row.get("scenario_levels", []),
            "sort_order": int(row.get("sort", 0)),
        },
        code=row["code"],
        version=str(row["version"]),
    )
    dims = {d.key: d for d in Dimension.objects.filter(questionnaire=q)}
    subs = {(s.dimension_id, s.key): s for s in SubDimension.objects.filter(dimension__questionnaire=q)}
    items = {i.key: i for i in Item.objects.filter(questionnaire=q)}
    options = {(o.item_id, o.key): o for o in Option.objects.filter(item__questionnaire=q)}
    keep_dims, keep_subs, keep_items, keep_options = set(), set(), set(), set()
    for d_order, drow in enumerate(row["dimensions"]):
        dim = _sync(
            Dimension,
            dims,
            drow["key"],
            {
                "name": drow["name"],
                "description": drow.get("description", ""),
                "points": snapshot.dimensions[d_order].points,
                "service_categories": drow.get("service_categories", []),
                "sort_order": d_order,
            },
            questionnaire=q,
            key=drow["key"],
        )
        keep_dims.add(dim.pk)
        for s_order, srow in enumerate(drow["sub_dimensions"]):
            sub = _sync(
                SubDimension,
                subs,
                (dim.pk, srow["key"]),
                {
                    "name": srow["name"],
                    "points": snapshot.dimensions[d_order].sub_dimensions[s_order].points,
                    "sort_order": s_order,
                },
                dimension=dim,
                key=srow["key"],
            )
            keep_subs.add(sub.pk)
            for i_order, irow in enumerate(srow["items"]):
                item = _sync(
                    Item,
                    items,
                    irow["key"],
                    {
                        "sub_dimension_id": sub.pk,
                        "kind": irow["kind"],
                        "text": irow["text"],
                        "help_text": irow.get("help", ""),
                        "internal_note": irow.get("internal_note", ""),
                        "points": snapshot.items[irow["key"]].points,
                        "config": _item_config(irow),
                        "sort_order": i_order,
                    },
                    questionnaire=q,
                    key=irow["key"],
                )
                keep_items.add(item.pk)
                for o_order, orow in enumerate(irow.get("options", [])):
                    option = _sync(
                        Option,
                        options,
                        (item.pk, orow["key"]),
                        {
                            "label": orow["label"],
                            "points": _points(orow.get("points", 0)),
                            "exclusive": bool(orow.get("exclusive", False)),
                            "sort_order": o_order,
                        },
                        item=item,
                        key=orow["key"],
                    )
                    keep_options.add(option.pk)
    Option.objects.filter(item__questionnaire=q).exclude(pk__in=keep_options).delete()
    Item.objects.filter(questionnaire=q).exclude(pk__in=keep_items).delete()
    SubDimension.objects.filter(dimension__questionnaire=q).exclude(pk__in=keep_subs).delete()
    Dimension.objects.filter(questionnaire=q).exclude(pk__in=keep_dims).delete()

    rules = {r.key: r for r in LevelRule.objects.filter(questionnaire=q)}
    shipped = set()
    for rrow, rule in zip(row.get("level_rules", []), snapshot.level_rules, strict=True):
        shipped.add(rrow["key"])
        _sync(
            LevelRule,
            rules,
            rrow["key"],
            {
                "name": rrow.get("name", rrow["key"]),
                "effective_from": rule.effective_from,
                "effective_to": rule.effective_to,
                "levels": rrow["levels"],
                "below": rrow.get("below", {}),
                "unconfirmed": rule.unconfirmed,
                "internal_note": rrow.get("internal_note", ""),
                "from_data_file": True,
            },
            questionnaire=q,
            key=rrow["key"],
        )
    LevelRule.objects.filter(questionnaire=q, from_data_file=True).exclude(key__in=shipped).delete()


@transaction.atomic
def load_files(paths: list[Path] | None = None, models: Any = None) -> int:
    """Apply the data files; returns how many questionnaires they hold."""
    if models is None:
        from . import models
    rows = read_files(paths)
    for row in rows:
        _load_questionnaire(row, models)
    return len(rows)


def load_all(verbosity: int = 0) -> int:
    from .selectors import bump_data_version

    count = load_files()
    if verbosity >= 2:
        print(f"  assessment: {count} questionnaires")
    bump_data_version()
    return count


def load_after_migrate(
    sender: Any, using: str = "default", verbosity: int = 1, plan: Any = None, **kwargs: Any
) -> None:
    from django.db import connections

    if "assessment_questionnaire" not in connections[using].introspection.table_names():
        return
    load_all(verbosity)
