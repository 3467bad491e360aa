"""Administrator-entered corrections and additions to the statutory working-day calendar.

The library behind :mod:`sme.workdays.calendar` knows the State Council schedules it was released
with. Each November the State Council publishes next year's 节假日安排; until a library release
covers it, an administrator enters every holiday and every 调休 working day of that year here and then
marks the year complete (:class:`CoveredYear`). A year the library does not know counts as covered only
once both are done; until then the calendar refuses to answer for it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是工作日"),
        help_text=_("勾选：这一天上班（如周末调休上班）；不勾选：这一天放假。"),
    )
    name = models.CharField(_("名称"), max_length=50, help_text=_("如：春节、国庆节、调休上班。"))
    note = models.TextField(_("备注"), blank=True)
    source_document = models.CharField(
        _("依据文件"),
        max_length=200,
        blank=True,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("放假")
        return _("%(date)s %(name)s（%(kind)s）") % {
            "date": self.date.isoformat(),
            "name": self.name,
            "kind": kind,
        }


class CoveredYear(models.Model):
    """A year whose holidays and 调休 working days have all been entered as overrides."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已录入完整的年份")
        verbose_name_plural = _("已录入完整的年份")

    def __str__(self) -> str:
        return _("%(year)s年（节假日已录入完整）") % {"year": self.year}
