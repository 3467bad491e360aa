"""One certification workflow transition, timed in-process against the benchmark database.

``.venv/bin/python bench/batch_certification.py [--size N]`` applies the district's decisions
(``services.application_district_decide``: ``recommend`` and ``district_return``) N times each on
generated applications of 万州区 as ``bench_district``, each call with everything it does in
production — role and scope check, compare-and-set update, transition-log row, audit row and the
notifications enqueued on commit — and reports p50/p95/p99. Between two timed calls the application
is put back to "submitted" (untimed), so the same applications serve again.

Environment: ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/sme_bench``) and
``DJANGO_SETTINGS_MODULE`` (default ``config.settings.bench``). The database needs
``manage.py generate_data`` and ``manage.py generate_certification_data`` first. Writes
``bench/results/certification.json``. Target: p95 ≤ 30 ms.
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

from reporting import git_commit, percentile, use_bench_settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "certification.json"
TARGET_P95_MS = 30.0
BENCH_DISTRICT_CODE = "500101"
ACTIONS = ("recommend", "district_return")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    use_bench_settings()  # the certification data generator (bench.benchdata) picks the applications
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sme_bench")
    import django

    django.setup()


def measure(size: int, warmup: int, pool_size: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.benchdata import certification as datagen
    from sme.certification.models import Application, ApplicationStatus
    from sme.certification.services import applications as services
    from sme.core.models import AuditLog, TransitionLog
    from sme.notifications.models import Notification
    from sme.organizations.models import Membership, MembershipRole, MembershipStatus

    User = get_user_model()
    officer = User.objects.get(username="bench_district")
    applicant = datagen._applicant_user()
    pool = list(
        datagen.generated_applications()
        .filter(district__code=BENCH_DISTRICT_CODE, status=ApplicationStatus.SUBMITTED)
        .select_related("scheme", "organization", "district")
        .order_by("pk")[:pool_size]
    )
    if not pool:
        raise SystemExit(
            "No generated application waits in 万州区: run manage.py generate_data and "
            "generate_certification_data against this database first."
        )
    # The applicant organizations get a member, so each decision notifies the applicant too.
    for app in pool:
        Membership.objects.get_or_create(
            user=applicant,
            organization_id=app.organization_id,
            defaults={"role": MembershipRole.OWNER, "status": MembershipStatus.ACTIVE},
        )
    originals = {a.pk: (a.round_year, a.recommended_at, a.decision_note, a.decided_at) for a in pool}

    def reset(app: Application) -> Application:
        round_year, recommended_at, note, decided_at = originals[app.pk]
        Application.objects.filter(pk=app.pk).update(
            status=ApplicationStatus.SUBMITTED,
            round_year=round_year,
            recommended_at=recommended_at,
            decision_note=note,
            decided_at=decided_at,
        )
        app.refresh_from_db()
        return app

    counts_before = (TransitionLog.objects.count(), AuditLog.objects.count(), Notification.objects.count())
    timings: dict[str, list[float]] = {action: [] for action in ACTIONS}
    for i in range(warmup + size):
        for action in ACTIONS:
            app = pool[i % len(pool)]
            note = "请补充上一年度财务报表。" if action == "district_return" else ""
            started = time.perf_counter()
            services.application_district_decide(actor=officer, application=app, action=action, note=note)
            elapsed = (time.perf_counter() - started) * 1000
            if i >= warmup:
                timings[action].append(elapsed)
            pool[i % len(pool)] = reset(app)
    logs, audits, notes = (
        TransitionLog.objects.count() - counts_before[0],
        AuditLog.objects.count() - counts_before[1],
        Notification.objects.count() - counts_before[2],
    )
    calls = (warmup + size) * len(ACTIONS)
    if logs != calls or audits < calls or notes < calls:
        raise SystemExit(
            f"expected {calls} log rows, audits and notifications; got {logs}, {audits}, {notes}"
        )
    data = {
        "applications": Application.objects.count(),
        "generated_applications": datagen.generated_applications().count(),
    }
    return {
        "timings": timings,
        "data": data,
        "pool": len(pool),
        "rows_written": {"transition_log": logs, "audit": audits, "notifications": notes},
        "database": connection.settings_dict.get("NAME"),
        "vendor": connection.vendor,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=300, help="timed transitions per action (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed transitions first (default 20)")
    parser.add_argument("--pool", type=int, default=40, help="applications taken in turn (default 40)")
    args = parser.parse_args(argv)
    setup_django()
    run = measure(args.size, args.warmup, args.pool)
    entries: dict[str, Any] = {}
    print(f"database {run['database']} ({run['vendor']}), {run['data']['applications']} applications")
    print(f"{'transition':<28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean':>8}  target")
    ok = True
    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    for action, values in run["timings"].items():
        p50, p95, p99 = (round(percentile(values, p), 2) for p in (50, 95, 99))
        passed = p95 <= TARGET_P95_MS
        ok = ok and passed
        print(
            f"{'application.' + action:<28} {len(values):>5} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
            f"{statistics.fmean(values):>8.1f}  p95 ≤ {TARGET_P95_MS:g} ms {'pass' if passed else 'FAIL'}"
        )
        entries[f"certification_transition_{action}"] = {
            "p50_ms": p50,
            "p95_ms": p95,
            "p99_ms": p99,
            "mean_ms": round(statistics.fmean(values), 2),
            "n": len(values),
            "target": f"p95 ≤ {TARGET_P95_MS:g} ms",
            "pass": passed,
            "data": run["data"],
            "rows_written": run["rows_written"],
            "database": run["database"],
            "date": now,
            "commit": git_commit(),
            "settings": os.environ.get("DJANGO_SETTINGS_MODULE"),
            "loadavg_1m": round(os.getloadavg()[0], 2),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
