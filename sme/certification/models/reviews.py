"""The experts of the city review: declared conflicts of interest, assignments and scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel

from .applications import Application
from .schemes import Scheme


class ExpertConflict(TimeStampedModel):
    """An expert's declared conflict of interest with an organization: never assigned to its cases."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("专家回避申报")
        verbose_name_plural = _("专家回避申报")
        constraints = [
            models.UniqueConstraint(fields=["expert", "organization"], name="cert_conflict_once"),
        ]

    def __str__(self) -> str:
        return gettext("专家 #%(expert)s 与机构 #%(organization)s 的回避申报") % {
            "expert": self.expert_id,
            "organization": self.organization_id,
        }


class ExpertReview(TimeStampedModel):
    """One expert's assignment to one application and, once submitted, their scores."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expert_reviews")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("各项得分"), default=dict)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["application", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="cert_expert_once"),
        ]
        indexes = [models.Index(fields=["expert", "submitted_at"], name="cert_expert_queue")]

    def __str__(self) -> str:
        return gettext("申请 #%(application)s 的专家评审（专家 #%(expert)s）") % {
            "application": self.application_id,
            "expert": self.expert_id,
        }
