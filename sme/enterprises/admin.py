"""The enterprise rule data in the admin, read only: the GB/T 4754-2017 codes (with the
administrators' "名称待核对" flag, never shown to users) and the size standard with its groups and
notes. They are loaded from ``data/`` after every ``migrate`` (``loader``), so a correction goes into
the data file, where its source is noted, not into the database behind the file's back."""

from __future__ import annotations

from django.contrib import admin

from sme.core.admin import ReadOnlyAdmin

from .models import IndustryCode, SizeGroup, SizeStandard


@admin.register(IndustryCode)
class IndustryCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "name", "parent", "unconfirmed"]
    list_filter = ["level", "unconfirmed"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


class SizeGroupInline(admin.TabularInline):
    model = SizeGroup
    fields = ("number", "name", "indicators", "thresholds", "note")
    readonly_fields = ("number", "name", "indicators", "thresholds", "note")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SizeStandard)
class SizeStandardAdmin(ReadOnlyAdmin):
    list_display = ["version", "name", "document", "effective_from", "effective_to"]
    inlines = [SizeGroupInline]
