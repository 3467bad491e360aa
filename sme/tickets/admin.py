"""诉求 in the admin. Ticket types are rule data an administrator may correct (every save and delete
leaves an audit row, as the assessment rules do); tickets and the monthly figures are read-only —
tickets change only through the services, the figures only by being rebuilt."""

from __future__ import annotations

from django.contrib import admin

from sme.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Ticket, TicketMonthFigures, TicketType


@admin.register(TicketType)
class TicketTypeAdmin(AuditedAdmin):
    audit_prefix = "tickets.ticket_type"
    list_display = (
        "key",
        "name",
        "name_en",
        "kind",
        "acknowledge_workdays",
        "answer_workdays",
        "close_workdays",
        "effective_from",
        "effective_until",
        "is_active",
    )


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Read-only: tickets change only through the services (workflow, audit, notifications)."""

    list_display = (
        "number",
        "subject",
        "kind",
        "enterprise",
        "district",
        "status",
        "handling_level",
        "rule_version",
    )
    list_filter = ("status", "handling_level", "kind")
    search_fields = ("number", "subject")


@admin.register(TicketMonthFigures)
class TicketMonthFiguresAdmin(ReadOnlyAdmin):
    """Read-only: the figures are rebuilt from the tickets (``ticket_figures_rebuild``, the daily job)."""

    list_display = ("month", "district", "filed", "closed", "on_time_rate", "satisfaction_rate")
