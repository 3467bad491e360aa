"""The catalogue in Django admin: service categories and subsidy caps (rule data) are edited here, each
save and delete audited; services and revisions are read-only (they change through the workflow)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from sme.core import audit
from sme.core.messages import msg

from .models import Service, ServiceCategory, ServiceRevision, SubsidyCap


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete leaves an audit row naming the record and, for a change, what changed."""

    audit_prefix = ""

    def _record(self, request: HttpRequest, verb: str, obj: Model, changes: dict[str, Any]) -> None:
        if verb == "save":
            summary = msg("在后台保存：%(label)s", label=str(obj))
        else:
            summary = msg("在后台删除：%(label)s", label=str(obj))
        audit.record(
            f"{self.audit_prefix}_{verb}", actor=request.user, obj=obj, summary=summary, changes=changes
        )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = list(form.changed_data) if change else list(form.fields)
        before = {name: form.initial.get(name) for name in fields} if change else {}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in fields}
        self._record(request, "save", obj, audit.diff(before, after))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record(request, "delete", obj, {})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._record(request, "delete", obj, {})
        super().delete_queryset(request, queryset)


@admin.register(SubsidyCap)
class SubsidyCapAdmin(AuditedAdmin):
    audit_prefix = "catalog.subsidy_cap"
    list_display = ("name", "category", "amount", "effective_from", "effective_until", "source")
    list_filter = ("category",)
    search_fields = ("name", "source")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdmin):
    audit_prefix = "catalog.category"
    list_display = ("name", "key", "parent", "source", "sort_order", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("name", "key")
    readonly_fields = ("key",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    """Read-only: services change through the publication workflow (audited), never here."""

    list_display = ("id", "title", "provider", "status", "fee_type", "price_low", "published_at")
    list_filter = ("status", "fee_type")
    search_fields = ("title", "provider__name")
    list_select_related = ("provider",)
    show_full_result_count = False


@admin.register(ServiceRevision)
class ServiceRevisionAdmin(ReadOnlyAdmin):
    list_display = ("service", "number", "status", "needs_approval", "submitted_at", "decided_at")
    list_filter = ("status", "needs_approval")
    list_select_related = ("service",)
    show_full_result_count = False
