"""The enterprise size standard (rules as data, with effective dates) and the industry code list.

Everything here is loaded from the data files in ``data/`` by ``loader.py`` after every ``migrate``;
the classifier itself is pure (``size_class.py``) and works on a snapshot built from these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeStandard(models.Model):
    """One version of the size standard, e.g. 工信部联企业〔2011〕300号, in force over a period."""

    version = models.SlugField(_("版本"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    document = models.CharField(_("文号"), max_length=100)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True, help_text=_("当日起不再适用"))
    industry_classification = models.CharField(_("行业分类标准"), max_length=40, blank=True)
    industry_map = models.JSONField(_("行业与分组对应"), default=list)
    unmapped_reason = models.CharField(_("未列明行业的说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业划型标准")
        verbose_name_plural = _("企业划型标准")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.document}）"


class SizeGroup(models.Model):
    """An industry group of a standard with its indicators and lower bounds per band."""

    standard = models.ForeignKey(
        SizeStandard, verbose_name=_("划型标准"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("行业组"), max_length=50)
    indicators = models.JSONField(_("指标"), default=list)
    thresholds = models.JSONField(
        _("各档下限"), default=dict, help_text=_("{档: {指标: 下限}}，档为 large、medium、small")
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("划型行业组")
        verbose_name_plural = _("划型行业组")
        ordering = ["standard", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="size_group_number_once")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class IndustryCode(models.Model):
    """A GB/T 4754-2017 code: 门类 (letter), 大类 (2 digits) or 中类 (3 digits)."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")

    code = models.CharField(_("代码"), max_length=4, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unconfirmed = models.BooleanField(_("名称待核对"), default=False)

    class Meta:
        verbose_name = _("行业代码")
        verbose_name_plural = _("行业代码")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
