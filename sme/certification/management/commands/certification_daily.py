"""``manage.py certification_daily [--today YYYY-MM-DD]``: the daily certification job (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.certification.lifecycle import certification_daily


class Command(BaseCommand):
    help = (
        "Grant titles whose public notice ended, expire titles past their validity, open re-reviews "
        "90 days before validity ends, send yearly-summary reminders and flag overdue summaries. "
        "Safe to run more than once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as if today were YYYY-MM-DD (tests and demos)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, got {options['today']!r}") from exc
        report = certification_daily(today=today)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        notices = ", ".join(f"{k} {v}" for k, v in report.notices.items()) or "0"
        self.stdout.write(
            f"{report.today.isoformat()}: notices [{notices}]; expired {report.expired}; "
            f"re-reviews opened {report.rereviews_opened}; reminders 30d {report.reminders_30}, "
            f"7d {report.reminders_7}; overdue flagged {report.overdue_flagged}"
        )
        for line in report.skipped:
            self.stdout.write(f"  skipped {line}")
