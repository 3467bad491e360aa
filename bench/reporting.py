"""What every benchmark writes beside its figures: the commit, the machine, percentiles, and a
PostgreSQL database of its own; the bench settings for the scripts that run the data generators.
Shared by ``run.py`` and the ``batch_*.py`` scripts (no Django)."""

from __future__ import annotations

import os
import platform
import secrets
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Production plus the bench-only app with the generate_* commands (bench/benchdata).
BENCH_SETTINGS = "config.settings.bench"


def use_bench_settings() -> str:
    """Make ``config.settings.bench`` the default settings of this process, with the values production
    insists on and an in-process script does not care about: a throwaway ``SECRET_KEY``, a local
    ``ALLOWED_HOSTS`` and the per-process memory cache (what the base settings use). Values already in
    the environment win. Returns the settings module in force."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", BENCH_SETTINGS)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    return os.environ["DJANGO_SETTINGS_MODULE"]


def git_commit() -> str | None:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("-dirty" if dirty else "")


def machine(load_at_start: float | None = None) -> dict[str, Any]:
    """CPU, memory and Python; other work on the machine skews the figures, so the 1-minute load
    average before the measurement started goes in too."""
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2) if load_at_start is None else load_at_start,
    }
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def ensure_postgres_database(url: str) -> None:
    """Create the database ``url`` names unless it exists."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
