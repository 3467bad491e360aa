"""Seal the rows written before the hash chain existed, create the chain's head row, and add the
database guards that were missing: TRUNCATE on PostgreSQL, UPDATE/DELETE on SQLite."""

from django.db import migrations

from sme.core import append_only, audit_chain


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditLog = apps.get_model("core", "AuditLog")
    AuditChainHead.objects.get_or_create(pk=1)
    rows = AuditLog.objects.order_by("id")
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditlog DISABLE TRIGGER core_auditlog_append_only;")
    previous = audit_chain.GENESIS
    for row in rows.iterator(chunk_size=2000):
        digest = audit_chain.row_hash(row, previous)
        AuditLog.objects.filter(pk=row.pk).update(prev_hash=previous, row_hash=digest)
        previous = digest
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditlog ENABLE TRIGGER core_auditlog_append_only;")
    append_only.install(connection)


def backwards(apps, schema_editor):
    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
