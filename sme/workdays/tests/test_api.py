"""``GET /api/v1/tools/workdays/add?date=YYYY-MM-DD&days=N`` (expected dates worked in test_calendar.py)."""

from __future__ import annotations

from datetime import date

import pytest

from sme.workdays.models import CoveredYear, HolidayOverride

pytestmark = pytest.mark.django_db

API = "/api/v1/tools/workdays/add"


def get(client, status: int, **params):
    response = client.get(API, params)
    assert response.status_code == status, (params, response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 国庆节 2024: 09-29 (调休), 09-30, [10-01..07 off], 10-08, 09, 10, 11, 10-12 (调休).
        ("2024-09-27", "7", "2024-10-12"),
        # 春节 2025: 01-26 (调休), 01-27, [01-28..02-04 off], 02-05, 06, 07, 02-08 (调休), 02-10.
        ("2025-01-24", "7", "2025-02-10"),
        # Plain week: Monday 05-13 → Tue 14 … Fri 17, Mon 20.
        ("2024-05-13", "5", "2024-05-20"),
        # Friday start: the weekend is skipped.
        ("2024-05-17", "1", "2024-05-20"),
        # Zero days: the start itself.
        ("2024-10-01", "0", "2024-10-01"),
    ],
)
def test_answers(client, start, days, expected):
    assert get(client, 200, date=start, days=days) == {"start": start, "days": int(days), "date": expected}


def test_anonymous_and_no_session_needed(client):
    response = client.get(API, {"date": "2024-09-27", "days": "7"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_override_changes_the_answer(client):
    # Tue 2024-10-08 made a holiday moves the 7th working day to Mon 10-14 (see test_calendar.py).
    HolidayOverride.objects.create(date=date(2024, 10, 8), is_workday=False, name="测试放假")
    assert get(client, 200, date="2024-09-27", days="7")["date"] == "2024-10-14"


def test_uncovered_year_is_a_400_saying_so(client):
    body = get(client, 400, date="2027-03-01", days="1")
    assert body == {"detail": "工作日历尚未覆盖2027年：请平台管理员录入国务院公布的2027年节假日安排"}


def test_counting_into_an_uncovered_year_is_a_400(client):
    # Fri 2026-12-25 + 7: the 5th working day would already be in 2027.
    assert "尚未覆盖2027年" in get(client, 400, date="2026-12-25", days="7")["detail"]


def test_year_covered_by_overrides_marked_complete(client):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")  # test data
    CoveredYear.objects.create(year=2027)
    # Wed 2026-12-30: Thu 12-31, [Fri 01-01 off, weekend], Mon 01-04, Tue 01-05.
    assert get(client, 200, date="2026-12-30", days="3")["date"] == "2027-01-05"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"days": "7"}, "缺少参数 date"),
        ({"date": "", "days": "7"}, "缺少参数 date"),
        ({"date": "2024/09/27", "days": "7"}, "date 格式不正确"),
        ({"date": "20240927", "days": "7"}, "date 格式不正确"),
        ({"date": "2024-9-27", "days": "7"}, "date 格式不正确"),
        ({"date": "2024-02-30", "days": "7"}, "date 不是有效日期"),
        ({"date": "2024-09-27"}, "缺少参数 days"),
        ({"date": "2024-09-27", "days": "seven"}, "days 必须是整数"),
        ({"date": "2024-09-27", "days": "1.5"}, "days 必须是整数"),
        ({"date": "2024-09-27", "days": "-1"}, "days 不能为负数"),
        ({"date": "2024-09-27", "days": "367"}, "days 不能超过 366"),
        ({"date": "2024-09-27", "days": "99999999999999999999"}, "days 不能超过 366"),
    ],
)
def test_bad_queries_are_400_in_chinese(client, params, fragment):
    body = get(client, 400, **params)
    assert set(body) == {"detail"}
    assert fragment in body["detail"]


def test_366_days_is_allowed(client):
    assert get(client, 200, date="2024-01-02", days="366")["date"].startswith("2025-")


def test_only_get(client):
    assert client.post(API + "?date=2024-09-27&days=7").status_code == 405


def test_described_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/tools/workdays/add"]["get"]
    assert operation["operationId"] == "tools_workdays_add"
    assert {p["name"] for p in operation["parameters"]} == {"date", "days"}
