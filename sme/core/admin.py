"""The Django admin shows the logs read-only: no add, change or delete, for anyone."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditLog, TransitionLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_label", "summary", "ip", "result"]
    list_filter = ["result"]
    search_fields = ["actor_label", "action", "object_id"]
    date_hierarchy = "created_at"


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "workflow", "object_id", "action", "from_status", "to_status", "actor"]
    list_filter = ["workflow"]
