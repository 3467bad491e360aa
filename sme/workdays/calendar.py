"""The Chinese statutory working-day calendar: the only module that talks to ``chinese_calendar``.

A date is answered, in order, by

1. a :class:`~sme.workdays.models.HolidayOverride` for that very date, if an administrator entered one;
2. the ``chinesecalendar`` library, for the years it was released with (it knows the 调休 weekend
   working days, e.g. Sunday 2024-09-29);
3. the plain Monday–Friday rule, for a year the library does not know but whose holidays and 调休 days
   an administrator has entered and marked complete (:class:`~sme.workdays.models.CoveredYear` plus at
   least one override in that year).

Anything else raises :class:`CalendarNotCovered`: the calendar never guesses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import chinese_calendar
from django.utils.translation import gettext

from .models import CoveredYear, HolidayOverride

ONE_DAY = datetime.timedelta(days=1)


class CalendarNotCovered(ValueError):
    """Neither the library nor a completed set of overrides covers ``year``."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            gettext("工作日历尚未覆盖%(year)s年：请平台管理员录入国务院公布的%(year)s年节假日安排")
            % {"year": year}
        )


def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def library_years() -> tuple[int, int]:
    """The first and last year the installed library covers (2004–2026 for chinesecalendar 1.11.0)."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


@dataclass
class _Year:
    overrides: dict[datetime.date, bool]
    library: bool
    complete: bool  # covered by overrides: at least one override and marked complete


@dataclass
class _Calendar:
    """One lookup's view of the data: each year's overrides are read once, not once per day."""

    years: dict[int, _Year] = field(default_factory=dict)

    def _year(self, year: int) -> _Year:
        data = self.years.get(year)
        if data is None:
            overrides = dict(
                HolidayOverride.objects.filter(date__year=year).values_list("date", "is_workday")
            )
            library = _library_covers(year)
            complete = not library and bool(overrides) and CoveredYear.objects.filter(year=year).exists()
            data = self.years[year] = _Year(overrides, library, complete)
        return data

    def is_workday(self, day: datetime.date) -> bool:
        if isinstance(day, datetime.datetime):
            day = day.date()
        data = self._year(day.year)
        if day in data.overrides:
            return data.overrides[day]
        if data.library:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError as exc:  # pragma: no cover - _library_covers said yes
                raise CalendarNotCovered(day.year) from exc
        if data.complete:
            return day.weekday() < 5
        raise CalendarNotCovered(day.year)


def is_workday(day: datetime.date) -> bool:
    """Whether ``day`` is a working day; :class:`CalendarNotCovered` if the calendar cannot say."""
    return _Calendar().is_workday(day)


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted); ``n=0`` is ``start``.

    A "7个工作日" notice published on ``start`` that counts from the next working day ends on
    ``add_workdays(start, 7)``. Raises :class:`CalendarNotCovered` as soon as the count walks into a
    year the calendar does not cover.
    """
    if n < 0:
        raise ValueError(gettext("工作日天数不能为负数"))
    calendar = _Calendar()
    day = start
    counted = 0
    while counted < n:
        if day == datetime.date.max:
            raise CalendarNotCovered(day.year + 1)
        day += ONE_DAY
        if calendar.is_workday(day):
            counted += 1
    return day


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """The number of working days after ``a`` up to and including ``b``; negative when ``b`` < ``a``.

    The inverse of :func:`add_workdays`: ``workdays_between(d, add_workdays(d, n)) == n`` for n ≥ 1.
    """
    if b < a:
        return -workdays_between(b, a)
    calendar = _Calendar()
    count = 0
    day = a
    while day < b:
        day += ONE_DAY
        if calendar.is_workday(day):
            count += 1
    return count
