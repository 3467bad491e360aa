from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sme.core.files import StoredFile


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    """One export someone asked for: which list, with which filters, how far it got."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("导出内容"), max_length=40)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    description = models.CharField(_("筛选说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_mine")]

    def __str__(self) -> str:
        from . import registry

        exporter = registry.get(self.kind)
        label = exporter.label if exporter else self.kind
        return f"{label}（{self.rows_total}行，#{self.pk}）"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)


class ExportFile(StoredFile):
    """The finished workbook; only the person who asked for it may download it (files:download)."""

    job = models.OneToOneField(ExportJob, on_delete=models.CASCADE, related_name="output")

    class Meta:
        verbose_name = _("导出文件")
        verbose_name_plural = _("导出文件")
