"""Public notices (公示) of applications approved by the city, and the objections filed against them.

An :class:`Objection` moves through ``workflow.OBJECTION``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel

from .applications import Application
from .schemes import Scheme


class NoticeOutcome(models.TextChoices):
    GRANTED = "granted", _("期满无异议，授予称号")
    WITHDRAWN = "withdrawn", _("异议成立，撤回重审")


class Notice(TimeStampedModel):
    """A public notice (公示) of an application approved by the city, on working days."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("发布日期"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    workdays = models.PositiveSmallIntegerField(_("公示工作日数"))
    closed_at = models.DateTimeField(_("结束处理时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, blank=True, choices=NoticeOutcome.choices)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["ends_on", "closed_at"], name="cert_notice_open")]

    def __str__(self) -> str:
        return gettext("认定公示 #%(pk)s（申请 #%(application)s，%(start)s 至 %(end)s）") % {
            "pk": self.pk,
            "application": self.application_id,
            "start": self.starts_on.isoformat(),
            "end": self.ends_on.isoformat(),
        }

    def open_on(self, day: dt.date) -> bool:
        return self.closed_at is None and self.starts_on <= day <= self.ends_on


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(TimeStampedModel):
    """An objection anyone files against a notice; the city officer resolves it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("异议人"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    status = models.CharField(_("状态"), max_length=12, choices=ObjectionStatus.choices, default="open")
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["created_at"]

    def __str__(self) -> str:
        # The objector's name and contact stay out: this label is what the audit log shows.
        return gettext("公示 #%(notice)s 的异议 #%(pk)s") % {"notice": self.notice_id, "pk": self.pk}
