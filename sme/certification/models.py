"""Certification of public service platforms (渝中小企〔2013〕24号 and schemes like it).

A :class:`Scheme` row is one version of a certification scheme, loaded from ``data/schemes/*.json``
or copied and edited by an administrator (第十七条). Everything decided under a scheme points at the
exact version it applied, so a 2013 application is judged by 2013 rules.

An :class:`Application` moves through ``workflow.APPLICATION``; a granted title becomes a
:class:`Certification`, which lives through yearly summaries, re-reviews every three years, spot
checks and, possibly, revocation (``workflow.CERTIFICATION``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel


class SchemeLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


class SchemeQuerySet(models.QuerySet["Scheme"]):
    def current(self) -> SchemeQuerySet:
        return self.filter(is_current=True)


class Scheme(TimeStampedModel):
    """One version of a certification scheme. Editing a scheme makes a new version; old ones stay."""

    code = models.SlugField(_("编码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("现行版本"), default=True)
    name = models.CharField(_("认定办法名称"), max_length=200)
    title = models.CharField(_("授予称号"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=SchemeLevel.choices)
    issuing_authority = models.CharField(_("发布机关"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    document_date = models.DateField(_("发文日期"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("适用地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("市级办法为全市，区县级办法为该区县；国家级留空"),
        related_name="+",
    )
    effective_from = models.DateField(_("施行日期"))
    effective_until = models.DateField(_("废止日期"), null=True, blank=True, help_text=_("当日起不再适用"))
    window_opens = models.CharField(_("申报开始（月-日）"), max_length=5, default="01-01")
    window_closes = models.CharField(_("申报截止（月-日）"), max_length=5, default="12-31")
    district_deadline_month = models.PositiveSmallIntegerField(_("区县推荐截止月份"), default=2)
    district_deadline_day = models.PositiveSmallIntegerField(
        _("区县推荐截止日"), null=True, blank=True, help_text=_("留空为该月最后一天（第九条：每年2月底前）")
    )
    notice_workdays = models.PositiveSmallIntegerField(_("公示工作日数"), default=7)
    notice_day_one_is_publication_day = models.BooleanField(
        _("发布当日计为公示第一天"),
        default=False,
        help_text=_("不勾选时，公示期从发布后的第一个工作日起算"),
    )
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=3)
    rereview_years = models.PositiveSmallIntegerField(_("复核周期（年）"), default=3)
    annual_summary_due = models.CharField(
        _("年度工作总结报送期限（月-日）"),
        max_length=5,
        default="03-31",
        help_text=_("次年该日前报送上一年度总结"),
    )
    zone_grouping = models.SlugField(_("分区方式"), max_length=60, blank=True)
    zone_reference_date = models.DateField(
        _("分区依据日期"), null=True, blank=True, help_text=_("按办法发布时的区域划分判断申报单位所在分区")
    )
    certificate_number_pattern = models.CharField(
        _("证书编号格式"),
        max_length=100,
        default="{year}-{seq:03d}",
        help_text=_("可用 {year}、{seq}、{code}"),
    )
    criteria = models.JSONField(_("认定条件"), default=list)
    categories = models.JSONField(_("服务功能类别"), default=list)
    materials = models.JSONField(_("申报材料"), default=list)
    expert_form = models.JSONField(_("专家评审表"), default=dict)
    annual_form = models.JSONField(_("年度运营情况测评表"), default=dict)
    source_note = models.TextField(_("来源说明"), blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("认定办法")
        verbose_name_plural = _("认定办法")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scheme_code_version_once"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="scheme_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on < self.effective_until)

    def material(self, key: str) -> dict[str, Any] | None:
        return next((m for m in self.materials if m.get("key") == key), None)

    def category_labels(self, keys: list[str]) -> list[str]:
        by_key = {c["key"]: c["label"] for c in self.categories}
        return [by_key.get(k, k) for k in keys]

    def district_deadline(self, year: int) -> dt.date:
        """The last day district recommendations are accepted for the round of ``year`` (第九条)."""
        month = self.district_deadline_month
        if self.district_deadline_day:
            return dt.date(year, month, self.district_deadline_day)
        first_of_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first_of_next - dt.timedelta(days=1)


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
        return f"{self.application_id}:{self.year}"

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
        return f"{self.application_id}#{self.number}"


class Material(models.Model):
    """One uploaded file in a material slot. Replacing it keeps the earlier file as a past version."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    slot = models.CharField(_("材料"), max_length=60)
    file = models.FileField(_("文件"), upload_to="certification/%Y/%m/", max_length=200)
    label = models.CharField(_("原文件名"), max_length=220)
    kind = models.CharField(_("类型"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("当前版本"), default=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

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
        return f"{self.slot} v{self.version} {self.label}"


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


class Notice(TimeStampedModel):
    """A public notice (公示) of an application approved by the city, on working days."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("发布日期"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    workdays = models.PositiveSmallIntegerField(_("公示工作日数"))
    closed_at = models.DateTimeField(_("结束处理时间"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"),
        max_length=16,
        blank=True,
        choices=[("granted", _("期满无异议，授予称号")), ("withdrawn", _("异议成立，撤回重审"))],
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["ends_on", "closed_at"], name="cert_notice_open")]

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


class CertificationStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REREVIEW = "rereview", _("复核中")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


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
        _("撤销依据"),
        max_length=16,
        blank=True,
        choices=[
            ("rereview", _("复核不合格（第十四条）")),
            ("fraud", _("弄虚作假（第十五条）")),
            ("spot_check", _("抽查整改不合格（第十五条）")),
        ],
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
    audit_report = models.FileField(
        _("上一年度服务收支专项审计报告"), upload_to="certification/rereview/%Y/", blank=True
    )
    audit_report_label = models.CharField(max_length=220, blank=True)
    audit_report_sha256 = models.CharField(max_length=64, blank=True)
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


# --- after certification (第十三条–第十五条): reminder bookkeeping, rectification reports ----------------
# Added for sme/certification/lifecycle.py; migration 0002_summary_duties_and_rectifications.


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
        return f"{self.certification_id} {self.year}"

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
        return f"{self.spot_check_id} {self.created_at:%Y-%m-%d}"
