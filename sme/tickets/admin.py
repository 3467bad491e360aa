"""诉求 in the admin. Ticket types are rule data an administrator may correct (every save and delete
leaves an audit row, as the assessment rules do); tickets and the monthly figures are read-only —
tickets change only through the services, the figures only by being rebuilt."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from sme.core import audit
from sme.core.admin import ReadOnlyAdmin
from sme.core.messages import msg

from .models import Ticket, TicketMonthFigures, TicketType


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
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

    def save_model(self, request: HttpRequest, obj: TicketType, form: ModelForm, change: bool) -> None:
        changed = list(form.changed_data)
        before = {name: form.initial.get(name) for name in changed} if change else {}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in changed}
        audit.record(
            "tickets.ticket_type_save",
            actor=request.user,
            obj=obj,
            summary=msg("修改诉求类型：%(name)s", name=obj.name)
            if change
            else msg("新增诉求类型：%(name)s", name=obj.name),
            changes=audit.diff(before, after),
        )

    def delete_model(self, request: HttpRequest, obj: TicketType) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TicketType]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _audit_delete(request: HttpRequest, obj: TicketType) -> None:
        audit.record(
            "tickets.ticket_type_delete",
            actor=request.user,
            obj=obj,
            summary=msg("删除诉求类型：%(name)s", name=obj.name),
            changes={"key": [obj.key, None]},
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
