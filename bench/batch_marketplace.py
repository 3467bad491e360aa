"""The providers' yearly figures recomputed for every provider, timed in-process.

``.venv/bin/python bench/batch_marketplace.py [--runs N]`` runs ``manage.py provider_figures_rebuild``
(every year with a completed order, every provider: SMEs served, orders completed, ratings,
satisfaction, average stars, on-time rate) N times against the benchmark database and reports each
run's wall time; the target is the slowest run. Before timing it checks the data is there; after, it
checks the figures: one row per provider and year with completed orders, and the figures of a few
providers recomputed here in plain SQL equal the stored ones.

Environment: ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/sme_bench``) and
``DJANGO_SETTINGS_MODULE`` (default ``config.settings.base``). The database needs ``manage.py
generate_data`` and ``manage.py generate_marketplace_data`` first (``bench/run.py --scenarios
catalog_filtered`` makes both). Writes ``bench/results/marketplace_batch.json``. Target: ≤ 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from reporting import git_commit, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "marketplace_batch.json"
TARGET_S = 60.0
MIN_ORDERS = 1_000_000  # below this the figure says nothing about the target's size


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sme_bench")
    import django

    django.setup()


def sizes() -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name, sql in (
            ("orders", "SELECT count(*) FROM orders_order"),
            ("completed_orders", "SELECT count(*) FROM orders_order WHERE status = 'completed'"),
            ("ratings", "SELECT count(*) FROM orders_rating"),
            ("providers", "SELECT count(DISTINCT provider_id) FROM orders_order"),
            ("services", "SELECT count(*) FROM catalog_service"),
        ):
            cursor.execute(sql)
            out[name] = int(cursor.fetchone()[0])
    return out


def check_figures(sample: int = 5) -> dict[str, Any]:
    """Rows for exactly the (provider, year) pairs with completed orders; a few providers' figures
    recomputed in SQL here equal the stored ones."""
    from django.db import connection
    from django.utils import timezone

    from sme.orders.models import ProviderYearFigures

    tz = timezone.get_current_timezone_name()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT DISTINCT provider_id, "
            "EXTRACT(YEAR FROM completed_at AT TIME ZONE %s) FROM orders_order WHERE status = 'completed') AS p",
            [tz],
        )
        expected_rows = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT provider_id FROM orders_order WHERE status = 'completed' GROUP BY provider_id "
            "ORDER BY count(*) DESC LIMIT %s",
            [sample],
        )
        providers = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT o.provider_id, EXTRACT(YEAR FROM o.completed_at AT TIME ZONE %s)::int AS y, "
            "count(DISTINCT o.enterprise_id), count(*), count(*) FILTER (WHERE o.delivered_on_time), "
            "count(r.id) FILTER (WHERE NOT r.is_hidden), "
            "count(r.id) FILTER (WHERE NOT r.is_hidden AND r.satisfied) "
            "FROM orders_order o LEFT JOIN orders_rating r ON r.order_id = o.id "
            "WHERE o.status = 'completed' AND o.provider_id = ANY(%s) GROUP BY 1, 2",
            [tz, providers],
        )
        computed = cursor.fetchall()
    stored_rows = ProviderYearFigures.objects.count()
    if stored_rows != expected_rows:
        raise SystemExit(
            f"figures: {stored_rows} rows stored, {expected_rows} (provider, year) pairs expected"
        )
    stored = {
        (f.provider_id, f.year): f for f in ProviderYearFigures.objects.filter(provider_id__in=providers)
    }
    for provider, year, smes, completed, on_time, rated, satisfied in computed:
        f = stored.get((provider, year))
        if f is None:
            raise SystemExit(f"figures: no row for provider {provider}, {year}")
        got = (f.smes_served, f.orders_completed, f.delivered_on_time, f.ratings, f.satisfied)
        if got != (smes, completed, on_time, rated, satisfied):
            raise SystemExit(
                f"figures of provider {provider}, {year}: stored {got}, "
                f"computed {(smes, completed, on_time, rated, satisfied)}"
            )
        rate = (Decimal(satisfied) * 100 / rated).quantize(Decimal("0.01"), ROUND_HALF_UP) if rated else None
        if f.satisfaction_rate != rate:
            raise SystemExit(f"satisfaction of provider {provider}, {year}: {f.satisfaction_rate} ≠ {rate}")
    return {"rows": stored_rows, "providers_checked": len(providers), "pairs_checked": len(computed)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="timed rebuilds (default 3)")
    args = parser.parse_args(argv)
    load_at_start = round(os.getloadavg()[0], 2)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    data = sizes()
    print(f"database {connection.settings_dict.get('NAME')} ({connection.vendor}): {data}")
    if data["orders"] < MIN_ORDERS:
        print(f"warning: only {data['orders']} orders (the target is for 2,000,000)")
    timings = []
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        call_command("provider_figures_rebuild", verbosity=0)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        print(f"run {run}: provider_figures_rebuild {elapsed:.1f} s  (load {os.getloadavg()[0]:.2f})")
    checked = check_figures()
    worst = max(timings)
    passed = worst <= TARGET_S
    print(
        f"provider_figures_rebuild: max {worst:.1f} s, median {statistics.median(timings):.1f} s over "
        f"{len(timings)} runs; {checked['rows']} provider-year rows; target ≤ {TARGET_S:g} s "
        f"{'pass' if passed else 'FAIL'}"
    )
    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    entry = {
        "provider_figures_rebuild": {
            "seconds": [round(t, 2) for t in timings],
            "max_s": round(worst, 2),
            "median_s": round(statistics.median(timings), 2),
            "target": f"≤ {TARGET_S:g} s",
            "pass": passed,
            "data": data,
            "figures": checked,
            "database": connection.settings_dict.get("NAME"),
            "vendor": connection.vendor,
            "date": now,
            "commit": git_commit(),
            "settings": os.environ.get("DJANGO_SETTINGS_MODULE"),
            "machine": machine(load_at_start),
            "loadavg_1m_at_end": round(os.getloadavg()[0], 2),
        }
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(entry, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
