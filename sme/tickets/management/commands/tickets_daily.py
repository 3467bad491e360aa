"""``manage.py tickets_daily [--today YYYY-MM-DD]``: escalate overdue tickets, refresh figures (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.tickets.services import tickets_daily


class Command(BaseCommand):
    help = (
        "Escalate to the city every ticket whose current stage (acknowledge, answer, close) is past its "
        "due date, and refresh the public monthly figures. Safe to run more than once a day."
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
        report = tickets_daily(today=today)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{report.today.isoformat()}: escalated {len(report.escalated)}; figure rows {report.figure_rows}"
        )
