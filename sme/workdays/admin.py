"""The calendar overrides are configuration: administrators add and correct them in the admin.

They are rule data (a wrong override moves every deadline computed over that day), so every add,
change and delete made here leaves an audit row with what changed, as the assessment admin does for
level rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sme.core import audit
from sme.core.messages import msg

from .models import CoveredYear, HolidayOverride


class AuditedAdmin(admin.ModelAdmin):
    """Audits the admin's writes as ``<audit_prefix>.save`` and ``<audit_prefix>.delete``."""

    audit_prefix = ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = [f for f in form.changed_data if f in form.fields]
        before: dict[str, Any] = {}
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = {f: getattr(stored, f, None) for f in fields} if stored is not None else {}
        super().save_model(request, obj, form, change)
        audit.record(
            f"{self.audit_prefix}.save",
            actor=request.user,
            obj=obj,
            summary=msg("修改：%(obj)s", obj=str(obj)) if change else msg("新增：%(obj)s", obj=str(obj)),
            changes=audit.diff(before, {f: getattr(obj, f, None) for f in fields}),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            f"{self.audit_prefix}.delete",
            actor=request.user,
            obj=obj,
            summary=msg("删除：%(obj)s", obj=str(obj)),
        )


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
