"""The catalogue in Django admin: service categories and subsidy caps (rule data) are edited here, each
save and delete audited; services and revisions are read-only (they change through the workflow)."""

from __future__ import annotations

from django.contrib import admin

from sme.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Service, ServiceCategory, ServiceRevision, SubsidyCap


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
