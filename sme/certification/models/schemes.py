"""Certification schemes (渝中小企〔2013〕24号 and schemes like it) as versioned data.

A :class:`Scheme` row is one version of a certification scheme, loaded from ``data/schemes/*.json``
or copied and edited by an administrator (第十七条). Everything decided under a scheme points at the
exact version it applied, so a 2013 application is judged by 2013 rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel

from .. import names


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
    name_en = models.CharField(
        _("认定办法名称（英文释义）"), max_length=300, blank=True, help_text=_("英文界面在中文名称后显示")
    )
    title = models.CharField(_("授予称号"), max_length=100)
    title_en = models.CharField(
        _("授予称号（英文释义）"), max_length=200, blank=True, help_text=_("英文界面在中文称号后显示")
    )
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
    rereview_grace_days = models.PositiveSmallIntegerField(
        _("复核宽限期（天）"),
        default=30,
        help_text=_("有效期届满后，复核材料仍未报送的，宽限期满由平台定时任务将称号标记为已过期"),
    )
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

    @property
    def display_name(self) -> str:
        """The scheme's official name; in English followed by its gloss."""
        return names.official(self.name, self.name_en)

    @property
    def display_title(self) -> str:
        """The title it grants; in English followed by its gloss."""
        return names.official(self.title, self.title_en)

    def material(self, key: str) -> dict[str, Any] | None:
        return next((m for m in self.materials if m.get("key") == key), None)

    def material_label(self, key: str) -> str:
        """A material's name in the reader's language (its slot key for one the scheme no longer lists)."""
        return names.local(self.material(key)) or key

    def category_labels(self, keys: list[str]) -> list[str]:
        """The categories' names in the reader's language, in the order of ``keys``."""
        by_key = {c["key"]: names.local(c) for c in self.categories}
        return [by_key.get(k, k) for k in keys]

    def district_deadline(self, year: int) -> dt.date:
        """The last day district recommendations are accepted for the round of ``year`` (第九条)."""
        month = self.district_deadline_month
        if self.district_deadline_day:
            return dt.date(year, month, self.district_deadline_day)
        first_of_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        return first_of_next - dt.timedelta(days=1)

    def review_round(self, day: dt.date) -> int:
        """The review round a recommendation made on ``day`` joins: this year's until the district
        deadline (第九条：每年2月底前), next year's after it."""
        return day.year if day <= self.district_deadline(day.year) else day.year + 1
