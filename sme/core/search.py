"""Chinese full-text search that works the same on SQLite and PostgreSQL (design.md rule 14).

Text is segmented with jieba when it is written (``segment_for_index``) and the segmented words are
stored in an index table: an FTS5 virtual table on SQLite, a table with a ``tsvector`` column
(``to_tsvector('simple', words)``) and a GIN index on PostgreSQL. A query is segmented the same way
and every term must match. The module knows nothing about what is indexed: an app names its table
(:class:`TextIndex`), writes rows keyed by its own primary keys and filters querysets with
:meth:`TextIndex.filter`. Replacing this module by a search engine changes no caller.

The table itself is created by the owning app's migration (see ``create_statements``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba() -> Any:
    """jieba with its dictionary loaded once, without the start-up chatter on the log."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def _keep(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def segment(text: str) -> list[str]:
    """The search words of ``text``, lowercased, without punctuation and whitespace, first
    occurrence order, each once (``jieba.cut_for_search``: long words and the words inside them)."""
    if not text:
        return []
    words: dict[str, None] = {}
    for token in _jieba().cut_for_search(text):
        token = "".join(ch for ch in token.strip().lower() if ch.isalnum())
        if token and _keep(token):
            words.setdefault(token, None)
    return list(words)


def segment_for_index(*parts: str | None) -> str:
    """The words of all ``parts`` as one space-separated string, ready to store in an index row."""
    words: dict[str, None] = {}
    for part in parts:
        for word in segment(part or ""):
            words.setdefault(word, None)
    return " ".join(words)


def query_terms(q: str, limit: int = 16) -> list[str]:
    """The terms a query must all match (at most ``limit``: longer queries are cut, not refused).

    A word's own short words are left out (财务管理, not 财务 + 管理 + 财务管理): an indexed text
    that holds the long word holds them too, as ``segment`` writes both, so they narrow nothing. Left
    in, they made PostgreSQL expect a few matches where there were thousands and choose the plan for
    few (``EXPLAIN``: 516 expected, 8,076 found for 财务管理)."""
    terms = segment((q or "").strip()[:200])
    implied = {short for term in terms for short in segment(term) if short != term}
    return [t for t in terms if t not in implied][:limit]


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _tsquery_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class TextIndex:
    """One index table: ``key`` (the owner's primary key) → segmented ``words``."""

    def __init__(self, table: str, key_column: str = "object_id"):
        self.table = table
        self.key_column = key_column

    # --- schema (called from the owning app's migration) ------------------------------------

    def create_statements(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                f"words, tokenize = 'unicode61 remove_diacritics 0')"
            ]
        if vendor == "postgresql":
            return [
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                f"{self.key_column} bigint PRIMARY KEY, words text NOT NULL, "
                f"document tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED)",
                f"CREATE INDEX IF NOT EXISTS {self.table}_document ON {self.table} USING gin (document)",
            ]
        raise NotImplementedError(f"no full-text index for database vendor {vendor!r}")

    def drop_statements(self, vendor: str) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.table}"]

    # --- writing ------------------------------------------------------------------------------

    def _key(self) -> str:
        return "rowid" if connection.vendor == "sqlite" else self.key_column

    def remove(self, keys: Iterable[int]) -> None:
        keys = list(keys)
        if not keys:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {self.table} WHERE {self._key()} IN ({marks})", chunk)

    def replace(self, rows: Mapping[int, str]) -> None:
        """Write these rows, replacing whatever the keys held (a key with no words is removed)."""
        kept = [(key, words) for key, words in rows.items() if words]
        empty = [key for key, words in rows.items() if not words]
        self.remove(empty)
        if not kept:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                self.remove([key for key, _ in kept])
                cursor.executemany(f"INSERT INTO {self.table} (rowid, words) VALUES (%s, %s)", kept)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.key_column}, words) VALUES (%s, %s) "
                    f"ON CONFLICT ({self.key_column}) DO UPDATE SET words = EXCLUDED.words",
                    kept,
                )

    # --- reading ------------------------------------------------------------------------------

    def matching_keys_sql(self, terms: Sequence[str]) -> tuple[str, list[Any]]:
        """``SELECT key FROM table WHERE <every term matches>`` and its parameters."""
        if connection.vendor == "sqlite":
            expression = " AND ".join(_fts5_phrase(t) for t in terms)
            return f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [expression]
        expression = " & ".join(_tsquery_lexeme(t) for t in terms)
        return (
            f"SELECT {self.key_column} FROM {self.table} WHERE document @@ to_tsquery('simple', %s)",
            [expression],
        )

    def filter(self, queryset: QuerySet[Any], q: str, *, few: bool = False) -> QuerySet[Any]:
        """``queryset`` narrowed to rows whose words hold every term of ``q`` (unchanged when ``q``
        has no searchable word).

        By default the database may check the words row by row along another index, which is fast
        when matches are common. ``few``: ``q`` is known to match few rows (see :meth:`count`), so on
        PostgreSQL the matching keys are read from the index once and the rows by key (SQLite reads
        its FTS5 table the same way either way)."""
        terms = query_terms(q)
        if not terms:
            return queryset
        sql, params = self.matching_keys_sql(terms)
        if few and connection.vendor == "postgresql":
            meta = queryset.model._meta
            column = f'"{meta.db_table}"."{meta.pk.column}"'
            return queryset.filter(
                RawSQL(f"{column} = ANY(ARRAY({sql}))", params, output_field=BooleanField())
            )
        return queryset.filter(pk__in=RawSQL(sql, params))

    def count(self, q: str, limit: int) -> int | None:
        """How many rows hold every term of ``q``, counting no further than ``limit`` (None when ``q``
        has no searchable word); reads the index alone."""
        terms = query_terms(q)
        if not terms:
            return None
        sql, params = self.matching_keys_sql(terms)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) AS matching", [*params, limit])
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def words_of(self, key: int) -> str | None:
        """The stored words of one row (for tests and for checking what was indexed)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT words FROM {self.table} WHERE {self._key()} = %s", [key])
            row = cursor.fetchone()
        return row[0] if row else None
