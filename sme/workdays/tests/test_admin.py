"""Holiday overrides and covered years are rule data: every admin write leaves an audit row."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import login
from sme.core.models import AuditLog
from sme.workdays.models import CoveredYear, HolidayOverride

pytestmark = pytest.mark.django_db

ADD = "/admin/workdays/holidayoverride/add/"


def _override(client, **values):
    data = {"date": "2027-10-01", "is_workday": "", "name": "国庆节", "note": "", "source_document": ""}
    data.update(values)
    return client.post(ADD, data)


def test_adding_an_override_is_audited(client, admin_user):
    login(client, admin_user)
    assert _override(client).status_code == 302
    override = HolidayOverride.objects.get(date=dt.date(2027, 10, 1))
    row = AuditLog.objects.get(action="workdays.holiday_override_save")
    assert row.actor == admin_user and row.object_id == str(override.pk)
    assert row.object_label == "2027-10-01 国庆节（放假）"
    assert row.changes["name"] == [None, "国庆节"]


def test_changing_an_override_records_what_changed(client, admin_user):
    override = HolidayOverride.objects.create(date=dt.date(2027, 10, 9), is_workday=False, name="国庆节")
    login(client, admin_user)
    url = f"/admin/workdays/holidayoverride/{override.pk}/change/"
    data = {"date": "2027-10-09", "is_workday": "on", "name": "调休上班", "note": "", "source_document": ""}
    assert client.post(url, data).status_code == 302
    row = AuditLog.objects.get(action="workdays.holiday_override_save")
    assert row.changes == {"is_workday": [False, True], "name": ["国庆节", "调休上班"]}
    assert "修改" in row.summary


def test_deleting_one_or_many_is_audited(client, admin_user):
    first = HolidayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    HolidayOverride.objects.create(date=dt.date(2027, 5, 1), is_workday=False, name="劳动节")
    HolidayOverride.objects.create(date=dt.date(2027, 5, 2), is_workday=False, name="劳动节")
    login(client, admin_user)
    url = f"/admin/workdays/holidayoverride/{first.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    others = list(HolidayOverride.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/workdays/holidayoverride/",
        {"action": "delete_selected", "_selected_action": others, "post": "yes"},
    )
    assert response.status_code == 302
    assert not HolidayOverride.objects.exists()
    deleted = AuditLog.objects.filter(action="workdays.holiday_override_delete")
    assert deleted.count() == 3
    assert {r.object_label for r in deleted} >= {"2027-01-01 元旦（放假）", "2027-05-01 劳动节（放假）"}


def test_a_covered_year_is_audited(client, admin_user):
    login(client, admin_user)
    assert client.post("/admin/workdays/coveredyear/add/", {"year": "2027", "note": ""}).status_code == 302
    year = CoveredYear.objects.get(year=2027)
    row = AuditLog.objects.get(action="workdays.covered_year_save")
    assert row.object_id == str(year.pk) and "2027" in row.object_label
