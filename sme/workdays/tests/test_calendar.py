"""The working-day calendar, with dates checked by hand against the State Council schedules.

Every expected date below was also checked day by day with ``chinese_calendar.is_workday`` (1.11.0).
Schedules used:

- 国庆节 2024 (国办发明电〔2023〕7号): Oct 1–7 off; Sunday Sep 29 and Saturday Oct 12 are 调休 working days.
- 春节 2025 (国办发明电〔2024〕12号): Jan 28–Feb 4 off; Sunday Jan 26 and Saturday Feb 8 are 调休 working days.
- 劳动节 2024 (国办发明电〔2023〕7号): May 1–5 off; Saturday May 11 is a 调休 working day.
"""

from __future__ import annotations

from datetime import date

import pytest

from sme.workdays.calendar import (
    CalendarNotCovered,
    add_workdays,
    is_workday,
    library_years,
    workdays_between,
)
from sme.workdays.models import CoveredYear, HolidayOverride

pytestmark = pytest.mark.django_db


def test_library_covers_2004_to_2026():
    assert library_years() == (2004, 2026)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 28), False),  # Saturday, ordinary weekend
        (date(2024, 9, 29), True),  # Sunday, 调休 working day before 国庆节
        (date(2024, 10, 1), False),  # 国庆节
        (date(2024, 10, 7), False),  # last day of the 国庆 holiday (a Monday)
        (date(2024, 10, 12), True),  # Saturday, 调休 working day after 国庆节
        (date(2025, 1, 26), True),  # Sunday, 调休 working day before 春节
        (date(2025, 2, 4), False),  # last day of the 春节 holiday (a Tuesday)
        (date(2025, 2, 8), True),  # Saturday, 调休 working day after 春节
        (date(2024, 5, 15), True),  # an ordinary Wednesday
    ],
)
def test_is_workday(day, expected):
    assert is_workday(day) is expected


def test_seven_working_days_across_national_day_2024():
    # Published Friday 2024-09-27, which is not counted:
    # 1 Sun 09-29 (调休), 2 Mon 09-30, [Oct 1–7 off], 3 Tue 10-08, 4 Wed 10-09, 5 Thu 10-10,
    # 6 Fri 10-11, 7 Sat 10-12 (调休).
    assert add_workdays(date(2024, 9, 27), 7) == date(2024, 10, 12)


def test_seven_working_days_across_spring_festival_2025():
    # Published Friday 2025-01-24, not counted; Sat 01-25 is off:
    # 1 Sun 01-26 (调休), 2 Mon 01-27, [Jan 28–Feb 4 off], 3 Wed 02-05, 4 Thu 02-06, 5 Fri 02-07,
    # 6 Sat 02-08 (调休), [Sun 02-09 off], 7 Mon 02-10.
    assert add_workdays(date(2025, 1, 24), 7) == date(2025, 2, 10)


def test_plain_week():
    # Monday 2024-05-13, no holiday nearby: Tue 14, Wed 15, Thu 16, Fri 17, [weekend], Mon 20.
    assert add_workdays(date(2024, 5, 13), 5) == date(2024, 5, 20)


def test_friday_start_skips_the_weekend():
    # Friday 2024-05-17: Sat 18 and Sun 19 are off, so the next working day is Monday 20.
    assert add_workdays(date(2024, 5, 17), 1) == date(2024, 5, 20)


def test_friday_start_before_a_tiaoxiu_saturday():
    # Friday 2024-05-10: Saturday 05-11 is the 调休 working day after 劳动节.
    assert add_workdays(date(2024, 5, 10), 1) == date(2024, 5, 11)


def test_zero_days_is_the_start_itself_even_on_a_holiday():
    assert add_workdays(date(2024, 5, 13), 0) == date(2024, 5, 13)
    assert add_workdays(date(2024, 10, 1), 0) == date(2024, 10, 1)


def test_start_on_a_holiday():
    # 2024-10-01 is 国庆节; the first working day after it is Tue 10-08.
    assert add_workdays(date(2024, 10, 1), 1) == date(2024, 10, 8)


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_workdays(date(2024, 5, 13), -1)


def test_workdays_between_is_the_inverse_of_add_workdays():
    assert workdays_between(date(2024, 9, 27), date(2024, 10, 12)) == 7
    assert workdays_between(date(2025, 1, 24), date(2025, 2, 10)) == 7
    # Oct 1–7 2024 are all off: nothing after 09-30 up to 10-07.
    assert workdays_between(date(2024, 9, 30), date(2024, 10, 7)) == 0
    assert workdays_between(date(2024, 5, 13), date(2024, 5, 13)) == 0
    assert workdays_between(date(2024, 10, 12), date(2024, 9, 27)) == -7


def test_override_makes_a_working_day_a_holiday():
    # Tue 2024-10-08 made a holiday: 1 Sun 09-29, 2 Mon 09-30, 3 Wed 10-09, 4 Thu 10-10,
    # 5 Fri 10-11, 6 Sat 10-12 (调休), [Sun 10-13 off], 7 Mon 10-14.
    HolidayOverride.objects.create(date=date(2024, 10, 8), is_workday=False, name="测试放假")
    assert is_workday(date(2024, 10, 8)) is False
    assert add_workdays(date(2024, 9, 27), 7) == date(2024, 10, 14)


def test_override_makes_a_weekend_a_working_day():
    # Sat 2024-09-28 made a working day: 1 Sat 09-28, 2 Sun 09-29, 3 Mon 09-30, 4 Tue 10-08,
    # 5 Wed 10-09, 6 Thu 10-10, 7 Fri 10-11.
    HolidayOverride.objects.create(date=date(2024, 9, 28), is_workday=True, name="调休上班")
    assert is_workday(date(2024, 9, 28)) is True
    assert add_workdays(date(2024, 9, 27), 7) == date(2024, 10, 11)


@pytest.mark.parametrize("day", [date(2003, 12, 31), date(2027, 3, 1)])
def test_year_outside_coverage_is_refused(day):
    with pytest.raises(CalendarNotCovered) as info:
        is_workday(day)
    assert info.value.year == day.year
    assert isinstance(info.value, ValueError)
    assert str(info.value) == (
        f"工作日历尚未覆盖{day.year}年：请平台管理员录入国务院公布的{day.year}年节假日安排"
    )


def test_counting_into_an_uncovered_year_is_refused():
    # Fri 2026-12-25: Mon 12-28 … Thu 12-31 are working days 1–4; the 5th would fall in 2027.
    assert add_workdays(date(2026, 12, 25), 4) == date(2026, 12, 31)
    with pytest.raises(CalendarNotCovered) as info:
        add_workdays(date(2026, 12, 25), 7)
    assert info.value.year == 2027


def _enter_2027_new_year() -> None:
    # Test data only (not the real 2027 schedule): Friday 2027-01-01 元旦 off.
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")


def test_year_covered_by_overrides_marked_complete():
    _enter_2027_new_year()
    CoveredYear.objects.create(year=2027, note="测试")
    assert is_workday(date(2027, 1, 1)) is False  # the override
    assert is_workday(date(2027, 1, 2)) is False  # Saturday, Monday–Friday rule
    assert is_workday(date(2027, 3, 1)) is True  # Monday, Monday–Friday rule
    # Wed 2026-12-30 (library year): 1 Thu 12-31, [Fri 01-01 元旦, weekend], 2 Mon 01-04, 3 Tue 01-05.
    assert add_workdays(date(2026, 12, 30), 3) == date(2027, 1, 5)


def test_overrides_without_the_complete_mark_do_not_cover_the_year():
    _enter_2027_new_year()
    assert is_workday(date(2027, 1, 1)) is False  # an entered date still answers for itself
    with pytest.raises(CalendarNotCovered):
        is_workday(date(2027, 3, 1))
    with pytest.raises(CalendarNotCovered):
        add_workdays(date(2026, 12, 30), 3)


def test_complete_mark_without_overrides_does_not_cover_the_year():
    CoveredYear.objects.create(year=2027)
    with pytest.raises(CalendarNotCovered):
        is_workday(date(2027, 3, 1))


def test_overrides_are_read_once_per_year(django_assert_max_num_queries):
    # 250 working days from mid-2025 walk into 2026: two years, one override query each, no more.
    with django_assert_max_num_queries(2):
        end = add_workdays(date(2025, 6, 2), 250)
    assert end.year == 2026
