from django.contrib import admin

from .models import Ticket, TicketMonthFigures, TicketType


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "name",
        "kind",
        "acknowledge_workdays",
        "answer_workdays",
        "close_workdays",
        "effective_from",
        "effective_until",
        "is_active",
    )


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change only through the services (workflow, audit, notifications)."""

    list_display = ("number", "subject", "kind", "enterprise", "district", "status", "handling_level")
    list_filter = ("status", "handling_level", "kind")
    search_fields = ("number", "subject")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TicketMonthFigures)
class TicketMonthFiguresAdmin(admin.ModelAdmin):
    list_display = ("month", "district", "filed", "closed", "on_time_rate", "satisfaction_rate")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
