"""``manage.py generate_certification_data --applications N --materials M --certified C``.

Bulk synthetic certification data for benchmarks: at least N generated applications (with three
years of figures), M material records on them and C certified platforms in the register. Running it
again adds only what is missing. Needs organizations (``manage.py generate_data`` first). See
``bench/benchdata/certification.py`` and ``bench/README.md``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench.benchdata import certification as datagen


class Command(BaseCommand):
    help = "Generate synthetic certification applications, materials and certified platforms (top-up)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applications", type=int, default=0, metavar="N", help="at least N applications"
        )
        parser.add_argument(
            "--materials", type=int, default=0, metavar="M", help="at least M material records"
        )
        parser.add_argument(
            "--certified", type=int, default=0, metavar="C", help="at least C certified platforms"
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
            options["applications"],
            options["materials"],
            options["certified"],
            seed=options["seed"],
            report=report,
        )
        report(
            self.style.SUCCESS(
                f"generate_certification_data: added {added['applications']} applications, "
                f"{added['materials']} materials and {added['certified']} certified platforms "
                f"in {time.monotonic() - started:.1f} s"
            )
        )
