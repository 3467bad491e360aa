"""``manage.py generate_marketplace_data --providers P --services S --orders O --ratings R``.

Bulk synthetic marketplace data for benchmarks: at least S services of P generated provider
organizations (approved revisions, listing columns, districts), O orders from generated enterprises
over three years and R ratings; then the service counters, planner statistics, the search index
(``sme.catalog.search.index_services`` in chunks of 5,000) and the providers' yearly figures
(``manage.py provider_figures_rebuild``). Running it again adds only what is missing. Needs
organizations (``manage.py generate_data`` first). See ``bench/benchdata/catalog.py``,
``bench/benchdata/orders.py`` and ``bench/README.md``. Never run it against a production database.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench.benchdata import orders as datagen


class Command(BaseCommand):
    help = "Generate synthetic services, orders and ratings for the marketplace benchmarks (top-up)."

    def add_arguments(self, parser: CommandParser) -> None:
        sizes = datagen.DEFAULT_SIZES
        for name, help_text in (
            ("providers", "provider organizations with services"),
            ("services", "services"),
            ("orders", "orders"),
            ("ratings", "ratings"),
        ):
            parser.add_argument(
                f"--{name}",
                type=int,
                default=sizes[name],
                metavar="N",
                help=f"at least N {help_text} (default {sizes[name]:,})",
            )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--reindex", action="store_true", help="rebuild the search index of every generated service"
        )
        parser.add_argument("--skip-figures", action="store_true", help="do not run provider_figures_rebuild")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbosity = options["verbosity"]

        def report(message: str) -> None:
            if verbosity > 0:
                self.stdout.write(message)
                self.stdout.flush()

        added = datagen.generate(
            providers=options["providers"],
            services=options["services"],
            orders=options["orders"],
            ratings=options["ratings"],
            seed=options["seed"],
            reindex=options["reindex"],
            figures=not options["skip_figures"],
            report=report,
        )
        report(
            self.style.SUCCESS(
                f"generate_marketplace_data: added {added['services']} services, {added['orders']} orders "
                f"and {added['ratings']} ratings in {time.monotonic() - started:.1f} s"
            )
        )
