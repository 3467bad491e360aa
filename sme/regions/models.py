"""Administrative divisions with their code history, and zone groupings (一圈两翼, 五大功能区, …).

A division code can be reused over time (500110 was 万盛区 until 2011, then 綦江区), so a row is one
division during one period: ``(code, valid_from)`` identifies it, ``successor`` points to what it
became. Everything here is loaded from the data files in ``data/`` (see ``loader.py``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sme.core import clock


def in_force(on: dt.date, prefix: str = "") -> Q:
    """Rows valid on ``on``: ``valid_from <= on < valid_to`` (open ends allowed)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


class RegionQuerySet(models.QuerySet["Region"]):
    def current(self, on: dt.date | None = None) -> RegionQuerySet:
        return self.filter(in_force(on or clock.today()))

    def districts(self) -> RegionQuerySet:
        return self.filter(level__in=[Region.Level.DISTRICT, Region.Level.FUNCTIONAL_ZONE])


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        DISTRICT = "district", _("区县")
        FUNCTIONAL_ZONE = "functional_zone", _("功能区")

    key = models.SlugField(
        _("标识"), max_length=40, unique=True, help_text=_("数据文件中的唯一标识，不随更名改变")
    )
    code = models.CharField(_("区划代码"), max_length=6, blank=True, db_index=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True, help_text=_("当日起不再有效"))
    successor = models.ForeignKey(
        "self",
        verbose_name=_("继承区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["sort_order", "code", "valid_from"]
        indexes = [models.Index(fields=["parent", "level"], name="region_parent_level")]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or clock.today()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on < self.valid_to
        )

    def ancestors(self) -> list[Region]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class ZoneGrouping(models.Model):
    """A way of grouping divisions into zones, e.g. 一圈两翼 or 五大功能区."""

    key = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    valid_from = models.DateField(_("提出日期"), null=True, blank=True)
    valid_to = models.DateField(_("停止使用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("区域划分方式")
        verbose_name_plural = _("区域划分方式")

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A zone within a grouping; zones nest (两翼 holds 渝东北翼 and 渝东南翼)."""

    grouping = models.ForeignKey(
        ZoneGrouping, verbose_name=_("划分方式"), on_delete=models.CASCADE, related_name="zones"
    )
    key = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区域"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["grouping", "sort_order"]

    def __str__(self) -> str:
        return self.name


class ZoneMembership(models.Model):
    zone = models.ForeignKey(
        Zone, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="zone_memberships"
    )
    valid_from = models.DateField(_("起"), null=True, blank=True)
    valid_to = models.DateField(_("止"), null=True, blank=True)

    class Meta:
        verbose_name = _("区域成员")
        verbose_name_plural = _("区域成员")
        constraints = [models.UniqueConstraint(fields=["zone", "region"], name="zone_member_once")]

    def __str__(self) -> str:
        return _("%(zone)s：%(region)s") % {"zone": self.zone, "region": self.region}
