from django.contrib import admin

from sme.core.admin import ReadOnlyAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: reports are decided in the queue (owner's hide service, workflow, audit)."""

    list_display = ("pk", "target_kind", "target_id", "district", "reason", "status", "created_at")
    list_filter = ("status", "target_kind", "reason")
