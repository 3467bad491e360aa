"""``manage.py generate_assessment_data --responses N``: synthetic submitted responses for benchmarks.

Ensures at least N generated responses exist (adds only what is missing; makes organizations first
when there are too few). See ``bench/benchdata/assessment.py``. Never run it against a production database.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench.benchdata import assessment as datagen


class Command(BaseCommand):
    help = "Generate synthetic submitted assessment responses for benchmarks (adds only what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--responses", type=int, default=0, metavar="N", help="ensure at least N responses"
        )
        parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def report(message: str) -> None:
            if options["verbosity"] > 0:
                self.stdout.write(message)
                self.stdout.flush()

        added = datagen.generate(options["responses"], seed=options["seed"], report=report)
        report(
            self.style.SUCCESS(
                f"generate_assessment_data: added {added} responses in {time.monotonic() - started:.1f} s"
            )
        )
