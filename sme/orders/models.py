"""Service orders from SMEs, their delivery and ratings, and providers' measured yearly figures.

An :class:`Order` is the contract record: ``snapshot`` keeps the five disclosures and the price the
enterprise agreed to, so later edits of the service never change it. The state machine is
``workflow.ORDER`` (docs/workflows/order.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.files import StoredFile
from sme.core.models import TimeStampedModel


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待接单")
    ACCEPTED = "accepted", _("已接单")
    DECLINED = "declined", _("已拒绝")
    IN_PROGRESS = "in_progress", _("服务中")
    DELIVERED = "delivered", _("待验收")
    DISPUTED = "disputed", _("有异议")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Order(TimeStampedModel):
    number = models.CharField(_("订单号"), max_length=24, unique=True)
    enterprise = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="orders_placed",
    )
    provider = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("服务机构"),
        on_delete=models.PROTECT,
        related_name="orders_received",
    )
    # Copied at creation: the provider's district (the officer who watches the order) and the SME's.
    provider_district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    enterprise_district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # From the catalogue, or empty when the order came from an accepted demand proposal.
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("服务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    service_revision = models.ForeignKey(
        "catalog.ServiceRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("服务名称"), max_length=120)
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        verbose_name=_("服务类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The five disclosures and the terms as the enterprise saw them when ordering (the contract record).
    snapshot = models.JSONField(_("下单时的服务信息"), default=dict)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2, default=1)
    agreed_price = models.DecimalField(_("约定价格（元）"), max_digits=12, decimal_places=2)
    small_micro_price_applied = models.BooleanField(_("适用小微企业优惠价"), default=False)
    requirements = models.TextField(_("需求说明"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # The member who placed the order: with the enterprise's owners and administrators, they act for it.
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下单人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    status = models.CharField(
        _("状态"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("下单时间"))
    respond_by = models.DateField(_("应答截止日"), null=True, blank=True)
    deliver_by = models.DateField(_("应交付日"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("超时标记时间"), null=True, blank=True)
    delivered_on_time = models.BooleanField(_("按时交付"), null=True, blank=True)
    decline_reason = models.TextField(_("拒绝理由"), blank=True)
    delivery_note = models.TextField(_("交付说明"), blank=True)
    dispute_reason = models.TextField(_("异议理由"), blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)
    # After acceptance a cancellation needs both sides: the side asking is recorded here until the other agrees.
    cancel_requested_by = models.CharField(_("取消申请方"), max_length=12, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("服务订单")
        verbose_name_plural = _("服务订单")
        indexes = [
            models.Index(fields=["enterprise", "-submitted_at", "-id"], name="order_enterprise_recent"),
            models.Index(fields=["provider", "-submitted_at", "-id"], name="order_provider_recent"),
            models.Index(fields=["provider", "status", "completed_at"], name="order_provider_status"),
            models.Index(
                fields=["provider_district", "status", "-submitted_at"], name="order_district_status"
            ),
            models.Index(fields=["status", "respond_by"], name="order_status_respond_by"),
            models.Index(fields=["status", "completed_at"], name="order_status_completed"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", args=[self.pk])


class OrderFile(StoredFile):
    """A file delivered with the order (``sme.core.files``: checked by content, served by the one
    audited download view to the order's parties and the officers in its scope)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("订单文件")
        verbose_name_plural = _("订单文件")
        ordering = ["order", "uploaded_at"]


class Rating(models.Model):
    """The ordering enterprise's one rating of a completed order, within 30 days; one provider reply."""

    order = models.OneToOneField(
        Order, verbose_name=_("订单"), on_delete=models.PROTECT, related_name="rating"
    )
    enterprise = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="ratings_received"
    )
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    quality = models.PositiveSmallIntegerField(_("服务质量"))
    timeliness = models.PositiveSmallIntegerField(_("及时性"))
    attitude = models.PositiveSmallIntegerField(_("服务态度"))
    satisfied = models.BooleanField(_("是否满意"))
    comment = models.TextField(_("评价内容"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True, db_index=True)
    reply = models.TextField(_("机构回复"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    # Hidden by an officer after a report (sme.moderation), with the reason; hidden ratings leave the figures.
    is_hidden = models.BooleanField(_("已屏蔽"), default=False)
    hidden_reason = models.TextField(_("屏蔽理由"), blank=True)
    # The provider's reply can be hidden on its own (a report of the reply, not of the rating).
    reply_hidden = models.BooleanField(_("回复已屏蔽"), default=False)
    reply_hidden_reason = models.TextField(_("回复屏蔽理由"), blank=True)

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quality__gte=1, quality__lte=5)
                & models.Q(timeliness__gte=1, timeliness__lte=5)
                & models.Q(attitude__gte=1, attitude__lte=5),
                name="rating_stars_1_to_5",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "is_hidden", "-created_at"], name="rating_provider_recent"),
            models.Index(fields=["service", "is_hidden", "-created_at"], name="rating_service_recent"),
        ]

    def __str__(self) -> str:
        return gettext("订单%(number)s的评价") % {"number": self.order.number}

    @property
    def stars(self) -> float:
        return (self.quality + self.timeliness + self.attitude) / 3


class ProviderYearFigures(models.Model):
    """A provider's measured figures for one calendar year, pre-aggregated by ``provider_figures_rebuild``.

    These are the figures the certification conditions ask for (SMEs served a year, satisfaction ≥ 80%).
    """

    provider = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="provider_year_figures"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    smes_served = models.PositiveIntegerField(_("服务中小企业数（家）"), default=0)
    orders_completed = models.PositiveIntegerField(_("完成订单数"), default=0)
    ratings = models.PositiveIntegerField(_("评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意评价数"), default=0)
    satisfaction_rate = models.DecimalField(
        _("满意率（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    average_stars = models.DecimalField(_("平均星级"), max_digits=3, decimal_places=2, null=True, blank=True)
    delivered_with_deadline = models.PositiveIntegerField(_("有交付时限的完成订单数"), default=0)
    delivered_on_time = models.PositiveIntegerField(_("按时交付数"), default=0)
    on_time_rate = models.DecimalField(
        _("按时交付率（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("服务机构年度服务数据")
        verbose_name_plural = _("服务机构年度服务数据")
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="provider_year_figures_once")
        ]
        ordering = ["provider", "-year"]

    def __str__(self) -> str:
        return gettext("服务机构#%(provider)s的%(year)s年度数据") % {
            "provider": self.provider_id,
            "year": self.year,
        }
