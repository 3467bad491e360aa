"""``manage.py generate_data --organizations N --users M``: bulk synthetic data for benchmarks.

Ensures at least N generated organizations and M generated enterprise users (each the owner of a
generated organization) exist, plus the fixed logins bench_district, bench_city and bench_admin
(password ``Bench-Pass-2026``). Running it again adds only what is missing. See ``bench/README.md``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench.benchdata import organizations as datagen


class Command(BaseCommand):
    help = "Generate synthetic organizations and users for benchmarks (adds only what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organizations",
            type=int,
            default=0,
            metavar="N",
            help="ensure at least N generated organizations",
        )
        parser.add_argument(
            "--users", type=int, default=0, metavar="M", help="ensure at least M generated enterprise users"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbosity = options["verbosity"]

        def report(message: str) -> None:
            if verbosity > 0:
                self.stdout.write(message)
                self.stdout.flush()

        added = datagen.generate(
            options["organizations"], options["users"], seed=options["seed"], report=report
        )
        report(
            self.style.SUCCESS(
                f"generate_data: added {added['organizations']} organizations and {added['users']} users "
                f"in {time.monotonic() - started:.1f} s"
            )
        )
