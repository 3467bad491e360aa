"""Granted titles and their life after certification (第十一条–第十五条): the register entry, yearly
summaries and the duty to report them, triennial re-reviews with their audit reports, spot checks and
rectification reports.

A :class:`Certification` moves through ``workflow.CERTIFICATION``, a :class:`ReReview` through
``workflow.REREVIEW`` and a :class:`SpotCheck` through ``workflow.SPOT_CHECK``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.files import StoredFile
from sme.core.models import TimeStampedModel

from .. import names
from .applications import Application
from .schemes import Scheme


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REREVIEW = "rereview", _("复核中")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


class RevocationBasis(models.TextChoices):
    REREVIEW = "rereview", _("复核不合格（第十四条）")
    FRAUD = "fraud", _("弄虚作假（第十五条）")
    SPOT_CHECK = "spot_check", _("抽查整改不合格（第十五条）")


IN_FORCE = (CertificationStatus.ACTIVE, CertificationStatus.REREVIEW)


class Certification(TimeStampedModel):
    """A granted title: the public register's entry (第十一条、第十二条)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certification")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="certifications"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("证书编号"), max_length=60, unique=True)
    title = models.CharField(_("称号"), max_length=100)
    platform_name = models.CharField(_("平台名称"), max_length=200)
    categories = models.JSONField(_("服务功能类别"), default=list)
    # ",key1,key2," so that one LIKE filters the register by category on SQLite and PostgreSQL alike.
    category_keys = models.CharField(max_length=400, blank=True, editable=False)
    zone_key = models.SlugField(_("所在分区"), max_length=60, blank=True)
    granted_on = models.DateField(_("认定日期"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=12, choices=CertificationStatus.choices, default=CertificationStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销原因"), blank=True)
    revocation_basis = models.CharField(
        _("撤销依据"), max_length=16, blank=True, choices=RevocationBasis.choices
    )

    class Meta:
        verbose_name = _("认定平台")
        verbose_name_plural = _("认定平台")
        ordering = ["-granted_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-granted_on", "-id"], name="cert_register"),
            models.Index(fields=["district", "status"], name="cert_register_district"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.platform_name}"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def display_title(self) -> str:
        """The title as granted; in English followed by the scheme's gloss of it."""
        gloss = self.scheme.title_en if self.title == self.scheme.title else ""
        return names.official(self.title, gloss)

    @property
    def revocation_basis_label(self) -> object:
        """The basis as a lazy translation (for texts stored now and read later in another language)."""
        return RevocationBasis(self.revocation_basis).label if self.revocation_basis else ""


class AnnualSummary(TimeStampedModel):
    """The yearly work summary a certified platform reports (第十三条)."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="annual_summaries"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("报送期限"))
    text = models.TextField(_("工作总结"))
    smes_served = models.PositiveIntegerField(_("服务中小企业数（家）"))
    satisfaction_percent = models.DecimalField(_("用户满意度（%）"), max_digits=5, decimal_places=2)
    service_revenue_wan = models.DecimalField(_("服务收入（万元）"), max_digits=14, decimal_places=2)
    public_services = models.PositiveIntegerField(_("公益性服务（次）"), default=0)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("年度工作总结")
        verbose_name_plural = _("年度工作总结")
        ordering = ["certification", "-year"]
        constraints = [models.UniqueConstraint(fields=["certification", "year"], name="cert_summary_once")]

    def __str__(self) -> str:
        return gettext("认定平台 #%(certification)s 的%(year)s年度工作总结") % {
            "certification": self.certification_id,
            "year": self.year,
        }

    @property
    def late(self) -> bool:
        return self.submitted_at.date() > self.due_on


class ReReviewStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    SUBMITTED = "submitted", _("区县审查中")
    DISTRICT_REVIEWED = "district_reviewed", _("市级复核中")
    CONFIRMED = "confirmed", _("复核合格")
    FAILED = "failed", _("复核不合格，已撤销")


class ReReview(TimeStampedModel):
    """The triennial re-review (第十四条): summary, audit report, evaluation form by district then city."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="rereviews")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    cycle_ends_on = models.DateField(_("本周期截止"))
    status = models.CharField(_("状态"), max_length=20, choices=ReReviewStatus.choices, default="draft")
    version = models.PositiveIntegerField(default=1)
    three_year_summary = models.TextField(_("三年工作总结"), blank=True)
    self_evaluation = models.JSONField(_("年度运营情况测评表（自评）"), default=dict, blank=True)
    district_scores = models.JSONField(_("区县测评"), default=dict, blank=True)
    district_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    city_scores = models.JSONField(_("市级测评"), default=dict, blank=True)
    city_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("三年复核")
        verbose_name_plural = _("三年复核")
        ordering = ["-cycle_ends_on", "-id"]

    def __str__(self) -> str:
        return gettext("%(title)s 的三年复核（周期至 %(until)s）") % {
            "title": self.certification,
            "until": self.cycle_ends_on.isoformat(),
        }

    @property
    def audit_report(self) -> ReReviewAuditReport | None:
        """The audit report on file: the latest one uploaded (earlier uploads stay as history)."""
        return self.audit_reports.order_by("-id").first()


class ReReviewAuditReport(StoredFile):
    """The audited income/expenditure report of a re-review (第十四条). Uploading again replaces the
    current one; the earlier rows stay, so the file a decision was made on can still be read."""

    rereview = models.ForeignKey(ReReview, on_delete=models.CASCADE, related_name="audit_reports")

    class Meta:
        verbose_name = _("上一年度服务收支专项审计报告")
        verbose_name_plural = _("上一年度服务收支专项审计报告")
        ordering = ["rereview", "-id"]

    def __str__(self) -> str:
        return gettext("三年复核 #%(rereview)s 的审计报告：%(label)s") % {
            "rereview": self.rereview_id,
            "label": self.label,
        }


class SpotCheckStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格，已撤销")


class SpotCheck(TimeStampedModel):
    """A spot check by the city (第十五条): findings, a rectification deadline, a result."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="spot_checks")
    checked_on = models.DateField(_("抽查日期"))
    findings = models.TextField(_("抽查发现"))
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    status = models.CharField(_("结果"), max_length=10, choices=SpotCheckStatus.choices, default="open")
    result_note = models.TextField(_("结果说明"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return gettext("%(title)s 的抽查（%(day)s）") % {
            "title": self.certification,
            "day": self.checked_on.isoformat(),
        }


class SummaryDuty(models.Model):
    """A certified platform's duty to report one year's work summary (第十三条), and what the daily job
    has done about it. Each reminder and the overdue flag are set once, by compare-and-set, so running
    the job twice sends nothing new."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="summary_duties")
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("报送期限"))
    reminded_30_on = models.DateField(_("到期前30天提醒"), null=True, blank=True)
    reminded_7_on = models.DateField(_("到期前7天提醒"), null=True, blank=True)
    overdue_since = models.DateField(_("逾期标记日期"), null=True, blank=True)
    summary = models.OneToOneField(
        AnnualSummary, on_delete=models.SET_NULL, null=True, blank=True, related_name="duty"
    )

    class Meta:
        verbose_name = _("年度工作总结报送义务")
        verbose_name_plural = _("年度工作总结报送义务")
        ordering = ["certification", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "year"], name="cert_summary_duty_once")
        ]
        indexes = [models.Index(fields=["overdue_since", "summary"], name="cert_summary_overdue")]

    def __str__(self) -> str:
        return gettext("认定平台 #%(certification)s 报送%(year)s年度工作总结的义务") % {
            "certification": self.certification_id,
            "year": self.year,
        }

    @property
    def overdue(self) -> bool:
        return self.overdue_since is not None and self.summary_id is None


class SpotCheckRectification(models.Model):
    """What the platform reports it has rectified after a spot check (第十五条); one row per report."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="rectifications")
    text = models.TextField(_("整改情况"))
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("抽查整改报告")
        verbose_name_plural = _("抽查整改报告")
        ordering = ["spot_check", "created_at", "id"]

    def __str__(self) -> str:
        return gettext("抽查 #%(spot_check)s 的整改报告 #%(pk)s") % {
            "spot_check": self.spot_check_id,
            "pk": self.pk,
        }
