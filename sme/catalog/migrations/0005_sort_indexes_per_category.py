"""The catalogue's sort orders within a category (issue 4, "Speed": a filtered, sorted page walks
one index instead of sorting the category), and on PostgreSQL:

- the rating sort within a category, NULLS LAST (SQLite cannot declare it in an index);
- the search index's GIN without the pending list (``fastupdate = off``): every search read the
  whole unmerged list until a VACUUM merged it, and the catalogue is read far more than written;
- finer statistics on the search words, so that the planner knows a common word (财务 is in one
  service of six) from a rare one and picks the plan to match.

The statements are written out here, not imported, so that this migration never changes.
"""

from django.db import migrations, models

POSTGRESQL = [
    "CREATE INDEX IF NOT EXISTS service_top_rating_nl "
    "ON catalog_service (status, top_category_id, rating_average DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS service_leaf_rating_nl "
    "ON catalog_service (status, category_id, rating_average DESC NULLS LAST, id DESC)",
    "ALTER INDEX catalog_service_search_document SET (fastupdate = off)",
    "ALTER TABLE catalog_service_search ALTER COLUMN document SET STATISTICS 1000",
    "ANALYZE catalog_service_search",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS service_top_rating_nl",
    "DROP INDEX IF EXISTS service_leaf_rating_nl",
    "ALTER INDEX catalog_service_search_document RESET (fastupdate)",
    "ALTER TABLE catalog_service_search ALTER COLUMN document SET STATISTICS -1",
]


def tune_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)


def untune_postgresql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL_REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_sort_index_for_highest_price'),
        ('organizations', '0003_list_indexes_cover_district_queries'),
        ('regions', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['status', 'top_category', 'price_low', 'id'], name='service_top_price'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['status', 'category', 'price_low', 'id'], name='service_leaf_price'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['status', 'top_category', '-price_high', '-id'], name='service_top_price_high'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['status', 'category', '-price_high', '-id'], name='service_leaf_price_high'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['status', 'top_category', '-orders_completed', '-id'], name='service_top_orders'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['status', 'category', '-orders_completed', '-id'], name='service_leaf_orders'),
        ),
        migrations.RunPython(tune_postgresql, untune_postgresql),
    ]
