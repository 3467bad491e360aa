"""``manage.py run_daily [--today YYYY-MM-DD] [--only a,b] [--json]``: the platform's daily jobs."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.core import daily


class Command(BaseCommand):
    help = (
        "Run the daily jobs every app registered (sme.core.daily), in order, for one day. Each job is "
        "idempotent; one failing does not stop the others, but the command then exits with an error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as if today were YYYY-MM-DD (tests, demos, catching up)")
        parser.add_argument("--only", help="comma-separated job names (default: all)")
        parser.add_argument("--list", action="store_true", help="list the registered jobs and stop")
        parser.add_argument("--json", action="store_true", help="print the reports as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in daily.jobs():
                self.stdout.write(f"{job.order:>4} {job.name:<16} {job.path}  {job.label}")
            return
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, got {options['today']!r}") from exc
        only = (
            [name.strip() for name in options["only"].split(",") if name.strip()] if options["only"] else None
        )
        try:
            run = daily.run_all(today=today, only=only)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(run.as_dict(), ensure_ascii=False, default=str))
        else:
            for name, report in run.reports.items():
                summary = ", ".join(f"{key} {value}" for key, value in report.items() if key != "today")
                self.stdout.write(f"{run.today.isoformat()} {name}: {summary}")
            for name, error in run.failed.items():
                self.stderr.write(f"{run.today.isoformat()} {name} FAILED: {error}")
        if run.failed:
            raise CommandError(f"{len(run.failed)} daily job(s) failed: {', '.join(run.failed)}")
