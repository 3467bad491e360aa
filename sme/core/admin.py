"""Admin pieces every app uses: a read-only admin (the logs, and records that change only through
their workflow) and an audited admin for rule data edited here (categories, holiday overrides, 诉求
types, level rules): every add, change and delete — the list's "delete selected" too — leaves an
audit row naming the record and what changed.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from . import audit
from .messages import msg
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


class AuditedAdmin(admin.ModelAdmin):
    """Audits the admin's writes as ``<audit_prefix>_save`` and ``<audit_prefix>_delete`` (codes the
    app registers). ``after_write`` runs after every save or delete (e.g. to forget a cache)."""

    audit_prefix = ""

    def after_write(self) -> None:
        return None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = [f for f in form.changed_data if f in form.fields] if change else list(form.fields)
        before: dict[str, Any] = {}
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = {f: getattr(stored, f, None) for f in fields} if stored is not None else {}
        super().save_model(request, obj, form, change)
        audit.record(
            f"{self.audit_prefix}_save",
            actor=request.user,
            obj=obj,
            summary=msg("在后台修改：%(obj)s", obj=str(obj))
            if change
            else msg("在后台新增：%(obj)s", obj=str(obj)),
            changes=audit.diff(before, {f: getattr(obj, f, None) for f in fields}),
        )
        self.after_write()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record_delete(request, obj)
        super().delete_model(request, obj)
        self.after_write()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._record_delete(request, obj)
        super().delete_queryset(request, queryset)
        self.after_write()

    def _record_delete(self, request: HttpRequest, obj: Model) -> None:
        # what the row held, so that a deletion can be undone from the log
        held = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
        audit.record(
            f"{self.audit_prefix}_delete",
            actor=request.user,
            obj=obj,
            summary=msg("在后台删除：%(obj)s", obj=str(obj)),
            changes=audit.diff(held, {}),
        )


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
