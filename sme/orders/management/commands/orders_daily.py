"""``manage.py orders_daily [--today YYYY-MM-DD]``: flag orders not answered in time (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.orders.services import orders_daily


class Command(BaseCommand):
    help = (
        "Flag submitted orders past their response deadline (once per order; the provider's managers and "
        "the district officers are told) and fill in deadlines the working-day calendar could not give yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as if today were YYYY-MM-DD (tests and demos)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD, got {options['today']!r}") from exc
        report = orders_daily(today=today)
        self.stdout.write(
            f"overdue flagged {report['flagged']}; response deadlines filled {report['deadlines_filled']}"
        )
