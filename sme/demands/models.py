"""Demands posted by SMEs (需求对接) and the proposals providers send in answer.

A :class:`Demand` is open for proposals until its deadline (inclusive); the enterprise accepts one
:class:`Proposal`, which becomes an order (``sme.orders``), and the other proposers are told. The
state machines are ``workflow.DEMAND`` and ``workflow.PROPOSAL`` (docs/workflows/demand.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel


class DemandStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")
    AWARDED = "awarded", _("已选定")
    WITHDRAWN = "withdrawn", _("已撤回")


class DemandVisibility(models.TextChoices):
    ALL = "all", _("所有服务机构")
    CERTIFIED = "certified", _("仅认定的服务机构")


class Demand(TimeStampedModel):
    enterprise = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("发布企业"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    # The enterprise's district when the demand was posted (the enterprise may move later).
    enterprise_district = models.ForeignKey(
        "regions.Region", verbose_name=_("企业所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.ServiceCategory", verbose_name=_("服务类别"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("需求名称"), max_length=120)
    description = models.TextField(_("需求描述"))
    budget_min = models.DecimalField(
        _("预算下限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("预算上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The last day proposals are taken and a proposal can be accepted; the daily job closes it after.
    deadline = models.DateField(_("截止日期"))
    # Where the service is needed (the enterprise's district unless the enterprise says otherwise).
    district = models.ForeignKey(
        "regions.Region", verbose_name=_("服务地点（区县）"), on_delete=models.PROTECT, related_name="+"
    )
    visibility = models.CharField(
        _("可见范围"), max_length=12, choices=DemandVisibility.choices, default=DemandVisibility.ALL
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    accepted_proposal = models.ForeignKey(
        "Proposal",
        verbose_name=_("选定的方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Moderation (sme.moderation calls services.demand_hide): hidden demands leave every list but the
    # enterprise's own and the officers'.
    is_hidden = models.BooleanField(_("已屏蔽"), default=False)
    hidden_reason = models.TextField(_("屏蔽理由"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(_("屏蔽时间"), null=True, blank=True)
    # For the enterprise's to-do ("N 条需求收到新方案"): newest proposal vs. last time it looked.
    last_proposal_at = models.DateTimeField(_("最近方案时间"), null=True, blank=True)
    proposals_seen_at = models.DateTimeField(_("企业查看方案时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("服务需求")
        verbose_name_plural = _("服务需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="demand_budget_min_le_max",
            ),
        ]
        indexes = [
            # Providers' list: open, not hidden, newest first (optionally by category or district).
            models.Index(fields=["status", "is_hidden", "-created_at", "-id"], name="demand_open_recent"),
            models.Index(fields=["status", "category", "-created_at"], name="demand_open_category"),
            models.Index(fields=["district", "status", "-created_at"], name="demand_district_status"),
            models.Index(fields=["enterprise", "-created_at", "-id"], name="demand_enterprise_recent"),
            # The daily job: open demands past their deadline.
            models.Index(fields=["status", "deadline"], name="demand_status_deadline"),
        ]

    def __str__(self) -> str:
        return gettext("服务需求「%(title)s」") % {"title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已中选")
    NOT_SELECTED = "not_selected", _("未中选")
    WITHDRAWN = "withdrawn", _("已撤回")


class Proposal(TimeStampedModel):
    demand = models.ForeignKey(
        Demand, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="proposals"
    )
    provider = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("服务机构"),
        on_delete=models.PROTECT,
        related_name="demand_proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    price = models.DecimalField(_("报价（元）"), max_digits=12, decimal_places=2)
    delivery_workdays = models.PositiveSmallIntegerField(_("交付时间（工作日）"))
    approach = models.TextField(_("服务方案"))
    status = models.CharField(
        _("状态"), max_length=14, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    shortlisted = models.BooleanField(_("入围"), default=False)
    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("订单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("服务方案")
        verbose_name_plural = _("服务方案")
        ordering = ["demand", "created_at", "id"]
        constraints = [
            # One live proposal per provider per demand; after withdrawing, the provider may send a new one.
            models.UniqueConstraint(
                fields=["demand", "provider"],
                condition=~Q(status="withdrawn"),
                name="proposal_live_once_per_provider",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "-created_at"], name="proposal_provider_recent"),
            models.Index(fields=["demand", "status"], name="proposal_demand_status"),
        ]

    def __str__(self) -> str:
        return gettext("%(provider)s 对「%(demand)s」的方案") % {
            "provider": self.provider.name,
            "demand": self.demand.title,
        }
