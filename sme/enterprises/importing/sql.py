"""The registry import's SQL: bulk inserts, updates and keyed reads on the driver's own cursor.

Raw SQL rather than ``bulk_create`` and the ORM because building a million model instances three
times over costs more than the rest of the import (see ``writer``): ``COPY`` on PostgreSQL, prepared
statements stepped per row on SQLite. Values read back go through :func:`stored_decimal` and
:func:`json_value`, since the two drivers return 万元 amounts and JSON columns differently.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from sme.organizations.models import Organization

FOUR_PLACES = Decimal("0.0001")

ORG_INSERT_COLUMNS = (
    "kind",
    "name",
    "uscc",
    "legal_representative",
    "district_id",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "region_mismatch",
    "verification_status",
    "rejection_reason",
    "submitted_at",
    "verified_at",
    "verified_by_id",
    "version",
    "created_at",
    "updated_at",
)


def table_name(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def placeholder() -> str:
    return "?" if connection.vendor == "sqlite" else "%s"


def raw_cursor() -> Any:
    connection.ensure_connection()
    return connection.connection.cursor()


def execute(cursor: Any, sql: str, params: Sequence[Any], many: bool = False) -> None:
    """Run ``sql`` (written with ``placeholder()``) on the driver's cursor. On SQLite this skips
    Django's cursor wrapper, which rewrites ``%s`` into ``?`` with a regular expression over the whole
    statement: on a 1,000-row INSERT that costs more than SQLite's own work."""
    if connection.vendor == "sqlite":
        import sqlite3

        if many:
            sqlite3.Cursor.executemany(cursor, sql, params)
        else:
            sqlite3.Cursor.execute(cursor, sql, params)
    elif many:
        cursor.executemany(sql, params)
    else:
        cursor.execute(sql, params)


def insert_rows(model: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in ``columns`` order): ``COPY`` on PostgreSQL, else one prepared
    single-row ``INSERT`` stepped for every row (cheaper in SQLite than compiling multi-row VALUES
    statements with thousands of parameters)."""
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    cursor = raw_cursor()
    try:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table_name(model)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join([placeholder()] * len(columns))
        execute(cursor, f"INSERT INTO {table_name(model)} ({quoted}) VALUES ({marks})", rows, many=True)
    finally:
        cursor.close()


def select_in(prefix: str, column: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[Any]:
    """``prefix`` + "``column`` is one of ``values``", 5,000 values per query: ``= ANY(array)`` on
    PostgreSQL (a long list of placeholders costs the driver more than the query), ``IN (…)`` else."""
    out: list[Any] = []
    quoted = connection.ops.quote_name(column)
    for start in range(0, len(values), 5000):
        part = list(values[start : start + 5000])
        if connection.vendor == "postgresql":
            out.extend(select_rows(f"{prefix}{quoted} = ANY(%s)", [*params, part]))
        else:
            marks = ", ".join(["%s"] * len(part))
            out.extend(select_rows(f"{prefix}{quoted} IN ({marks})", [*params, *part]))
    return out


def json_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def stored_decimal(value: Any) -> Decimal | None:
    """A 万元 amount as read by the driver: SQLite gives int or float, PostgreSQL a Decimal."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(FOUR_PLACES)
    return Decimal(value)


def insert_organizations(rows: Sequence[Sequence[Any]], codes: Sequence[str]) -> list[int]:
    """Insert organization rows (``ORG_INSERT_COLUMNS``) and return their ids in order, without
    looking each one up again: on PostgreSQL the ids are drawn from the table's sequence first and
    copied in with the rows; on SQLite they are the consecutive rowids just assigned (the table is
    AUTOINCREMENT and this transaction holds the write lock), checked at both ends."""
    if not rows:
        return []
    table = table_name(Organization)
    if connection.vendor == "postgresql":
        ids = [
            r[0]
            for r in select_rows(
                f"SELECT nextval(pg_get_serial_sequence('{Organization._meta.db_table}', 'id')) "
                "FROM generate_series(1, %s)",
                [len(rows)],
            )
        ]
        insert_rows(
            Organization, ("id", *ORG_INSERT_COLUMNS), [(i, *row) for i, row in zip(ids, rows, strict=True)]
        )
        return ids
    insert_rows(Organization, ORG_INSERT_COLUMNS, rows)
    last = select_rows("SELECT last_insert_rowid()", [])[0][0]
    ids = list(range(last - len(rows) + 1, last + 1))
    ends = dict(select_rows(f'SELECT "id", "uscc" FROM {table} WHERE "id" IN (%s, %s)', [ids[0], ids[-1]]))
    if ends.get(ids[0]) != codes[0] or ends.get(ids[-1]) != codes[-1]:  # never expected; stay correct
        found = ids_by_uscc(codes)
        return [found[c] for c in codes]
    return ids


def ids_by_uscc(codes: Sequence[str]) -> dict[str, int]:
    """The organization ids of these credit codes."""
    return dict(select_in(f'SELECT "uscc", "id" FROM {table_name(Organization)} WHERE ', "uscc", codes))


def update_rows(
    model: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]], bump_version: bool = False
) -> None:
    """``UPDATE … SET columns WHERE id = …`` for each row (values in ``columns`` order, then the id)."""
    if not rows:
        return
    mark = placeholder()
    sets = ", ".join(f"{connection.ops.quote_name(c)} = {mark}" for c in columns)
    if bump_version:
        sets += ', "version" = "version" + 1'
    cursor = raw_cursor()
    try:
        execute(cursor, f'UPDATE {table_name(model)} SET {sets} WHERE "id" = {mark}', list(rows), many=True)
    finally:
        cursor.close()


def select_rows(sql: str, params: Sequence[Any]) -> list[Any]:
    """Rows of ``sql`` (written with ``%s``) on the driver's cursor."""
    cursor = raw_cursor()
    try:
        execute(cursor, sql.replace("%s", placeholder()), list(params))
        return cursor.fetchall()
    finally:
        cursor.close()
