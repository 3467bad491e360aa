"""Pre-aggregated tables for the dashboards (design: a page never aggregates live rows on load).

:class:`ScopedFigure` holds the landing page's figures: for every region an officer can have as a
jurisdiction (each district, and the city), every registered figure (``sme.core.figures``) split by
part, as of the day it was rebuilt. ``services.figures_rebuild`` rewrites it every day and on
demand (``manage.py rebuild_figures``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopedFigure(models.Model):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("指标"), max_length=60)
    part = models.CharField(_("分项"), max_length=60, blank=True)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=3)
    as_of = models.DateField(_("统计日期"))
    rebuilt_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("工作台统计数")
        verbose_name_plural = _("工作台统计数")
        ordering = ["region", "key", "part"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key", "part"], name="scoped_figure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.key}/{self.part or '-'} = {self.value}"
