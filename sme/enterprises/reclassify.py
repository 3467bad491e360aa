"""Recomputing every stored size class, e.g. after a revised standard is loaded.

Reads profiles with their latest year's figures in organization order, a chunk at a time (constant memory),
classifies with one :class:`~.classification.Classifier`, and writes only the profiles whose
classification changed. Reclassification changes derived data, not what anyone entered, so it does
not bump the profile's edit version; the run as a whole is audited with its counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from sme.core import clock

from .classification import Classifier
from .importing.sql import json_value, stored_decimal
from .models import EnterpriseProfile, EnterpriseYearFigures

CHUNK = 10_000


@dataclass
class ReclassifyResult:
    total: int = 0
    changed: int = 0


def _chunk(last: int) -> tuple[list[tuple[Any, ...]], dict[int, tuple[Any, ...]]]:
    """The next profiles after organization ``last`` and each one's latest figures: two range scans
    on the (organization) and (organization, year) indexes, cheaper on both databases than a join
    that looks up each profile's latest year."""
    p = connection.ops.quote_name(EnterpriseProfile._meta.db_table)
    f = connection.ops.quote_name(EnterpriseYearFigures._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organization_id, id, industry_code, size_class, size_group, size_standard_version, "
            f"size_figures_year, size_figures, size_reasons FROM {p} WHERE organization_id > %s "
            "ORDER BY organization_id LIMIT %s",
            [last, CHUNK],
        )
        profiles = cursor.fetchall()
        if not profiles:
            return [], {}
        cursor.execute(
            f"SELECT organization_id, year, employees, revenue_wan, assets_wan FROM {f} "
            "WHERE organization_id > %s AND organization_id <= %s ORDER BY organization_id, year",
            [last, profiles[-1][0]],
        )
        latest = {row[0]: row for row in cursor.fetchall()}  # ascending years: the last one stays
    return profiles, latest


def _write(rows: list[tuple[Any, ...]]) -> None:
    """``rows``: (size_class, size_group, version, figures_year, figures json, reasons json, at, id).
    PostgreSQL: ``COPY`` into a temporary table, then one ``UPDATE … FROM``; SQLite: ``executemany``."""
    if not rows:
        return
    table = connection.ops.quote_name(EnterpriseProfile._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS enterprise_sizes (size_class varchar(8), size_group smallint, "
                "size_standard_version varchar(40), size_figures_year smallint, size_figures jsonb, "
                "size_reasons jsonb, classified_at timestamptz, id bigint) ON COMMIT DELETE ROWS"
            )
            with cursor.cursor.copy("COPY enterprise_sizes FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS p SET size_class = v.size_class, size_group = v.size_group, "
                "size_standard_version = v.size_standard_version, size_figures_year = v.size_figures_year, "
                "size_figures = v.size_figures, size_reasons = v.size_reasons, classified_at = v.classified_at "
                "FROM enterprise_sizes AS v WHERE p.id = v.id"
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET size_class = %s, size_group = %s, size_standard_version = %s, "
                "size_figures_year = %s, size_figures = %s, size_reasons = %s, classified_at = %s WHERE id = %s",
                rows,
            )


def reclassify_all(
    classifier: Classifier,
    progress: Callable[[ReclassifyResult], None] | None = None,
    now: dt.datetime | None = None,
) -> ReclassifyResult:
    result = ReclassifyResult()
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    stamp = connection.ops.adapt_datetimefield_value(now or clock.now())
    last = 0
    while True:
        profiles, latest = _chunk(last)
        if not profiles:
            break
        changed: list[tuple[Any, ...]] = []
        for org_id, pk, code, size, group, version, year, figures, reasons in profiles:
            f = latest.get(org_id)
            if f is None:
                new = classifier.classify(code, None, None, None, None)
            else:
                new = classifier.classify(code, f[1], f[2], stored_decimal(f[3]), stored_decimal(f[4]))
            reasons_text = encode(new.reasons)
            if (
                size == new.size_class
                and group == new.group
                and version == new.standard_version
                and year == new.figures_year
                and (reasons == reasons_text or json_value(reasons) == new.reasons)
                and json_value(figures) == new.figures
            ):
                continue
            changed.append(
                (
                    new.size_class,
                    new.group,
                    new.standard_version,
                    new.figures_year,
                    encode(new.figures),
                    reasons_text,
                    stamp,
                    pk,
                )
            )
        with transaction.atomic():
            _write(changed)
        result.total += len(profiles)
        result.changed += len(changed)
        last = profiles[-1][0]
        if progress is not None:
            progress(result)
    return result
