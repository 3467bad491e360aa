"""The certification daily job over a year: ``.venv/bin/python bench/batch_certification_lifecycle.py``.

1. migrates the database (``DATABASE_URL``; default the PostgreSQL database
   ``sme_bench_certification_lifecycle``, created when missing) and (re)creates ``--size`` certified
   platforms (default 1,000, the issue's scale) owned by generated providers across the districts:
   granted over the last three years and two months (so a few are already past their validity), 70 % of
   them with last year's summary already reported;
2. runs ``certification_daily(today=…)`` for every day of ``--days`` (default 365) from ``--start``
   (default 2026-01-01), timing each run, then runs it a second time on the same day and checks that
   the second run does nothing (idempotence);
3. prints a table and writes ``bench/results/certification_lifecycle.json``.

Target: the busiest day (reminders to every platform, re-reviews opened, titles expired) ≤ 30 s, so the
job fits a nightly window with room to grow; a quiet day ≤ 1 s.

    .venv/bin/python bench/batch_certification_lifecycle.py --size 200 --days 120     # a quick trial
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from reporting import ensure_postgres_database, git_commit, machine, percentile

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "certification_lifecycle.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sme_bench_certification_lifecycle"
BUSY_TARGET_S = 30.0
QUIET_TARGET_S = 1.0
NUMBER_PREFIX = "BENCH-LC-"


def make_platforms(size: int, start: dt.date, seed: int = 2013) -> None:
    """Replace the bench's platforms with ``size`` fresh ones (their lifecycle rows go with them)."""
    from django.db import transaction
    from django.utils import timezone

    from sme.accounts.models import User
    from sme.certification.models import AnnualSummary, Application, Certification, Scheme
    from sme.organizations import uscc
    from sme.organizations.models import Membership, Organization
    from sme.regions.selectors import districts

    rng = random.Random(seed)
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    with transaction.atomic():
        old = Certification.objects.filter(number__startswith=NUMBER_PREFIX)
        application_ids = list(old.values_list("application_id", flat=True))
        old.delete()
        Application.objects.filter(pk__in=application_ids).delete()
        owner, _ = User.objects.get_or_create(
            username="bench_lc_owner", defaults={"role": "provider", "email": "bench-lc@datagen.invalid"}
        )
        areas = list(districts())
        existing = list(Organization.objects.filter(contact_email="bench-lc@datagen.invalid").order_by("id"))
        missing = size - len(existing)
        if missing > 0:
            new = []
            for i in range(len(existing), size):
                district = areas[i % len(areas)]
                new.append(
                    Organization(
                        kind="service_provider",
                        name=f"重庆基准测试信息服务有限公司{i:05d}",
                        uscc=uscc.make(district.code or "500000", rng=rng),
                        legal_representative="张三",
                        district=district,
                        address="重庆市",
                        contact_name="张三",
                        contact_phone="023-63000000",
                        contact_email="bench-lc@datagen.invalid",
                        verification_status="verified",
                    )
                )
            Organization.objects.bulk_create(new, batch_size=1000)
            existing = list(
                Organization.objects.filter(contact_email="bench-lc@datagen.invalid").order_by("id")
            )
            Membership.objects.bulk_create(
                [Membership(organization=o, user=owner, role="owner", status="active") for o in existing],
                ignore_conflicts=True,
            )
        organizations = existing[:size]
        applications = Application.objects.bulk_create(
            [
                Application(
                    scheme=scheme,
                    organization=o,
                    district_id=o.district_id,
                    status="certified",
                    reference=f"BLC{n:07d}",
                    platform_name=f"{o.name}平台",
                    created_by=owner,
                )
                for n, o in enumerate(organizations)
            ],
            batch_size=1000,
        )
        certifications = []
        for n, (o, a) in enumerate(zip(organizations, applications, strict=True)):
            granted = start - dt.timedelta(days=rng.randint(1, 3 * 365 + 60))
            certifications.append(
                Certification(
                    application=a,
                    organization=o,
                    scheme=scheme,
                    district_id=o.district_id,
                    number=f"{NUMBER_PREFIX}{n:06d}",
                    title=scheme.title,
                    platform_name=a.platform_name,
                    granted_on=granted,
                    valid_until=granted.replace(year=granted.year + 3) - dt.timedelta(days=1)
                    if not (granted.month == 2 and granted.day == 29)
                    else dt.date(granted.year + 3, 2, 28),
                )
            )
        certifications = Certification.objects.bulk_create(certifications, batch_size=1000)
        year = start.year - 1
        AnnualSummary.objects.bulk_create(
            [
                AnnualSummary(
                    certification=c,
                    year=year,
                    due_on=dt.date(year + 1, 3, 31),
                    text="年度工作总结",
                    smes_served=100,
                    satisfaction_percent=90,
                    service_revenue_wan=100,
                    submitted_at=timezone.make_aware(dt.datetime(year + 1, 1, 15, 10)),
                    submitted_by=owner,
                )
                for c in certifications
                if c.granted_on.year <= year and rng.random() < 0.7
            ],
            batch_size=1000,
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1000, help="certified platforms (default 1,000)")
    parser.add_argument("--days", type=int, default=365, help="days of daily runs (default 365)")
    parser.add_argument("--start", default="2026-01-01", help="first day (default 2026-01-01)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("EMAIL_URL", "dummymail://")  # notify() still builds and "sends" every mail
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sme.certification.daily import certification_daily

    start = dt.date.fromisoformat(args.start)
    load = round(os.getloadavg()[0], 2)
    began = time.monotonic()
    call_command("migrate", verbosity=0)
    make_platforms(args.size, start)
    print(f"{args.size} platforms ready in {time.monotonic() - began:.1f} s")

    runs: list[dict[str, Any]] = []
    not_idempotent: list[str] = []
    for offset in range(args.days):
        day = start + dt.timedelta(days=offset)
        began = time.perf_counter()
        report = certification_daily(today=day)
        first = time.perf_counter() - began
        began = time.perf_counter()
        second_report = certification_daily(today=day)
        second = time.perf_counter() - began
        actions = report.expired + report.rereviews_opened + report.reminders_30 + report.reminders_7
        actions += report.overdue_flagged
        again = (
            second_report.expired
            + second_report.rereviews_opened
            + second_report.reminders_30
            + second_report.reminders_7
            + second_report.overdue_flagged
        )
        if again:
            not_idempotent.append(day.isoformat())
        runs.append(
            {
                "day": day.isoformat(),
                "seconds": first,
                "second_run_seconds": second,
                "actions": actions,
                **{
                    k: getattr(report, k)
                    for k in ("expired", "rereviews_opened", "reminders_30", "reminders_7", "overdue_flagged")
                },
            }
        )

    quiet = [r["seconds"] for r in runs if r["actions"] == 0] or [0.0]
    busiest = max(runs, key=lambda r: r["seconds"])
    seconds = [r["seconds"] for r in runs]
    totals = {
        k: sum(r[k] for r in runs)
        for k in ("expired", "rereviews_opened", "reminders_30", "reminders_7", "overdue_flagged")
    }
    second_runs = [r["second_run_seconds"] for r in runs]
    busy_pass = busiest["seconds"] <= BUSY_TARGET_S
    quiet_pass = percentile(quiet, 95) <= QUIET_TARGET_S

    print()
    print(f"{'measurement':<52} {'median':>9} {'p95':>9} {'max':>9}  target")
    print(
        f"{'daily run, ' + str(args.days) + ' days, ' + format(args.size, ',') + ' platforms':<52} "
        f"{statistics.median(seconds):>8.3f}s {percentile(seconds, 95):>8.3f}s {max(seconds):>8.3f}s"
    )
    print(
        f"{'quiet day (nothing to do)':<52} {statistics.median(quiet):>8.3f}s {percentile(quiet, 95):>8.3f}s "
        f"{max(quiet):>8.3f}s  p95 ≤ {QUIET_TARGET_S:g} s {'PASS' if quiet_pass else 'FAIL'}"
    )
    print(
        f"{'busiest day ' + busiest['day'] + ' (' + str(busiest['actions']) + ' actions)':<52} "
        f"{'':>9} {'':>9} {busiest['seconds']:>8.3f}s  ≤ {BUSY_TARGET_S:g} s {'PASS' if busy_pass else 'FAIL'}"
    )
    print(
        f"{'second run the same day':<52} {statistics.median(second_runs):>8.3f}s "
        f"{percentile(second_runs, 95):>8.3f}s {max(second_runs):>8.3f}s  does nothing: "
        f"{'PASS' if not not_idempotent else 'FAIL ' + ', '.join(not_idempotent[:5])}"
    )
    print("over the year: " + ", ".join(f"{k} {v}" for k, v in totals.items()))

    vendor = connection.vendor
    server = ""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
    result = {
        "daily_job": {
            "platforms": args.size,
            "days": args.days,
            "start": args.start,
            "median_s": round(statistics.median(seconds), 4),
            "p95_s": round(percentile(seconds, 95), 4),
            "max_s": round(max(seconds), 4),
            "quiet_p95_s": round(percentile(quiet, 95), 4),
            "busiest": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in busiest.items()},
            "second_run_p95_s": round(percentile(second_runs, 95), 4),
            "idempotent": not not_idempotent,
            "totals": totals,
            "targets": {"busiest_day_s": BUSY_TARGET_S, "quiet_day_p95_s": QUIET_TARGET_S},
            "pass": busy_pass and quiet_pass and not not_idempotent,
        },
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
    return 0 if result["daily_job"]["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
