"""Platform-wide records with no domain rules: the audit log and the workflow transition log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed.")


class AppendOnlyModel(models.Model):
    """Rows are written once. On PostgreSQL a trigger also refuses UPDATE and DELETE (migration 0002)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted.")


class AuditLog(AppendOnlyModel):
    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    # Set before the row is sealed (the hash covers it), hence a default rather than auto_now_add.
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    # PROTECT: people with history are deactivated, never deleted, so every row keeps its actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人（记录时）"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_label = models.CharField(_("对象"), max_length=255, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    # The summary as a message id and its parameters (sme.core.messages), rendered in the reader's
    # language; ``summary`` keeps the Chinese text for searching and for rows written before.
    summary_message = models.JSONField(_("摘要（消息）"), default=dict, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=500, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    # The hash chain (sme.core.audit_chain): SHA-256 of the previous row's ``row_hash`` and of this
    # row's content. Changing, removing or inserting a row anywhere breaks every link after it.
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("本条哈希"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_recent"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_recent"),
            models.Index(fields=["action", "-created_at"], name="audit_action_recent"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    @property
    def summary_text(self) -> str:
        """The summary in the active language."""
        from .messages import render

        return render(self.summary_message, self.summary)

    @property
    def action_label(self) -> str:
        from .audit import action_label

        return action_label(self.action)


class TransitionLog(AppendOnlyModel):
    """One row per workflow transition: who moved which record from which status to which, and why."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    workflow = models.CharField(_("流程"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    action = models.CharField(_("动作"), max_length=64)
    from_status = models.CharField(_("原状态"), max_length=32)
    to_status = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workflow", "object_id", "created_at"], name="transition_object")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.workflow}#{self.object_id} {self.from_status}→{self.to_status}"


class AuditChainHead(models.Model):
    """The one row every audit write locks first, so that rows are chained one after another."""

    sealed = models.PositiveBigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"audit chain head ({self.sealed} sealed)"
