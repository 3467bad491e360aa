"""The platform's daily jobs: one registry, one command (``manage.py run_daily``), one beat entry.

An app registers its job in ``AppConfig.ready`` by dotted path (imported only when the job runs),
with an order among the others:

    daily.register("tickets", "sme.tickets.services.daily.tickets_daily", order=80, label=_("诉求超期升级"))

A job is a function ``job(*, today)`` returning a report (a mapping, or an object with
``as_dict()``); it must be idempotent (safe to run twice a day). :func:`run_all` runs them in order
for one day under the one clock: with ``today`` given, the clock is pinned to it, so every rule the
job reaches sees that day. A job that fails is logged and reported; the others still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from . import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    path: str
    order: int
    label: Any

    def run(self, today: dt.date) -> dict[str, Any]:
        report = import_string(self.path)(today=today)
        if hasattr(report, "as_dict"):
            report = report.as_dict()
        return dict(report)


_JOBS: dict[str, DailyJob] = {}


def register(name: str, path: str, *, order: int = 100, label: Any = "") -> None:
    known = _JOBS.get(name)
    if known is not None and known.path != path:
        raise ValueError(f"daily job {name!r} registered twice ({known.path}, {path})")
    _JOBS[name] = DailyJob(name, path, order, label or name)


def jobs() -> list[DailyJob]:
    return sorted(_JOBS.values(), key=lambda job: (job.order, job.name))


@dataclass
class DailyRun:
    today: dt.date
    reports: dict[str, dict[str, Any]]
    failed: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "reports": self.reports, "failed": self.failed}


def run_all(*, today: dt.date | None = None, only: Iterable[str] | None = None) -> DailyRun:
    """Run every registered job (or those named in ``only``) for ``today`` (the clock's today)."""
    wanted = set(only) if only is not None else None
    if wanted is not None:
        unknown = wanted - set(_JOBS)
        if unknown:
            raise LookupError(f"no daily job named {', '.join(sorted(unknown))}")
    day = today or clock.today()
    run = DailyRun(today=day, reports={}, failed={})
    with clock.pinned(day) if today is not None else _nothing():
        for job in jobs():
            if wanted is not None and job.name not in wanted:
                continue
            try:
                run.reports[job.name] = job.run(day)
            except Exception as error:  # one job's failure must not stop the others
                logger.exception("daily job %s failed for %s", job.name, day)
                run.failed[job.name] = f"{type(error).__name__}: {error}"
    return run


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None
