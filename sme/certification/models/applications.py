"""Applications for a title: the 申请报告, its yearly figures, its revisions and uploaded materials.

An :class:`Application` moves through ``workflow.APPLICATION``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.files import StoredFile
from sme.core.models import TimeStampedModel

from .schemes import Scheme


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("区县审查中")
    RETURNED = "returned", _("退回补充材料")
    RECOMMENDED = "recommended", _("已推荐至市级")
    CITY_REVIEW = "city_review", _("市级评审中")
    NOTICE = "notice", _("公示中")
    CERTIFIED = "certified", _("已认定")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Application(TimeStampedModel):
    """A provider organization's application under one scheme version, with its 申请报告."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("认定办法"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="certification_applications",
    )
    district = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    reference = models.CharField(_("申报编号"), max_length=30, unique=True)
    round_year = models.PositiveSmallIntegerField(_("评审年度"), null=True, blank=True)
    # The 申请报告 (第八条（一）): the organization's facts as declared, the platform's description and
    # the function categories it applies for. Yearly figures are ApplicationYear rows.
    platform_name = models.CharField(_("平台名称"), max_length=200)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    address = models.CharField(_("经营服务场所地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    service_area = models.TextField(_("服务的区域或行业"), blank=True, help_text=_("第五条（二）"))
    facilities = models.TextField(_("服务场所与设施"), blank=True, help_text=_("第五条（三）"))
    management_system = models.TextField(
        _("管理制度、服务流程与收费标准"), blank=True, help_text=_("第五条（五）")
    )
    leadership = models.TextField(_("主要负责人情况"), blank=True, help_text=_("第五条（六）"))
    description = models.TextField(_("平台简介与服务业绩"), blank=True)
    categories = models.JSONField(_("申报服务功能类别"), default=list)
    extra_figures = models.JSONField(_("其他条件数据"), default=dict, blank=True)
    declaration_name = models.CharField(_("声明人（法定代表人）"), max_length=50, blank=True)
    declaration_date = models.DateField(_("声明日期"), null=True, blank=True)
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    recommended_at = models.DateTimeField(_("推荐时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("最近一次决定的理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["district", "status", "-submitted_at", "-id"], name="cert_app_district_queue"
            ),
            models.Index(fields=["status", "-submitted_at", "-id"], name="cert_app_status_queue"),
            models.Index(fields=["organization", "-created_at"], name="cert_app_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.platform_name}"

    @classmethod
    def field_label(cls, name: str) -> str:
        return str(getattr(cls._meta.get_field(name), "verbose_name", name))

    @classmethod
    def field_max_length(cls, name: str) -> int | None:
        return getattr(cls._meta.get_field(name), "max_length", None)

    @property
    def editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationYear(models.Model):
    """The service figures of one year in the application report (the last three years)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("年度"))
    smes_served = models.PositiveIntegerField(_("服务中小企业数（家）"), null=True, blank=True)
    satisfaction_percent = models.DecimalField(
        _("用户满意度（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    revenue_wan = models.DecimalField(
        _("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    service_revenue_wan = models.DecimalField(
        _("服务收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    staff_total = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    staff_qualified = models.PositiveIntegerField(
        _("其中大专及以上学历或中级及以上职称（人）"), null=True, blank=True
    )
    assets_wan = models.DecimalField(
        _("资产总额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("申报年度数据")
        verbose_name_plural = _("申报年度数据")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="cert_app_year_once")]

    def __str__(self) -> str:
        return gettext("申请 #%(application)s 的%(year)s年数据") % {
            "application": self.application_id,
            "year": self.year,
        }

    @classmethod
    def figure_label(cls, name: str) -> str:
        return str(getattr(cls._meta.get_field(name), "verbose_name", name))

    FIGURE_FIELDS = (
        "smes_served",
        "satisfaction_percent",
        "revenue_wan",
        "service_revenue_wan",
        "staff_total",
        "staff_qualified",
        "assets_wan",
    )


class ApplicationRevision(models.Model):
    """What the application said each time it was submitted, for the diff a reviewer sees."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("第几次提交"))
    snapshot = models.JSONField(_("申请内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="cert_app_revision_once")
        ]

    def __str__(self) -> str:
        return gettext("申请 #%(application)s 第%(number)s次提交") % {
            "application": self.application_id,
            "number": self.number,
        }


class Material(StoredFile):
    """One uploaded file in a material slot. Replacing it keeps the earlier file as a past version."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    slot = models.CharField(_("材料"), max_length=60)
    label = models.CharField(_("原文件名"), max_length=220)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("当前版本"), default=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["application", "slot", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slot", "version"], name="cert_material_version_once"
            ),
        ]
        indexes = [models.Index(fields=["application", "is_current"], name="cert_material_current")]

    def __str__(self) -> str:
        return gettext("申报材料「%(slot)s」第%(version)s版：%(label)s（申请 #%(application)s）") % {
            "slot": self.slot,
            "version": self.version,
            "label": self.label,
            "application": self.application_id,
        }
