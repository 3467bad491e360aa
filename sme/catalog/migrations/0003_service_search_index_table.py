"""The full-text index of published services (design.md rule 14), one table per database vendor:
SQLite an FTS5 table keyed by rowid (= service id); PostgreSQL a table with a generated tsvector
column (the ``simple`` configuration over jieba-segmented words) and a GIN index on it.
On PostgreSQL also the
rating sort's NULLS LAST index. The statements are written out here, not imported, so that this migration never changes."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_service_search USING fts5("
    "words, tokenize = 'unicode61 remove_diacritics 0')",
]
POSTGRESQL = [
    "CREATE TABLE IF NOT EXISTS catalog_service_search ("
    "service_id bigint PRIMARY KEY, words text NOT NULL, "
    "document tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED)",
    "CREATE INDEX IF NOT EXISTS catalog_service_search_document "
    "ON catalog_service_search USING gin (document)",
    # The rating sort (unrated last). SQLite cannot declare NULLS LAST and needs no such index.
    "CREATE INDEX IF NOT EXISTS service_status_rating_nl "
    "ON catalog_service (status, rating_average DESC NULLS LAST, id DESC)",
]


def create_search_table(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"the service search index has no table for database vendor {vendor!r}")
    for sql in statements:
        schema_editor.execute(sql)


def drop_search_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS catalog_service_search")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS service_status_rating_nl")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_sort_index_for_orders_completed")]

    operations = [migrations.RunPython(create_search_table, drop_search_table)]
