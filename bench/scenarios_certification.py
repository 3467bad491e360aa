"""Benchmark scenarios of certification (issue 3, "Speed"): the public register and a district
reviewer's queue, with 10,000 applications, 100,000 materials and 1,000 certified platforms
(``manage.py generate_certification_data``). Registered by ``bench/scenarios.py``; like it, this file
does not import Django.

The transition timing (one workflow transition with its log, audit row and notification) is
measured in-process by ``bench/batch_certification.py``.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from scenarios import BENCH_DISTRICT_CODE, CheckFailed, Context, Response, Scenario, expect_status_200

# Kept in step with bench/benchdata/certification.py.
APPLICATION_MARKER = "BENCH-"
DATA = {"organizations": 100_000, "applications": 10_000, "materials": 100_000, "certified": 1_000}
IN_FORCE = ("active", "rereview")

# --- certification_register -------------------------------------------------------------------

REGISTER_PATHS = [
    "/certification/register/",
    "/certification/register/?page=2",
    "/certification/register/?page=5",
    f"/certification/register/?district=cq-{BENCH_DISTRICT_CODE}",
    "/certification/register/?zone=liangyi",
    "/certification/register/?zone=yixiaoshi-jingjiquan&page=2",
    "/certification/register/?scheme=cq-2013-city&year=2025",
    "/certification/register/?category=market",
    "/certification/register/?scheme=national-2017",
]
_NUMBER = re.compile(r'data-testid="register-number">([^<]+)<')


def _register_paths(ctx: Context) -> list[str]:
    return list(REGISTER_PATHS)


def _verify_register(ctx: Context, path: str, response: Response) -> None:
    """The real register: entries whose numbers are titles in force, filtered as the path asks."""
    expect_status_200(ctx, path, response)
    numbers = [html.unescape(n).strip() for n in _NUMBER.findall(response.text)]
    if not numbers:
        raise CheckFailed(f"GET {path}: no register entries on the page (generate_certification_data?)")
    rows = ctx.query(
        "SELECT c.number, c.status, r.code, s.code, c.category_keys, EXTRACT(YEAR FROM c.granted_on)::int "
        "FROM certification_certification c JOIN regions_region r ON r.id = c.district_id "
        "JOIN certification_scheme s ON s.id = c.scheme_id WHERE c.number = ANY(%s)",
        [numbers],
    )
    found = {row[0]: row[1:] for row in rows}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise CheckFailed(f"GET {path}: numbers not in the database, e.g. {unknown[:3]}")
    not_in_force = [n for n, (status, *_rest) in found.items() if status not in IN_FORCE]
    if not_in_force:
        raise CheckFailed(f"GET {path}: titles not in force on the register, e.g. {not_in_force[:3]}")
    query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
    for number, (_status, district, scheme, categories, year) in found.items():
        if "district" in query and query["district"] != f"cq-{district}":
            raise CheckFailed(f"GET {path}: {number} is in {district}")
        if "scheme" in query and query["scheme"] != scheme:
            raise CheckFailed(f"GET {path}: {number} is under {scheme}")
        if "category" in query and f",{query['category']}," not in categories:
            raise CheckFailed(f"GET {path}: {number} lacks category {query['category']}")
        if "year" in query and int(query["year"]) != year:
            raise CheckFailed(f"GET {path}: {number} was granted in {year}")


# --- certification_queue ----------------------------------------------------------------------

QUEUE_PATHS = [
    "/certification/review/",
    "/certification/review/?status=submitted&page=2",
    "/certification/review/?status=rejected",
    "/certification/review/?status=rejected&page=2",
    "/certification/review/?status=recommended",
    "/certification/review/?status=city_review",
    "/certification/review/?round_year=2025",
    "/certification/review/?status=certified",
]
_REFERENCE = re.compile(re.escape(APPLICATION_MARKER) + r"\d{7}")


def _queue_paths(ctx: Context) -> list[str]:
    return list(QUEUE_PATHS)


def _verify_queue(ctx: Context, path: str, response: Response) -> None:
    """The real queue of bench_district: applications of 万州区 only, in the status asked for."""
    expect_status_200(ctx, path, response)
    text = response.text
    if 'name="password"' in text:
        raise CheckFailed(f"GET {path} shows a login form, not the review queue")
    references = sorted(set(_REFERENCE.findall(text)))
    if not references:
        raise CheckFailed(f"GET {path}: no applications on the page (generate_certification_data?)")
    rows = ctx.query(
        "SELECT a.reference, a.status, r.code FROM certification_application a "
        "JOIN regions_region r ON r.id = a.district_id WHERE a.reference = ANY(%s)",
        [references],
    )
    if len(rows) != len(references):
        raise CheckFailed(f"GET {path}: references on the page that are not in the database")
    outside = [ref for ref, _status, code in rows if code != BENCH_DISTRICT_CODE]
    if outside:
        raise CheckFailed(f"GET {path}: applications of other districts on the page, e.g. {outside[:3]}")
    wanted = parse_qs(urlsplit(path).query).get("status", ["submitted"])[0]
    wrong = [ref for ref, status, _code in rows if status != wanted]
    if wrong:
        raise CheckFailed(f"GET {path}: applications not in status {wanted}, e.g. {wrong[:3]}")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="certification_register",
        description="the public register of certified platforms, anonymous, with 1,000 certified platforms: "
        "filters by district, zone, scheme, year, category; later pages",
        paths=_register_paths,
        data=DATA,
        target="p95 ≤ 50 ms (4 connections: 2 per worker)",
        judge=lambda result, others: result.p95_ms <= 50,
        verify=_verify_register,
        connections=4,
    ),
    Scenario(
        name="certification_queue",
        description="a district reviewer's certification queue (万州区) with 10,000 applications and "
        "100,000 materials: statuses, round year, later pages",
        paths=_queue_paths,
        login="bench_district",
        data=DATA,
        target="p95 ≤ 50 ms (4 connections: 2 per worker)",
        judge=lambda result, others: result.p95_ms <= 50,
        verify=_verify_queue,
        connections=4,
    ),
)

__all__ = ["SCENARIOS"]
