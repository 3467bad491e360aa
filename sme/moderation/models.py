"""Reports (举报) of ratings, providers' replies and demands, and the officers' decisions on them.

A report names its target by kind and id (the targets live in other apps); the district that decides
is copied when the report is filed. All open reports on one target are decided together. The small
state machine is ``workflow.REPORT`` (docs/workflows/ticket.md, section 内容举报).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel


class TargetKind(models.TextChoices):
    RATING = "rating", _("服务评价")
    RATING_REPLY = "rating_reply", _("机构回复")
    DEMAND = "demand", _("需求")


class ReportReason(models.TextChoices):
    FALSE_INFORMATION = "false_information", _("虚假信息")
    ADVERTISING = "advertising", _("广告骚扰")
    ABUSE = "abuse", _("侮辱谩骂")
    PRIVACY = "privacy", _("泄露隐私")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HIDDEN = "hidden", _("已屏蔽")
    DISMISSED = "dismissed", _("不予处理")


class Report(TimeStampedModel):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("举报人"), on_delete=models.PROTECT, related_name="+"
    )
    target_kind = models.CharField(_("举报对象类型"), max_length=16, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField(_("举报对象编号"))
    # Copied when filed: the district whose officers decide, and what was reported (for the queue).
    district = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="+"
    )
    target_excerpt = models.CharField(_("举报内容摘录"), max_length=300, blank=True)
    reason = models.CharField(_("举报理由"), max_length=20, choices=ReportReason.choices)
    reason_text = models.TextField(_("补充说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.TextField(_("处理理由"), blank=True)

    class Meta:
        verbose_name = _("内容举报")
        verbose_name_plural = _("内容举报")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_kind", "target_id"],
                condition=Q(status="open"),
                name="report_one_open_per_reporter_target",
            )
        ]
        indexes = [
            models.Index(fields=["status", "district", "-created_at"], name="report_queue"),
            models.Index(fields=["target_kind", "target_id", "status"], name="report_target"),
        ]

    def __str__(self) -> str:
        return gettext("对%(kind)s #%(id)s 的举报") % {
            "kind": self.get_target_kind_display(),
            "id": self.target_id,
        }
