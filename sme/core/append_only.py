"""The database's own guard on the append-only logs (audit and transition), on both databases.

PostgreSQL: a per-row trigger refuses UPDATE and DELETE (migration 0002) and a per-statement trigger
refuses TRUNCATE. SQLite: per-row triggers refuse UPDATE and DELETE (it has no TRUNCATE; ``DELETE``
without a condition fires them too).

The only way past them is the test suite's database flush (``manage.py flush`` with
``settings.APPEND_ONLY_FLUSH_ALLOWED``, true only in the test settings): on PostgreSQL it sets the
session flag ``sme.allow_wipe``, on SQLite it lifts the triggers for the flush and puts them back.
"""

from __future__ import annotations

from typing import Any

TABLES = ("core_auditlog", "core_transitionlog")

_PG_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION sme_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('sme.allow_wipe', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is append-only: it cannot be truncated',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be changed or deleted'); END;"
        for verb in ("UPDATE", "DELETE")
    ]


def install(connection: Any) -> None:
    """Create the guards this migration adds (TRUNCATE on PostgreSQL, row triggers on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_TRUNCATE_FUNCTION)
            for table in TABLES:
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION sme_refuse_truncate();"
                )
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for statement in _sqlite_triggers(table):
                    cursor.execute(statement)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
            cursor.execute("DROP FUNCTION IF EXISTS sme_refuse_truncate();")
        elif connection.vendor == "sqlite":
            for table in TABLES:
                for verb in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb};")


class wipe_allowed:
    """Inside the block, this connection may empty the logs (the test flush only)."""

    def __init__(self, connection: Any):
        self.connection = connection

    def __enter__(self) -> None:
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET sme.allow_wipe = 'on';")
        elif self.connection.vendor == "sqlite":
            uninstall(self.connection)

    def __exit__(self, *exc: Any) -> None:
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("RESET sme.allow_wipe;")
        elif self.connection.vendor == "sqlite":
            install(self.connection)
