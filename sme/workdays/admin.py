"""The calendar overrides are configuration: administrators add and correct them in the admin.

They are rule data (a wrong override moves every deadline computed over that day), so every add,
change and delete made here leaves an audit row with what changed, as the assessment admin does for
level rules.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sme.core.admin import AuditedAdmin

from .models import CoveredYear, HolidayOverride


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(AuditedAdmin):
    audit_prefix = "workdays.holiday_override"
    list_display = ["date", "name", "is_workday", "source_document", "created_at"]
    list_filter = ["is_workday"]
    search_fields = ["name", "note", "source_document"]
    date_hierarchy = "date"
    readonly_fields = ["created_at"]


@admin.register(CoveredYear)
class CoveredYearAdmin(AuditedAdmin):
    audit_prefix = "workdays.covered_year"
    list_display = ["year", "override_count", "note"]

    @admin.display(description=_("已录入的调整天数"))
    def override_count(self, obj: CoveredYear) -> int:
        return HolidayOverride.objects.filter(date__year=obj.year).count()
