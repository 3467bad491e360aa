"""``manage.py demands_daily [--today YYYY-MM-DD] [--json]``: close demands past their deadline (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.demands.services import demands_daily


class Command(BaseCommand):
    help = (
        "Close every open demand whose deadline has passed: its proposals become not selected and the "
        "enterprise and the providers are told. Safe to run more than once a day."
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
        report = demands_daily(today=today)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{report.today.isoformat()}: demands closed {report.closed}; "
            f"proposals not selected {report.proposals_not_selected}"
        )
        for line in report.skipped:
            self.stdout.write(f"  skipped {line}")
