"""The catalogue in Django admin: subsidy caps are edited here; the rest is read-mostly."""

from django.contrib import admin

from .models import Service, ServiceCategory, ServiceRevision, SubsidyCap


@admin.register(SubsidyCap)
class SubsidyCapAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "amount", "effective_from", "effective_until", "source")
    list_filter = ("category",)
    search_fields = ("name", "source")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "parent", "source", "sort_order", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("name", "key")
    readonly_fields = ("key",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Read-only: services change through the publication workflow (audited), never here."""

    list_display = ("id", "title", "provider", "status", "fee_type", "price_low", "published_at")
    list_filter = ("status", "fee_type")
    search_fields = ("title", "provider__name")
    list_select_related = ("provider",)
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ServiceRevision)
class ServiceRevisionAdmin(admin.ModelAdmin):
    list_display = ("service", "number", "status", "needs_approval", "submitted_at", "decided_at")
    list_filter = ("status", "needs_approval")
    list_select_related = ("service",)
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
