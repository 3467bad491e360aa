"""Registry import and reclassification at city scale: ``.venv/bin/python bench/batch_enterprises.py``.

Generates a registry CSV of ``--size`` rows (default 1,000,000; UTF-8 with BOM, Chinese headers,
valid and unique credit codes over every current district) and an .xlsx of ``--xlsx-size`` rows
(default 100,000: writing a million-row workbook is slow in itself), then for each database:

1. migrates a fresh database (SQLite file under var/bench/, or the PostgreSQL database
   ``sme_bench_enterprises``, dropped and created again);
2. ``import_enterprises`` the CSV (every row inserted and classified);
3. the same CSV again (every row unchanged, nothing written);
4. ``reclassify_enterprises`` (a full pass over every profile, nothing to change);
5. the same after blanking every stored class (every profile rewritten, as after a revised standard);
6. ``import_enterprises`` the .xlsx (other enterprises than the CSV's: a second figure);

each step in its own process, timed, with its peak RSS (``resource.getrusage``). Prints a table and
writes ``bench/results/enterprises.json``. Targets: 1,000,000 rows imported in ≤ 120 s with < 1 GB,
a full reclassification in ≤ 60 s.

    .venv/bin/python bench/batch_enterprises.py --size 100000          # a quick trial
    .venv/bin/python bench/batch_enterprises.py --databases sqlite
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sme.organizations import uscc  # noqa: E402  (pure functions; no Django set-up needed)

WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "enterprises.json"
PG_URL = "postgres://postgres@127.0.0.1:5432/sme_bench_enterprises"
IMPORT_TARGET_S = 120.0
RECLASSIFY_TARGET_S = 60.0
MEMORY_TARGET_MB = 1024.0

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所在区县",
    "行业代码",
    "从业人员（人）",
    "营业收入（万元）",
    "资产总额（万元）",
    "年度",
    "科技型中小企业",
    "专精特新",
    "高新技术企业",
    "法定代表人",
    "地址",
]
INDUSTRIES = [
    "C",
    "13",
    "26",
    "39",
    "A",
    "E",
    "51",
    "52",
    "54",
    "591",
    "59",
    "61",
    "62",
    "65",
    "701",
    "702",
    "72",
    "M",
    "J",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = ["华信", "鑫源", "博远", "兴达", "瑞丰", "嘉禾", "宏图", "恒通", "天成", "长江"]
TRADES = ["科技", "商贸", "机械", "食品", "物流", "建设", "信息技术", "文化传媒", "农业开发", "电子"]

CHARSET = uscc.CHARSET


def credit_code(region: str, n: int) -> str:
    """A valid, unique credit code for the n-th enterprise (GB 32100 check characters)."""
    digits = []
    x = n * 7919 + 104729  # spread the keys so they do not arrive in index order
    for _ in range(8):
        x, r = divmod(x, 31)
        digits.append(CHARSET[r])
    body = "".join(digits)
    first17 = f"91{region}{body}{uscc.org_check_character(body)}"
    return first17 + uscc.check_character(first17)


def _districts() -> list[tuple[str, str]]:
    data = json.loads((ROOT / "sme" / "regions" / "data" / "chongqing.json").read_text(encoding="utf-8"))
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("level") == "district" and node.get("code") and not node.get("valid_to"):
                found.append((node["code"], node["name"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return sorted(set(found))


def rows(n: int, seed: int = 4754, first: int = 0) -> Any:
    """``n`` registry rows; ``first`` offsets the credit codes, so two files can hold different enterprises."""
    rng = random.Random(seed)
    districts = _districts()
    year = dt.date.today().year - 1
    for i in range(first, first + n):
        code, name = districts[i % len(districts)]
        employees = int(rng.lognormvariate(3.2, 1.3))
        revenue = round(rng.lognormvariate(6.5, 1.8), 2)
        assets = round(rng.lognormvariate(6.8, 1.8), 2)
        yield [
            credit_code(code, i),
            f"重庆{rng.choice(WORDS)}{rng.choice(TRADES)}{i}有限公司",
            name if i % 2 else code,
            rng.choice(INDUSTRIES),
            employees,
            revenue,
            assets,
            year,
            "是" if rng.random() < 0.1 else "否",
            "是" if rng.random() < 0.05 else "否",
            "是" if rng.random() < 0.08 else "否",
            rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋"),
            f"重庆市{name}{rng.choice(['人民路', '新华路', '科技路', '滨江路'])}{rng.randint(1, 999)}号",
        ]


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows(n))


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名录")
    ws.append(HEADER)
    for row in rows(n, seed=2017, first=10_000_000):  # other enterprises than the CSV's
        ws.append(row)
    wb.save(path)


# --- steps (each run in its own process) ---------------------------------------------------------


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step(name: str, database_url: str, argument: str) -> dict[str, Any]:
    _django(database_url)
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    if name == "migrate":
        call_command("migrate", verbosity=0, skip_checks=True)
    elif name == "import":
        call_command("import_enterprises", argument, stdout=out)
    elif name in ("reclassify", "reclassify_rewrite"):
        if name == "reclassify_rewrite":  # as after a revised standard: every stored class is stale
            from sme.enterprises.models import EnterpriseProfile

            EnterpriseProfile.objects.update(size_class="", size_reasons=[])
            started = time.perf_counter()
        call_command("reclassify_enterprises", stdout=out)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The import reads and checks the file in a forked process: its peak counts too (it shares
    # the pages it did not write with this one, so the sum overstates the machine's use).
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result: dict[str, Any] = {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "reader_process_peak_rss_mb": round(child_mb, 1),
    }
    if name == "import":
        from sme.enterprises.models import EnterpriseImport

        job = EnterpriseImport.objects.order_by("-pk").first()
        assert job is not None
        result.update(
            status=job.status,
            rows=job.total,
            inserted=job.inserted,
            updated=job.updated,
            unchanged=job.unchanged,
            failed=job.failed,
        )
    if name.startswith("reclassify"):
        result["output"] = out.getvalue().strip().splitlines()[-1]
    return result


def _run_step(name: str, database_url: str, argument: str = "") -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--step", name, "--database-url", database_url, "--argument", argument],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"step {name} failed on {database_url}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fresh(database: str) -> str:
    if database == "sqlite":
        path = WORK / "enterprises.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "sme_bench_enterprises"], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "sme_bench_enterprises"], check=True)
    return PG_URL


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--xlsx-size", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--argument", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.database_url, args.argument), ensure_ascii=False))
        return 0

    WORK.mkdir(parents=True, exist_ok=True)
    csv_path = WORK / f"enterprises-{args.size}.csv"
    xlsx_path = WORK / f"enterprises-{args.xlsx_size}.xlsx"
    if not csv_path.exists():
        print(f"generating {csv_path.name} …", flush=True)
        write_csv(csv_path, args.size)
    if args.xlsx_size and not xlsx_path.exists():
        print(f"generating {xlsx_path.name} …", flush=True)
        write_xlsx(xlsx_path, args.xlsx_size)

    results: dict[str, Any] = {
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "rows": args.size,
        "xlsx_rows": args.xlsx_size,
        "targets": {
            "import_s": IMPORT_TARGET_S,
            "reclassify_s": RECLASSIFY_TARGET_S,
            "memory_mb": MEMORY_TARGET_MB,
        },
        "databases": {},
    }
    ok = True
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        url = _fresh(database)
        _run_step("migrate", url)
        figures: dict[str, Any] = {}
        steps = [("import_csv", "import", str(csv_path)), ("import_csv_again", "import", str(csv_path))]
        steps.append(("reclassify", "reclassify", ""))
        steps.append(("reclassify_rewrite", "reclassify_rewrite", ""))
        if args.xlsx_size:
            steps.append(("import_xlsx", "import", str(xlsx_path)))
        for label, name, argument in steps:
            figures[label] = _run_step(name, url, argument)
            print(f"{database} {label}: {figures[label]}", flush=True)
        results["databases"][database] = figures
        first = figures["import_csv"]
        ok &= first["inserted"] == args.size and figures["import_csv_again"]["unchanged"] == args.size
        if args.size >= 1_000_000:
            ok &= (
                first["seconds"] <= IMPORT_TARGET_S
                and figures["reclassify"]["seconds"] <= RECLASSIFY_TARGET_S
            )
        ok &= all(
            f["peak_rss_mb"] + f["reader_process_peak_rss_mb"] < MEMORY_TARGET_MB for f in figures.values()
        )

    print(
        f"\n{'database':<11} {'step':<18} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'RSS MB':>7} {'reader':>7}  result"
    )
    for database, figures in results["databases"].items():
        for name, f in figures.items():
            n = f.get("rows") or args.size
            print(
                f"{database:<11} {name:<18} {n:>10,} {f['seconds']:>8.1f} {n / f['seconds']:>9,.0f} "
                f"{f['peak_rss_mb']:>7.0f} {f['reader_process_peak_rss_mb']:>7.0f}  "
                + (
                    f"+{f['inserted']:,} ~{f['updated']:,} ={f['unchanged']:,} !{f['failed']:,}"
                    if "inserted" in f
                    else f.get("output", "")
                )
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}; targets {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
