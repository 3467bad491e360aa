"""Assessment scoring and the peer-table rebuild: ``.venv/bin/python bench/batch_assessment.py``.

1. migrates the database (``DATABASE_URL``; default the PostgreSQL database ``sme_bench_assessment``,
   created when missing) and runs ``generate_assessment_data --responses N`` (``--size``, default
   1,000,000; it adds only what is missing, so a second run reuses the data);
2. scores one MIIT response and one DMA response ``--scorings`` times each (default 1,000), timing
   every call of the pure scoring function (answers checked, points added, level assigned);
3. rebuilds the peer tables (``rebuild_assessment_peers``) ``--rebuilds`` times (default 2) from
   every generated response, timed.

Prints a table and writes ``bench/results/assessment.json``. Targets: scoring one response ≤ 5 ms
(p95), the rebuild from 1,000,000 responses ≤ 60 s.

    .venv/bin/python bench/batch_assessment.py --size 100000             # a quick trial
    DATABASE_URL=sqlite:///var/bench/assessment.sqlite3 .venv/bin/python bench/batch_assessment.py --size 50000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from reporting import ensure_postgres_database, git_commit, machine, percentile, use_bench_settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "assessment.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sme_bench_assessment"
SCORE_TARGET_MS = 5.0
REBUILD_TARGET_S = 60.0


def time_scoring(code: str, count: int) -> dict[str, Any]:
    import random

    from sme.assessment.demo import demo_answers
    from sme.assessment.scoring import score
    from sme.assessment.selectors import instrument_for, questionnaire_for

    questionnaire = questionnaire_for(code)
    assert questionnaire is not None, f"{code} not loaded"
    instrument = instrument_for(questionnaire)
    answers = demo_answers(instrument, 0.5, random.Random(7))
    score(instrument, answers)  # warm-up (translations, caches)
    timings = []
    for _n in range(count):
        started = time.perf_counter()
        result = score(instrument, answers)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "instrument": f"{instrument.code} {instrument.version}",
        "items": len(instrument.items),
        "scorings": count,
        "median_ms": round(statistics.median(timings), 4),
        "p95_ms": round(percentile(timings, 95), 4),
        "max_ms": round(max(timings), 4),
        "total": str(result.total),
        "target": f"p95 ≤ {SCORE_TARGET_MS:g} ms",
        "pass": percentile(timings, 95) <= SCORE_TARGET_MS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="generated responses (default 1,000,000)")
    parser.add_argument("--scorings", type=int, default=1000, help="scorings timed per instrument")
    parser.add_argument("--rebuilds", type=int, default=2, help="peer-table rebuilds timed")
    parser.add_argument("--skip-data", action="store_true", help="no migrate / generate_assessment_data")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    os.environ["DATABASE_URL"] = url
    use_bench_settings()  # generate_assessment_data is a command of the bench app
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sme.assessment.models import AssessmentResponse, PeerStat
    from sme.assessment.peers import rebuild_peer_stats

    load = round(os.getloadavg()[0], 2)
    if not args.skip_data:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("generate_assessment_data", responses=args.size)
        print(f"data ready in {time.monotonic() - started:.1f} s")

    responses = AssessmentResponse.objects.count()
    scoring = [
        time_scoring("miit-manufacturing", args.scorings),
        time_scoring("eu-jrc-dma-sme", args.scorings),
    ]

    rebuilds = []
    counts: dict[str, int] = {}
    for _n in range(args.rebuilds):
        started = time.monotonic()
        counts = rebuild_peer_stats()
        rebuilds.append(round(time.monotonic() - started, 2))
    rebuild = {
        "responses": responses,
        "latest_responses": AssessmentResponse.objects.filter(is_latest=True, status="submitted").count(),
        "groups": counts,
        "rows": PeerStat.objects.count(),
        "seconds": rebuilds,
        "target": f"≤ {REBUILD_TARGET_S:g} s from 1,000,000 responses",
        "pass": responses >= 1_000_000 and max(rebuilds) <= REBUILD_TARGET_S,
    }
    if responses < 1_000_000:
        rebuild["note"] = "fewer than 1,000,000 responses: a trial, not the target measurement"

    print()
    print(f"{'measurement':<44} {'median':>10} {'p95':>10} {'max':>10}  target")
    for s in scoring:
        print(
            f"{'score one response: ' + s['instrument']:<44} {s['median_ms']:>8.3f}ms {s['p95_ms']:>8.3f}ms "
            f"{s['max_ms']:>8.3f}ms  {s['target']} {'PASS' if s['pass'] else 'FAIL'}"
        )
    runs = " / ".join(f"{r:.1f} s" for r in rebuilds)
    print(
        f"{'rebuild peer tables, ' + format(responses, ',') + ' responses':<44} {runs:>32}  "
        f"{rebuild['target']} {'PASS' if rebuild['pass'] else ('FAIL' if responses >= 1_000_000 else 'TRIAL')}"
    )

    vendor = connection.vendor
    server = ""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
    result = {
        "scoring": scoring,
        "peer_rebuild": rebuild,
        "_meta": {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "database": vendor + (f" {server}" if server else ""),
            "settings": os.environ["DJANGO_SETTINGS_MODULE"],
            "machine": machine(load),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0 if all(s["pass"] for s in scoring) and (rebuild["pass"] or responses < 1_000_000) else 1


if __name__ == "__main__":
    sys.exit(main())
