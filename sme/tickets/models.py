"""企业诉求: complaints about an order or a provider, and general requests to the authority.

A :class:`Ticket` is routed to a district (the provider's for complaints, the SME's for general
requests) and handled there until it is escalated to the city. Its time limits come from its
:class:`TicketType` (data with effective dates, ``data/ticket_types.json``) and are copied onto the
ticket when it is filed, with the due dates computed in working days, so a later change of the rules
never moves an existing ticket's deadlines. The state machine is ``workflow.TICKET``
(docs/workflows/ticket.md); the handling level has its own small table, ``workflow.HANDLING``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from sme.core import messages
from sme.core.files import StoredFile
from sme.core.models import TimeStampedModel


class TicketKind(models.TextChoices):
    ORDER_COMPLAINT = "order_complaint", _("投诉-订单")
    PROVIDER_COMPLAINT = "provider_complaint", _("投诉-服务机构")
    GENERAL = "general", _("一般诉求/咨询建议")


class TicketTypeQuerySet(models.QuerySet["TicketType"]):
    def in_force(self, on: dt.date) -> TicketTypeQuerySet:
        return self.filter(
            Q(effective_from__lte=on), Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        ).filter(is_active=True)


class TicketType(models.Model):
    """A kind of ticket and its time limits in working days, in force between two dates.

    Loaded from ``data/ticket_types.json`` after every migrate (upsert by ``key``). Changing a time limit
    for new tickets means a new key with its own ``effective_from``; tickets keep what they were filed under.
    """

    key = models.SlugField(_("代码"), max_length=60, unique=True)
    kind = models.CharField(_("诉求类别"), max_length=20, choices=TicketKind.choices)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    description_en = models.CharField(_("英文说明"), max_length=300, blank=True)
    acknowledge_workdays = models.PositiveSmallIntegerField(_("受理时限（工作日）"), default=1)
    answer_workdays = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=3)
    close_workdays = models.PositiveSmallIntegerField(_("办结时限（工作日）"), default=5)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = TicketTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求类型")
        verbose_name_plural = _("诉求类型")
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return gettext("诉求类型「%(name)s」") % {"name": self.name}

    @property
    def rule_label(self) -> str:
        """The rule's id, kept on the tickets filed under it (for the admin and the data's notes)."""
        return f"{self.key}@{self.effective_from.isoformat()}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language: the data carries both (English when it is active)."""
        return _in_language(self.name, self.name_en)

    @property
    def display_description(self) -> str:
        return _in_language(self.description, self.description_en)


def _in_language(chinese: str, english: str) -> str:
    return english if english and (get_language() or "").startswith("en") else chinese


class TicketStatus(models.TextChoices):
    FILED = "filed", _("待受理")
    ACKNOWLEDGED = "acknowledged", _("已受理")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (TicketStatus.FILED, TicketStatus.ACKNOWLEDGED, TicketStatus.ANSWERED)
# The enterprise may rate the handling within this many days of the ticket being closed.
RATING_WINDOW_DAYS = 30


class HandlingLevel(models.TextChoices):
    DISTRICT = "district", _("区县办理")
    CITY = "city", _("市级办理")


class Ticket(TimeStampedModel):
    number = models.CharField(_("诉求编号"), max_length=24, unique=True)
    ticket_type = models.ForeignKey(
        TicketType, verbose_name=_("诉求类型"), on_delete=models.PROTECT, related_name="tickets"
    )
    kind = models.CharField(_("诉求类别"), max_length=20, choices=TicketKind.choices)
    enterprise = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="tickets_filed",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("所投诉订单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    provider = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所投诉服务机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets_about",
    )
    subject = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("诉求内容"))
    # Routing: the provider's district for complaints, the SME's for general requests.
    district = models.ForeignKey(
        "regions.Region", verbose_name=_("承办区县"), on_delete=models.PROTECT, related_name="+"
    )
    handling_level = models.CharField(
        _("办理层级"), max_length=10, choices=HandlingLevel.choices, default=HandlingLevel.DISTRICT
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.FILED
    )

    # The rules the ticket was filed under (copied from its type), and the due dates they give.
    rule_version = models.CharField(_("适用规则"), max_length=80)
    acknowledge_workdays = models.PositiveSmallIntegerField(_("受理时限（工作日）"))
    answer_workdays = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    close_workdays = models.PositiveSmallIntegerField(_("办结时限（工作日）"))
    filed_at = models.DateTimeField(_("提交时间"))
    acknowledge_due = models.DateField(_("应受理日期"))
    answer_due = models.DateField(_("应答复日期"))
    close_due = models.DateField(_("应办结日期"))

    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("重新提出时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重新提出理由"), blank=True)
    escalated_at = models.DateTimeField(_("上报市级时间"), null=True, blank=True)
    escalation_reason = models.CharField(_("上报原因"), max_length=300, blank=True)
    # The same reason as a message (sme.core.messages), shown in the reader's language: the platform
    # writes it for an automatic escalation ("受理超时（应于…前受理）"); a person's note is kept as written.
    escalation_message = models.JSONField(_("上报原因（消息）"), default=dict, blank=True)

    satisfaction_stars = models.PositiveSmallIntegerField(_("办理评价（星）"), null=True, blank=True)
    satisfied = models.BooleanField(_("是否满意"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_stars__isnull=True)
                | Q(satisfaction_stars__gte=1, satisfaction_stars__lte=5),
                name="ticket_satisfaction_1_to_5",
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "-filed_at", "-id"], name="ticket_enterprise_recent"),
            models.Index(fields=["district", "status", "-filed_at"], name="ticket_district_status"),
            models.Index(fields=["status", "handling_level"], name="ticket_status_level"),
            models.Index(fields=["-filed_at", "-id"], name="ticket_recent"),
        ]

    def __str__(self) -> str:
        return gettext("诉求 %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_escalated(self) -> bool:
        return self.handling_level == HandlingLevel.CITY

    @property
    def escalation_text(self) -> str:
        """Why the ticket went to the city, in the reader's language."""
        return messages.render(self.escalation_message, fallback=self.escalation_reason)

    def stage_due(self) -> dt.date | None:
        """The due date of the stage the ticket is waiting in (None once closed or withdrawn)."""
        return {
            TicketStatus.FILED: self.acknowledge_due,
            TicketStatus.ACKNOWLEDGED: self.answer_due,
            TicketStatus.ANSWERED: self.close_due,
        }.get(TicketStatus(self.status))

    def is_overdue(self, today: dt.date) -> bool:
        due = self.stage_due()
        return due is not None and today > due


class TicketAttachment(StoredFile):
    """A file the enterprise attached when filing, stored with ``sme.core.files.store_upload`` and
    served by the one audited download view to whoever may see the ticket (``selectors``)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        ordering = ["ticket", "uploaded_at", "id"]

    def __str__(self) -> str:
        return gettext("诉求附件「%(label)s」") % {"label": self.label}


class TicketMonthFigures(models.Model):
    """Public monthly figures, pre-aggregated by ``ticket_figures_rebuild`` (and the daily job).

    ``district`` empty is the whole city. Filed counts tickets filed in the month; closed, on time and
    the satisfaction figures count tickets closed in the month (their rating, whenever it came).
    """

    month = models.DateField(_("月份"), help_text=_("当月1日"))
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区县"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    filed = models.PositiveIntegerField(_("受理诉求数"), default=0)
    closed = models.PositiveIntegerField(_("办结数"), default=0)
    closed_on_time = models.PositiveIntegerField(_("按时办结数"), default=0)
    on_time_rate = models.DecimalField(_("按时办结率（%）"), max_digits=5, decimal_places=2, null=True)
    rated = models.PositiveIntegerField(_("评价数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意数"), default=0)
    satisfaction_rate = models.DecimalField(_("满意率（%）"), max_digits=5, decimal_places=2, null=True)
    average_stars = models.DecimalField(_("平均评价（星）"), max_digits=3, decimal_places=2, null=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("诉求月度数据")
        verbose_name_plural = _("诉求月度数据")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district"],
                condition=Q(district__isnull=False),
                name="ticket_figures_month_district_once",
            ),
            models.UniqueConstraint(
                fields=["month"], condition=Q(district__isnull=True), name="ticket_figures_month_city_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_id or 'city'}"
