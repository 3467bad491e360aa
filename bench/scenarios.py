"""The benchmark scenarios, by name. ``bench/run.py`` measures whichever are asked for.

A scenario says which paths to request (rotated over, one per request), as whom, how much data it
needs, how to check a response before measuring, and its target. Adding one is adding an entry to
:data:`SCENARIOS` (see ``bench/README.md``).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

# Kept in step with bench/benchdata/organizations.py (this file does not import Django).
MARKER_DOMAIN = "datagen.invalid"
SEARCH_WORD = "华信"
BENCH_DISTRICT_CODE = "500101"  # 万州区, bench_district's jurisdiction


@dataclass(frozen=True)
class Result:
    """One measured run: latencies in milliseconds, throughput, and failed requests."""

    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float
    requests: int
    errors: int  # answers other than 200, plus socket errors and timeouts
    connections: int = 0  # wrk connections the figures were measured with
    # Median time of single requests per path, after the load run (only for a few distinct paths).
    per_path_ms: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Context(Protocol):
    """What a scenario may use while preparing (provided by run.py)."""

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows from the benchmark database."""
        ...

    def get(self, path: str, cookie: str = "") -> Response:
        """One GET against the server under test, redirects not followed."""
        ...


Verify = Callable[[Context, str, Response], None]  # raises CheckFailed when the answer is wrong
Judge = Callable[[Result, Mapping[str, Result]], bool]  # the target; gets the run's other results


class CheckFailed(Exception):
    pass


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    paths: Callable[[Context], list[str]]
    login: str | None = None  # username (password: benchdata.organizations.BENCH_PASSWORD), None: anonymous
    data: Mapping[str, int] = field(default_factory=dict)  # minimum data sizes, e.g. {"organizations": N}
    requires: tuple[str, ...] = ()  # scenarios that must run in the same invocation (for the target)
    target: str = ""  # the target in words, shown in the table
    judge: Judge | None = None
    verify: Verify | None = None
    # Connections for this scenario instead of --connections. A latency target is read at a load the
    # server sustains: past saturation, closed-loop latency only grows with the connection count.
    connections: int | None = None


def expect_status_200(ctx: Context, path: str, response: Response) -> None:
    if response.status != 200:
        location = response.headers.get("location", "")
        raise CheckFailed(f"GET {path} answered {response.status}{' → ' + location if location else ''}")


# --- bare_django ------------------------------------------------------------------------------


def _verify_healthz(ctx: Context, path: str, response: Response) -> None:
    expect_status_200(ctx, path, response)
    if response.body.strip() != b"ok":
        raise CheckFailed(f"GET {path} did not answer 'ok': {response.body[:100]!r}")


# --- uscc_api ---------------------------------------------------------------------------------


def _uscc_paths(ctx: Context) -> list[str]:
    """~200 codes: valid generated ones, the same in lower case, and several kinds of invalid input."""
    rows = ctx.query(
        "SELECT uscc FROM organizations_organization WHERE contact_email LIKE %s ORDER BY md5(uscc) LIMIT 130",
        [f"%@{MARKER_DOMAIN}"],
    )
    valid = [r[0] for r in rows]
    if len(valid) < 20:
        raise CheckFailed(
            "uscc_api needs generated organizations (manage.py generate_data --organizations N)"
        )
    rng = random.Random(2026)
    codes = valid[:100] + [c.lower() for c in valid[100:130]]
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i, c in enumerate(valid[:70]):
        kind = i % 7
        if kind == 0:  # wrong check character
            codes.append(c[:17] + next(x for x in charset if x != c[17]))
        elif kind == 1:  # one character short
            codes.append(c[:17])
        elif kind == 2:  # a letter the standard excludes
            codes.append(c[:10] + "O" + c[11:])
        elif kind == 3:  # letters in the region part
            codes.append(c[:4] + "AB" + c[6:])
        elif kind == 4:  # full-width characters (normalised by the checker)
            codes.append("".join(chr(ord(x) + 0xFEE0) for x in c))
        elif kind == 5:  # too long
            codes.append(c + rng.choice(charset))
        else:  # garbage
            codes.append("".join(rng.choice("0123456789abcxyz-") for _ in range(rng.randrange(1, 25))))
    rng.shuffle(codes)
    return [f"/api/v1/tools/uscc/{quote(c, safe='')}" for c in codes]


def _verify_uscc(ctx: Context, path: str, response: Response) -> None:
    expect_status_200(ctx, path, response)
    try:
        body = json.loads(response.body)
    except ValueError as e:
        raise CheckFailed(f"GET {path} did not answer JSON: {response.body[:100]!r}") from e
    if "valid" not in body:
        raise CheckFailed(f"GET {path}: no 'valid' in {body!r}")


def _judge_uscc(result: Result, others: Mapping[str, Result]) -> bool:
    bare = others.get("bare_django")
    return result.rps >= 500 and bare is not None and result.rps >= 0.8 * bare.rps


# --- org_list_1m ------------------------------------------------------------------------------

ORG_LIST_PATHS = [
    "/organizations/",
    "/organizations/?status=pending",
    "/organizations/?status=verified&page=3",
    "/organizations/?kind=enterprise&sort=name",
    f"/organizations/?q={quote(SEARCH_WORD)}",
    "/organizations/?status=rejected&page=2",
]
_CJK_RUN = re.compile(r"[\u4e00-\u9fff（）]{4,100}")


def _org_list_paths(ctx: Context) -> list[str]:
    return list(ORG_LIST_PATHS)


def _verify_org_list(ctx: Context, path: str, response: Response) -> None:
    """The real list, scoped to 万州区: names of its organizations appear, names of others' do not."""
    expect_status_200(ctx, path, response)
    text = response.text
    if 'name="password"' in text:
        raise CheckFailed(f"GET {path} shows a login form, not the organization list")
    candidates = sorted(set(_CJK_RUN.findall(text)))
    if not candidates:
        raise CheckFailed(f"GET {path}: no organization names on the page")
    rows = ctx.query(
        "SELECT DISTINCT o.name, r.code = %s FROM organizations_organization o "
        "JOIN regions_region r ON r.id = o.district_id WHERE o.name = ANY(%s)",
        [BENCH_DISTRICT_CODE, candidates],
    )
    inside = {name for name, ours in rows if ours}
    outside = {name for name, ours in rows if not ours} - inside
    if not inside:
        raise CheckFailed(f"GET {path}: none of 万州区's organizations on the page")
    if outside:
        raise CheckFailed(
            f"GET {path}: organizations of other districts on the page, e.g. {sorted(outside)[:3]}"
        )


# --- the registry -----------------------------------------------------------------------------

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            name="bare_django",
            description="GET /healthz: a view returning a constant, through the whole middleware stack; "
            "the framework's ceiling on this machine",
            paths=lambda ctx: ["/healthz"],
            verify=_verify_healthz,
        ),
        Scenario(
            name="uscc_api",
            description="GET /api/v1/tools/uscc/<code>, anonymous, rotating over ~200 valid, lower-case and "
            "invalid codes",
            paths=_uscc_paths,
            data={"organizations": 1_000},
            requires=("bare_django",),
            target="≥ 500 req/s and ≥ 0.8 × bare_django",
            judge=_judge_uscc,
            verify=_verify_uscc,
        ),
        Scenario(
            name="org_list_1m",
            description="the organization list of a district officer (万州区) with 1,000,000 organizations: "
            "filters, sorting, search, later pages",
            paths=_org_list_paths,
            login="bench_district",
            data={"organizations": 1_000_000},
            target="p95 ≤ 50 ms (4 connections: 2 per worker)",
            judge=lambda result, others: result.p95_ms <= 50,
            verify=_verify_org_list,
            connections=4,
        ),
    )
}

# Scenarios of later issues live beside this file and register themselves here (they import the
# building blocks above, so they are imported last).
from scenarios_certification import SCENARIOS as _CERTIFICATION  # noqa: E402

SCENARIOS.update({s.name: s for s in _CERTIFICATION})
from scenarios_marketplace import SCENARIOS as _MARKETPLACE  # noqa: E402

SCENARIOS.update({s.name: s for s in _MARKETPLACE})
