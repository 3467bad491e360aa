"""Providers' services with the five disclosures (五公开: 内容、流程、标准、收费、时间).

A :class:`Service` is the listing; every edit is a :class:`ServiceRevision`, kept forever. The public
catalogue shows the revision in ``Service.published_revision`` only: the first publication, and any
later change to the fee or the time, waits for an officer of the provider's district to approve it.
The listing columns on :class:`Service` (title, category, fee, districts, rating) are copied from the
published revision when it is approved, so the catalogue filters and sorts one table.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sme.core.files import StoredFile
from sme.core.models import TimeStampedModel


class ServiceCategory(models.Model):
    """The seven service functions of seed 002 三（九） plus 设备共享, with sub-categories (seed 000 （十九）).

    Shipped as data (``data/categories.json``) and loaded after migrate; ``key`` is stable.
    """

    key = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    source = models.CharField(_("依据"), max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class FeeType(models.TextChoices):
    FIXED = "fixed", _("固定价格")
    RANGE = "range", _("价格区间")
    PER_UNIT = "per_unit", _("按量计价")
    FREE = "free", _("免费（公益）")


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")  # first publication awaiting the district officer
    PUBLISHED = "published", _("已发布")
    SUSPENDED = "suspended", _("已暂停")  # by an officer, with a reason
    WITHDRAWN = "withdrawn", _("已下架")  # by the provider


class Service(TimeStampedModel):
    provider = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("服务机构"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    # The provider's district, copied for the officer's scope and the catalogue's district facet.
    provider_district = models.ForeignKey(
        "regions.Region", verbose_name=_("机构所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.DRAFT, db_index=True
    )
    published_revision = models.ForeignKey(
        "ServiceRevision",
        verbose_name=_("已发布版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Listing columns, copied from the published revision (empty until the first approval).
    title = models.CharField(_("服务名称"), max_length=120, blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("服务类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    top_category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("服务功能"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fee_type = models.CharField(_("收费方式"), max_length=10, choices=FeeType.choices, blank=True)
    # The lowest and highest price a buyer can face, in 元, for the fee facet and price sort (0 when free).
    price_low = models.DecimalField(
        _("最低价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_high = models.DecimalField(
        _("最高价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    serves_all_districts = models.BooleanField(_("服务全市"), default=False)
    districts = models.ManyToManyField(
        "regions.Region", verbose_name=_("服务区县"), blank=True, related_name="+", through="ServiceDistrict"
    )
    published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    # Kept by the orders app when a rating is written or hidden (never computed on page load).
    rating_count = models.PositiveIntegerField(_("评价数"), default=0)
    rating_average = models.DecimalField(_("平均评分"), max_digits=3, decimal_places=2, null=True, blank=True)
    orders_completed = models.PositiveIntegerField(_("完成订单数"), default=0)
    suspension_reason = models.TextField(_("暂停原因"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    # Not a column: the districts a catalogue line names, set by ``selectors.listing_rows``.
    listed_districts: list[Any]

    class Meta:
        verbose_name = _("服务")
        verbose_name_plural = _("服务")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="service_status_recent"),
            models.Index(
                fields=["status", "category", "-published_at", "-id"], name="service_status_category"
            ),
            models.Index(
                fields=["status", "top_category", "-published_at", "-id"], name="service_status_top"
            ),
            models.Index(fields=["status", "price_low", "id"], name="service_status_price"),
            models.Index(fields=["status", "-rating_average", "-id"], name="service_status_rating"),
            # The rating sort puts unrated services last (NULLS LAST); PostgreSQL gets a matching index
            # in migration 0003 (SQLite cannot declare one, and sorts NULL last in DESC anyway).
            models.Index(fields=["status", "-orders_completed", "-id"], name="service_status_orders"),
            models.Index(fields=["status", "-price_high", "-id"], name="service_status_price_high"),
            # A category's services in each sort order (newest is above; the rating sort's are
            # PostgreSQL-only, NULLS LAST, in migration 0005).
            models.Index(fields=["status", "top_category", "price_low", "id"], name="service_top_price"),
            models.Index(fields=["status", "category", "price_low", "id"], name="service_leaf_price"),
            models.Index(
                fields=["status", "top_category", "-price_high", "-id"], name="service_top_price_high"
            ),
            models.Index(fields=["status", "category", "-price_high", "-id"], name="service_leaf_price_high"),
            models.Index(
                fields=["status", "top_category", "-orders_completed", "-id"], name="service_top_orders"
            ),
            models.Index(
                fields=["status", "category", "-orders_completed", "-id"], name="service_leaf_orders"
            ),
            models.Index(fields=["provider", "status"], name="service_provider_status"),
            models.Index(fields=["provider_district", "status"], name="service_district_status"),
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_first_publication(self) -> bool:
        """Nothing of the service was ever published: a revision waiting for approval is its first
        publication, not a change of the fee or the time."""
        return self.published_revision_id is None


class ServiceDistrict(models.Model):
    """A district a published service is offered in (copied from the published revision)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "district"], name="service_district_once")]
        indexes = [models.Index(fields=["district", "service"], name="service_district_lookup")]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.district_id}"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已退回")
    SUPERSEDED = "superseded", _("已被替代")


class ServiceRevision(models.Model):
    """One numbered version of a service's five disclosures. Never edited once submitted."""

    service = models.ForeignKey(
        Service, verbose_name=_("服务"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    # Whether this revision needs an officer (first publication, or the fee or time changed).
    needs_approval = models.BooleanField(_("需审核"), default=True)
    changed_fields = models.JSONField(_("变更项"), default=list, blank=True)

    title = models.CharField(_("服务名称"), max_length=120)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("服务类别"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("一句话简介"), max_length=200, blank=True)
    # 内容公开: what is delivered
    content = models.TextField(_("服务内容"), blank=True)
    # 流程公开: ordered steps, a list of strings
    process_steps = models.JSONField(_("服务流程"), default=list, blank=True)
    # 标准公开: deliverables and the quality standard met
    deliverables = models.TextField(_("交付成果"), blank=True)
    quality_standard = models.TextField(_("质量标准"), blank=True)
    # 收费公开
    fee_type = models.CharField(_("收费方式"), max_length=10, choices=FeeType.choices, blank=True)
    fee_amount = models.DecimalField(_("价格（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_min = models.DecimalField(_("最低价（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_max = models.DecimalField(_("最高价（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_unit = models.CharField(_("计价单位"), max_length=20, blank=True)
    fee_note = models.CharField(_("收费说明"), max_length=300, blank=True)
    small_micro_price = models.DecimalField(
        _("小微企业优惠价（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # 时间公开
    response_workdays = models.PositiveSmallIntegerField(_("响应时限（工作日）"), null=True, blank=True)
    delivery_workdays = models.PositiveSmallIntegerField(_("交付时间（工作日）"), null=True, blank=True)
    service_hours = models.CharField(_("服务时间"), max_length=100, blank=True)
    # 服务区域: where the service is offered. An enterprise of another district may still order it,
    # after confirming that it knows (sme.orders), unless the provider says it serves only these.
    serves_all_districts = models.BooleanField(_("服务全市"), default=False)
    district_ids = models.JSONField(_("服务区县"), default=list, blank=True)
    districts_only = models.BooleanField(_("只接受服务区县内企业的订单"), default=False, db_default=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("服务版本")
        verbose_name_plural = _("服务版本")
        ordering = ["service", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="service_revision_once")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="service_revision_queue")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def is_offered_in(self, district_id: int | None) -> bool:
        """Whether the revision names ``district_id`` among its districts (or serves the whole city)."""
        if self.serves_all_districts:
            return True
        return district_id is not None and district_id in {int(d) for d in (self.district_ids or [])}

    @property
    def refuses_other_districts(self) -> bool:
        """The provider said it takes orders only from enterprises of its listed districts."""
        return self.districts_only and not self.serves_all_districts


class AttachmentKind(models.TextChoices):
    BROCHURE = "brochure", _("服务手册")
    SAMPLE_REPORT = "sample_report", _("样例报告")
    OTHER = "other", _("其他")


# What a brochure or sample report may be, decided from its bytes (sme.core.uploads).
ATTACHMENT_KINDS = ("pdf", "jpeg", "png", "docx")


class ServiceAttachment(StoredFile):
    """A brochure or sample report shown with the service (``sme.core.files``: checked by content,
    served by the one audited download view; public while the service is published and the file
    current, otherwise to the service's provider and officers)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=16, choices=AttachmentKind.choices)
    is_current = models.BooleanField(_("当前"), default=True)

    class Meta:
        verbose_name = _("服务附件")
        verbose_name_plural = _("服务附件")
        ordering = ["service", "kind", "-uploaded_at"]


class SubsidyCap(models.Model):
    """A subsidy (voucher) cap in force: a published price exactly at it is flagged for the authorities.

    Rules are data with effective dates (design.md); ``category`` empty means every category.
    """

    name = models.CharField(_("名称"), max_length=120)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("服务类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("补贴上限（元）"), max_digits=12, decimal_places=2)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("补贴上限")
        verbose_name_plural = _("补贴上限")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"
