"""The bench app stays out of the runtime: nothing under sme/ imports it, and only the bench and test
settings install it."""

from __future__ import annotations

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_runtime_module_imports_the_bench_app():
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "sme").rglob("*.py")
        for name in _imported_modules(path)
        if name == "bench" or name.startswith("bench.")
    )
    assert offenders == []


def _installed_apps(settings_module: str) -> list[str]:
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": "sqlite:///:memory:",
        "CACHE_URL": "locmemcache://",
    }
    code = f"import {settings_module} as s; print('\\n'.join(s.INSTALLED_APPS))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_only_the_bench_and_test_settings_install_the_bench_app():
    assert "bench.benchdata" not in _installed_apps("config.settings.base")
    assert "bench.benchdata" not in _installed_apps("config.settings.production")
    assert "bench.benchdata" in _installed_apps("config.settings.bench")
    assert "bench.benchdata" in _installed_apps("config.settings.test")
