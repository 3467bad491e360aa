"""``manage.py provider_figures_rebuild [--year Y]``: recompute providers' yearly figures (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sme.orders.figures import rebuild


class Command(BaseCommand):
    help = (
        "Recompute every provider's measured figures (SMEs served, orders completed, satisfaction, stars, "
        "on-time rate) for one year, or for every year with a completed order. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only this calendar year")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"--year must be a calendar year, got {year}")
        started = time.perf_counter()
        result = rebuild([year] if year else None)
        elapsed = time.perf_counter() - started
        for y, n in sorted(result.items()):
            self.stdout.write(f"{y}: {n} providers")
        self.stdout.write(f"done in {elapsed:.1f} s")
