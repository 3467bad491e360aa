"""The daily-job registry: order, one clock, failures isolated, one command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sme.core import clock, daily

SEEN: list[tuple[str, dt.date, dt.date]] = []


def first_job(*, today):
    SEEN.append(("first", today, clock.today()))
    return {"done": 1}


def broken_job(*, today):
    raise RuntimeError("坏了")


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(daily, "_JOBS", {})
    SEEN.clear()
    daily.register("second", f"{__name__}.broken_job", order=20)
    daily.register("first", f"{__name__}.first_job", order=10)
    return daily


def test_jobs_run_in_order_under_the_pinned_day_and_a_failure_spares_the_others(registry):
    run = registry.run_all(today=dt.date(2026, 3, 2))
    assert [("first", dt.date(2026, 3, 2), dt.date(2026, 3, 2))] == SEEN, "the clock reads the job's day"
    assert run.reports == {"first": {"done": 1}}
    assert run.failed == {"second": "RuntimeError: 坏了"}
    assert clock.today() != dt.date(2026, 3, 2) or dt.date.today() == dt.date(2026, 3, 2), "unpinned after"


def test_the_command_reports_and_fails_when_a_job_failed(registry):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="second"):
        call_command("run_daily", "--today", "2026-03-02", stdout=out, stderr=err)
    assert "first: done 1" in out.getvalue()
    assert "second FAILED" in err.getvalue()
    call_command("run_daily", "--only", "first", stdout=StringIO())
    with pytest.raises(CommandError, match="nosuch"):
        call_command("run_daily", "--only", "nosuch", stdout=StringIO())


def test_a_name_cannot_be_taken_by_two_jobs(registry):
    with pytest.raises(ValueError):
        registry.register("first", f"{__name__}.broken_job")


def test_the_platform_registers_each_apps_daily_job():
    names = [job.name for job in daily.jobs()]
    assert names == ["demands", "orders", "certification", "tickets", "stats.figures", "audit_chain"]
