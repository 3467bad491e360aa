"""``manage.py ticket_figures_rebuild [--since YYYY-MM-DD]``: recompute the public monthly figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.tickets.services import ticket_figures_rebuild


class Command(BaseCommand):
    help = "Recompute TicketMonthFigures from the tickets (all months, or from the month of --since)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="only months from this date's month on (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError(f"--since must be YYYY-MM-DD, got {options['since']!r}") from exc
        report = ticket_figures_rebuild(since=since)
        months = f"{report.months[0]}…{report.months[-1]}" if report.months else "-"
        self.stdout.write(f"ticket figures: {report.rows} rows ({months})")
