"""Benchmark runner: ``.venv/bin/python bench/run.py [--scenarios a,b]`` (what ``make bench`` runs).

Prepares the PostgreSQL database ``sme_bench`` (migrate, generate_data), starts gunicorn with the
bench settings (``config.settings.bench``: production plus the bench-only data app) on a free
loopback port, measures each scenario with wrk, prints a table and merges the figures into
``bench/results/latest.json``. Exit status: 0 all targets met, 1 a target
missed or a scenario failed, 2 the set-up failed. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from reporting import git_commit, machine
from scenarios import SCENARIOS, CheckFailed, Response, Result, Scenario

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
SERVER_LOG = ROOT / "var" / "bench-gunicorn.log"

HOST = "127.0.0.1"
PG_ADMIN_DSNS = ("postgresql://postgres@127.0.0.1:5432/postgres", "postgresql://postgres@127.0.0.1:5432/test")
# BENCH_DATABASE / BENCH_CACHE_URL let two checkouts be measured side by side (before/after a change)
DB_NAME = os.environ.get("BENCH_DATABASE", "sme_bench")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG_DSN = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1")
BENCH_PASSWORD = "Bench-Pass-2026"  # = bench.benchdata.organizations.BENCH_PASSWORD
WORKERS = 2
# Production plus the bench-only app that has the generate_* commands (bench/benchdata).
BENCH_SETTINGS = "config.settings.bench"


class SetupError(Exception):
    pass


def say(message: str = "") -> None:
    print(message, flush=True)


# --- environment ------------------------------------------------------------------------------


def server_env(settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASE_URL,
        CACHE_URL=CACHE_URL,
        SECURE_SSL_REDIRECT="false",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: Mapping[str, str], *args: str, required: bool = True) -> bool:
    say(f"$ manage.py {' '.join(args)}")
    started = time.monotonic()
    cmd = [sys.executable, str(ROOT / "manage.py"), *args]
    done = subprocess.run(cmd, cwd=ROOT, env=dict(env), check=False)
    if done.returncode != 0:
        message = f"manage.py {args[0]} failed (exit {done.returncode})"
        if required:
            raise SetupError(message)
        say(f"  warning: {message}")
        return False
    say(f"  ({time.monotonic() - started:.1f} s)")
    return True


def ensure_database() -> None:
    last_error: Exception | None = None
    for dsn in PG_ADMIN_DSNS:
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
                if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is None:
                    say(f"creating database {DB_NAME}")
                    conn.execute(f'CREATE DATABASE "{DB_NAME}"')
                return
        except psycopg.OperationalError as e:
            last_error = e
    raise SetupError(f"PostgreSQL at {HOST}:5432 (user postgres) is not reachable: {last_error}")


def ensure_redis() -> None:
    try:
        with socket.create_connection((HOST, 6379), timeout=3) as s:
            s.sendall(b"PING\r\n")
            if not s.recv(64).startswith(b"+PONG"):
                raise SetupError("Redis at 127.0.0.1:6379 did not answer PING")
    except OSError as e:
        raise SetupError(f"Redis at {HOST}:6379 is not reachable: {e}") from e


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SetupError("wrk is not installed: apt-get install wrk")
    say("installing wrk (apt-get install -y wrk)")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def apt(*args: str) -> int:
        return subprocess.run(
            ["apt-get", *args], stdout=subprocess.DEVNULL, env=apt_env, check=False
        ).returncode

    if apt("install", "-y", "wrk") != 0:
        apt("update")
        apt("install", "-y", "wrk")
    found = shutil.which("wrk")
    if not found:
        raise SetupError("could not install wrk")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# --- the server -------------------------------------------------------------------------------


@contextmanager
def gunicorn(env: Mapping[str, str]) -> Iterator[int]:
    port = free_port()
    SERVER_LOG.parent.mkdir(exist_ok=True)
    log = SERVER_LOG.open("wb")
    cmd = [
        str(BIN / "gunicorn"), "config.wsgi:application",
        "--workers", str(WORKERS), "--worker-class", "sync",
        "--bind", f"{HOST}:{port}",
    ]  # fmt: skip
    if "--no-control-socket" in subprocess.run([cmd[0], "--help"], capture_output=True, text=True).stdout:
        cmd.append("--no-control-socket")  # gunicorn ≥ 24; the default socket is shared per user
    say(f"$ gunicorn config.wsgi:application --workers {WORKERS} --bind {HOST}:{port}  (log: {SERVER_LOG})")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until_healthy(proc, port)
        yield port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        say("gunicorn stopped")


def wait_until_healthy(proc: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SetupError(f"gunicorn exited with {proc.returncode}:\n{log_tail()}")
        try:
            if http_get(port, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SetupError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{log_tail()}")


def log_tail(lines: int = 30) -> str:
    try:
        return "\n".join(SERVER_LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def http_request(
    port: int, method: str, path: str, headers: Mapping[str, str] | None = None, body: bytes | None = None
) -> Response:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        r = conn.getresponse()
        # Several Set-Cookie headers are joined by get_all; keep them apart for login().
        response_headers = {k.lower(): v for k, v in r.getheaders()}
        response_headers["set-cookie"] = "\n".join(r.headers.get_all("Set-Cookie") or [])
        return Response(status=r.status, headers=response_headers, body=r.read())
    finally:
        conn.close()


def http_get(port: int, path: str, cookie: str = "") -> Response:
    return http_request(port, "GET", path, {"Cookie": cookie} if cookie else None)


def cookies_from(response: Response) -> dict[str, str]:
    """Name → value of the Set-Cookie headers (the production cookies are Secure, so no cookie jar)."""
    found = {}
    for line in response.headers.get("set-cookie", "").splitlines():
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def login(port: int, username: str) -> str:
    """Log in through the login form; returns the Cookie header value for wrk."""
    page = http_get(port, "/accounts/login/")
    if page.status != 200:
        raise CheckFailed(f"GET /accounts/login/ answered {page.status}")
    csrf = cookies_from(page).get("csrftoken")
    if not csrf:
        raise CheckFailed("GET /accounts/login/ set no csrftoken cookie")
    form = urlencode({"username": username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": csrf})
    answer = http_request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
        form.encode(),
    )
    cookies = cookies_from(answer)
    session = cookies.get("sessionid")
    if answer.status not in (301, 302, 303) or not session:
        raise CheckFailed(f"login as {username} failed: POST /accounts/login/ answered {answer.status}")
    return f"sessionid={session}; csrftoken={cookies.get('csrftoken', csrf)}"


class RunContext:
    """The :class:`scenarios.Context` for one server."""

    def __init__(self, port: int, db: psycopg.Connection[Any]):
        self.port = port
        self.db = db

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, list(params)).fetchall()

    def get(self, path: str, cookie: str = "") -> Response:
        return http_get(self.port, path, cookie)


# --- wrk --------------------------------------------------------------------------------------

LUA = """
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 17)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
  bad = 0
end

function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter %% #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"p50_us": %%.1f, "p95_us": %%.1f, "p99_us": %%.1f, "requests": %%d, ' ..
    '"duration_us": %%d, "non200": %%d, "socket_errors": %%d}\\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.requests,
    summary.duration, non200, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(
    wrk: str, port: int, paths: Sequence[str], cookie: str, duration: int, threads: int, connections: int
) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % {"paths": ", ".join(lua_string(p) for p in paths)})
        script = f.name
    try:
        cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script]
        if cookie:
            cmd += ["-H", f"Cookie: {cookie}"]
        cmd.append(f"http://{HOST}:{port}{paths[0]}")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    finally:
        os.unlink(script)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise CheckFailed(
            f"wrk failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    seconds = raw["duration_us"] / 1e6
    return Result(
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p95_ms=round(raw["p95_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        rps=round(raw["requests"] / seconds, 1) if seconds else 0.0,
        requests=raw["requests"],
        errors=raw["non200"] + raw["socket_errors"],
    )


# --- measuring --------------------------------------------------------------------------------


def selected(names: str | None) -> list[Scenario]:
    wanted = [n.strip() for n in names.split(",") if n.strip()] if names else list(SCENARIOS)
    unknown = [n for n in wanted if n not in SCENARIOS]
    if unknown:
        raise SetupError(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    closure: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name not in closure:
            closure.add(name)
            todo.extend(SCENARIOS[name].requires)
    return [s for name, s in SCENARIOS.items() if name in closure]  # registry order: requirements first


def data_sizes(db: psycopg.Connection[Any]) -> dict[str, int]:
    orgs = db.execute("SELECT count(*) FROM organizations_organization").fetchone()
    users = db.execute("SELECT count(*) FROM accounts_user").fetchone()
    sizes = {"organizations": int(orgs[0]) if orgs else 0, "users": int(users[0]) if users else 0}
    for name, table in (
        ("applications", "certification_application"),
        ("materials", "certification_material"),
        ("certified", "certification_certification"),
    ):
        row = db.execute(f"SELECT count(*) FROM {table}").fetchone()  # table names are constants above
        sizes[name] = int(row[0]) if row else 0
    for name, sql in (
        ("providers", "SELECT count(DISTINCT provider_id) FROM catalog_service"),
        ("services", "SELECT count(*) FROM catalog_service"),
        ("orders", "SELECT count(*) FROM orders_order"),
        ("ratings", "SELECT count(*) FROM orders_rating"),
    ):
        row = db.execute(sql).fetchone()
        sizes[name] = int(row[0]) if row else 0
    return sizes


def measure(scenario: Scenario, ctx: RunContext, wrk: str, args: argparse.Namespace) -> Result:
    say(f"\n== {scenario.name}: {scenario.description}")
    paths = scenario.paths(ctx)
    cookie = login(ctx.port, scenario.login) if scenario.login else ""
    if scenario.verify is not None:
        for path in dict.fromkeys(paths):
            scenario.verify(ctx, path, ctx.get(path, cookie))
        say(f"  checked {len(set(paths))} path(s)")
    connections = scenario.connections or args.connections
    params = (min(args.threads, connections), connections)
    if args.warmup:
        run_wrk(wrk, ctx.port, paths, cookie, args.warmup, *params)
    result = dataclasses.replace(
        run_wrk(wrk, ctx.port, paths, cookie, args.duration, *params), connections=connections
    )
    say(
        f"  p50 {result.p50_ms} ms  p95 {result.p95_ms} ms  p99 {result.p99_ms} ms  {result.rps} req/s"
        f"  ({result.requests} requests, {result.errors} errors)"
    )
    distinct = list(dict.fromkeys(paths))
    if 1 < len(distinct) <= PER_PATH_LIMIT:
        per_path = {path: single_request_ms(ctx, path, cookie) for path in distinct}
        for path, ms in per_path.items():
            say(f"    {ms:7.1f} ms  {path}")
        result = dataclasses.replace(result, per_path_ms=per_path)
    return result


PER_PATH_LIMIT = 12


def single_request_ms(ctx: RunContext, path: str, cookie: str, repeat: int = 5) -> float:
    """Median time of one request at a time: the service time, without the queueing under load."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        ctx.get(path, cookie)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def verdict(scenario: Scenario, result: Result | None, results: Mapping[str, Result]) -> bool | None:
    """True/False against the target; None when the scenario has no target. Failed requests fail."""
    if result is None or result.errors:
        return False
    if scenario.judge is None:
        return None
    return scenario.judge(result, results)


def target_text(scenario: Scenario, results: Mapping[str, Result]) -> str:
    text = scenario.target or "—"
    if "bare_django" in scenario.requires and "bare_django" in results:
        text += f" (= {0.8 * results['bare_django'].rps:.0f})"
    return text


# --- reporting --------------------------------------------------------------------------------


def wrk_version(wrk: str) -> str:
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else ""


def print_table(rows: list[tuple[str, Result | None, str, bool | None]]) -> None:
    header = ("scenario", "p50 ms", "p95 ms", "p99 ms", "req/s", "target", "result")
    lines = [header]
    for name, r, target, ok in rows:
        figures = (
            (f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}", f"{r.p99_ms:.1f}", f"{r.rps:.0f}") if r else ("-",) * 4
        )
        lines.append((name, *figures, target, {True: "pass", False: "FAIL", None: "—"}[ok]))
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    say()
    for i, line in enumerate(lines):
        cells = [
            c + " " * (w - _width(c)) if j in (0, 5, 6) else " " * (w - _width(c)) + c
            for j, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        say("  ".join(cells).rstrip())
        if i == 0:
            say("  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    """Display width: CJK and full-width signs take two columns."""
    return sum(2 if ord(c) >= 0x1100 and not 0x2000 <= ord(c) < 0x2300 else 1 for c in text)


def write_results(entries: dict[str, dict[str, Any]], meta: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged: dict[str, Any] = {}
    if RESULTS.exists():
        try:
            merged = json.loads(RESULTS.read_text(encoding="utf-8"))
        except ValueError:
            say(f"warning: {RESULTS} was not valid JSON; starting afresh")
    merged.update(entries)
    merged["_meta"] = meta
    ordered = {"_meta": merged.pop("_meta"), **dict(sorted(merged.items()))}
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(RESULTS)
    say(f"\nwrote {RESULTS.relative_to(ROOT)}")


# --- main -------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scenarios", help=f"comma-separated subset of: {', '.join(SCENARIOS)} (default: all)")
    p.add_argument(
        "--organizations", type=int, help="organizations to generate (default: what the scenarios need)"
    )
    p.add_argument("--users", type=int, default=1000, help="generated enterprise users (default 1000)")
    p.add_argument("--duration", type=int, default=15, help="seconds measured per scenario (default 15)")
    p.add_argument(
        "--warmup", type=int, default=3, help="seconds of warm-up per scenario (default 3; 0 = none)"
    )
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    p.add_argument(
        "--settings",
        default=BENCH_SETTINGS,
        help=f"settings module of migrate, collectstatic and gunicorn (default: {BENCH_SETTINGS}); "
        f"the generate_* commands always run with {BENCH_SETTINGS}",
    )
    p.add_argument("--skip-data", action="store_true", help="skip migrate and generate_data")
    return p.parse_args(argv)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # stop the server on the way out, as on Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        scenarios = selected(args.scenarios)
        wrk = ensure_wrk()
        ensure_database()
        ensure_redis()
    except SetupError as e:
        say(f"bench: {e}")
        return 2
    organizations = args.organizations
    if organizations is None:
        organizations = max((s.data.get("organizations", 0) for s in scenarios), default=0)
    load_at_start = round(os.getloadavg()[0], 2)
    env = server_env(args.settings)
    # The generators live in the bench app, which only the bench settings install: whatever --settings
    # says, they run with those (same database, same environment otherwise).
    data_env = server_env(BENCH_SETTINGS)
    say(
        f"scenarios: {', '.join(s.name for s in scenarios)}; database {DB_NAME}; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s"
    )
    results: dict[str, Result] = {}
    failures: dict[str, str] = {}
    try:
        if not args.skip_data:
            manage(env, "migrate", "--noinput")
            manage(data_env, "generate_data", f"--organizations={organizations}", f"--users={args.users}")
            certification = {
                k: max((s.data.get(k, 0) for s in scenarios), default=0)
                for k in ("applications", "materials", "certified")
            }
            if any(certification.values()):
                manage(
                    data_env,
                    "generate_certification_data",
                    f"--applications={certification['applications']}",
                    f"--materials={certification['materials']}",
                    f"--certified={certification['certified']}",
                )
            marketplace = {
                k: max((s.data.get(k, 0) for s in scenarios), default=0)
                for k in ("providers", "services", "orders", "ratings")
            }
            if any(marketplace.values()):
                manage(data_env, "generate_marketplace_data", *(f"--{k}={v}" for k, v in marketplace.items()))
        # Production stores static files with a manifest: without it every page using {% static %} fails.
        if not manage(env, "collectstatic", "--noinput", "--verbosity=0", required=False):
            say("  pages that use {% static %} will answer 500 until collectstatic works")
        with psycopg.connect(PG_DSN, autocommit=True) as db:
            sizes = data_sizes(db)
            with gunicorn(env) as port:
                ctx = RunContext(port, db)
                for scenario in scenarios:
                    try:
                        results[scenario.name] = measure(scenario, ctx, wrk, args)
                    except CheckFailed as e:
                        failures[scenario.name] = str(e)
                        say(f"  FAILED: {e}")
    except SetupError as e:
        say(f"bench: {e}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted")
        return 130

    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    commit = git_commit()
    rows = []
    entries: dict[str, dict[str, Any]] = {}
    for scenario in scenarios:
        result = results.get(scenario.name)
        ok = verdict(scenario, result, results)
        target = target_text(scenario, results)
        rows.append((scenario.name, result, target, ok))
        common = {
            "data": {k: sizes[k] for k in scenario.data if k in sizes},
            "target": scenario.target or None,
            "pass": ok,
            "date": now,
            "commit": commit,
            "settings": args.settings,
        }
        if result is None:
            # Replace the previous figures: they no longer describe the code.
            entries[scenario.name] = {"error": failures.get(scenario.name, "not measured"), **common}
            continue
        entries[scenario.name] = {
            "p50_ms": result.p50_ms,
            "p95_ms": result.p95_ms,
            "p99_ms": result.p99_ms,
            "rps": result.rps,
            "connections": result.connections,
            "requests": result.requests,
            "errors": result.errors,
            **({"per_path_ms": dict(result.per_path_ms)} if result.per_path_ms else {}),
            **common,
        }
    print_table(rows)
    for name, message in failures.items():
        say(f"{name}: {message}")
    meta = {
        "date": now,
        "commit": commit,
        "scenarios": [s.name for s in scenarios],
        "machine": machine(load_at_start),
        "postgresql": _pg_version(),
        "server": {
            "gunicorn_workers": WORKERS,
            "worker_class": "sync",
            "settings": args.settings,
        },
        "wrk": {
            "version": wrk_version(wrk),
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "data": sizes,
    }
    write_results(entries, meta)
    return 0 if all(ok is not False for *_, ok in rows) else 1


def _pg_version() -> str | None:
    try:
        with psycopg.connect(PG_DSN, connect_timeout=5) as db:
            row = db.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except psycopg.Error:
        return None


if __name__ == "__main__":
    sys.exit(main())
