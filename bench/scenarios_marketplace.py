"""Benchmark scenarios of the service marketplace (issue 4, "Speed"): the public catalogue filtered
and sorted, the keyword search (API and page) and a provider's public page, with 20,000 providers,
200,000 services, 2,000,000 orders and 500,000 ratings (``manage.py generate_marketplace_data``).
Registered by ``bench/scenarios.py``; like it, this file does not import Django.

The yearly figures rebuild is timed in-process by ``bench/batch_marketplace.py``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from scenarios import BENCH_DISTRICT_CODE, CheckFailed, Context, Response, Scenario, expect_status_200

# Kept in step with bench/benchdata/orders.py (DEFAULT_SIZES) and bench/benchdata/organizations.py.
DATA = {
    "organizations": 1_000_000,
    "providers": 20_000,
    "services": 200_000,
    "orders": 2_000_000,
    "ratings": 500_000,
}
MARKER_DOMAIN = "datagen.invalid"
PROVIDER_SERVICES_PER_PAGE = 20  # sme.catalog.selectors.PROVIDER_SERVICES_PER_PAGE
TARGET = "p95 ≤ 50 ms (4 connections: 2 per worker)"
YUZHONG_CODE = "500103"
JIANGBEI_CODE = "500105"
_SERVICE_LINK = re.compile(r'href="/catalog/services/(\d+)/"')

_SERVICE_FACTS = (
    "SELECT s.id, s.status, s.provider_id, c.key, t.key, s.serves_all_districts, s.fee_type, s.price_low, "
    "s.rating_average, s.published_at, s.orders_completed, s.price_high, "
    "ARRAY(SELECT r.code FROM catalog_servicedistrict d JOIN regions_region r ON r.id = d.district_id "
    "WHERE d.service_id = s.id) "
    "FROM catalog_service s LEFT JOIN catalog_servicecategory c ON c.id = s.category_id "
    "LEFT JOIN catalog_servicecategory t ON t.id = s.top_category_id WHERE s.id = ANY(%s)"
)
_SERVICE_TEXT = (
    "SELECT s.id, lower(concat_ws(' ', v.title, v.summary, v.content, c.name, t.name, o.name)) "
    "FROM catalog_service s JOIN catalog_servicerevision v ON v.id = s.published_revision_id "
    "JOIN organizations_organization o ON o.id = s.provider_id "
    "LEFT JOIN catalog_servicecategory c ON c.id = s.category_id "
    "LEFT JOIN catalog_servicecategory t ON t.id = s.top_category_id WHERE s.id = ANY(%s)"
)


def _query_of(path: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


def _ids_on_page(ctx: Context, path: str, response: Response) -> list[int]:
    expect_status_200(ctx, path, response)
    return [int(pk) for pk in dict.fromkeys(_SERVICE_LINK.findall(response.text))]


def _check_listing(ctx: Context, path: str, ids: Sequence[int], query: dict[str, str]) -> None:
    """The services shown are published and match every filter of ``query``, in its sort order."""
    if not ids:
        raise CheckFailed(f"GET {path}: no services listed (generate_marketplace_data?)")
    rows = {row[0]: row[1:] for row in ctx.query(_SERVICE_FACTS, [list(ids)])}
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise CheckFailed(f"GET {path}: services not in the database, e.g. {missing[:3]}")
    for pk in ids:
        status, _provider, leaf, top, serves_all, fee_type, _price, rating, *_rest, codes = rows[pk]
        if status != "published":
            raise CheckFailed(f"GET {path}: service {pk} is {status}, not published")
        if "category" in query and query["category"] not in (leaf, top):
            raise CheckFailed(f"GET {path}: service {pk} is in {leaf}/{top}, not {query['category']}")
        if "district" in query and not serves_all and query["district"] not in codes:
            raise CheckFailed(f"GET {path}: service {pk} is not offered in {query['district']}")
        if "fee_type" in query and fee_type != query["fee_type"]:
            raise CheckFailed(f"GET {path}: service {pk} has fee type {fee_type}")
        if query.get("free") == "1" and fee_type != "free":
            raise CheckFailed(f"GET {path}: service {pk} is not free")
        if "min_rating" in query and (rating is None or rating < Decimal(query["min_rating"])):
            raise CheckFailed(f"GET {path}: service {pk} is rated {rating}")
    _check_order(path, [rows[pk] for pk in ids], ids, query.get("sort", "newest"))


def _check_order(path: str, facts: list[tuple[Any, ...]], ids: Sequence[int], sort: str) -> None:
    """Consecutive services respect the sort (ties broken by id)."""
    # As sme.catalog.selectors orders: newest first, lowest price up, highest price down, rating, orders.
    column = {"newest": 8, "price_asc": 6, "price_desc": 10, "rating": 7, "orders": 9}[sort]
    descending = sort != "price_asc"
    keys = []
    for pk, row in zip(ids, facts, strict=True):
        value = row[column]
        if sort == "rating" and value is None:
            value = Decimal(-1)  # nulls last
        keys.append((value, pk))
    ordered = sorted(keys, reverse=descending)
    if keys != ordered:
        raise CheckFailed(f"GET {path}: services not in {sort} order: {[pk for _v, pk in keys][:6]}")


# --- catalog_filtered -------------------------------------------------------------------------

FILTERED_PATHS = [
    f"/catalog/?category=erp&district={BENCH_DISTRICT_CODE}&sort=price_asc",
    f"/catalog/?category=management-consulting&district={BENCH_DISTRICT_CODE}&sort=rating",
    f"/catalog/?category=management-consulting&district={BENCH_DISTRICT_CODE}&sort=rating&page=2",
    f"/catalog/?category=testing&district={YUZHONG_CODE}&sort=newest",
    f"/catalog/?category=quality&district={JIANGBEI_CODE}&sort=price_desc&page=2",
    "/catalog/?category=training&sort=newest&page=2",
    f"/catalog/?category=tech-innovation&district={YUZHONG_CODE}&fee_type=fixed&sort=price_asc",
    f"/catalog/?category=market-expansion&district={BENCH_DISTRICT_CODE}&free=1&sort=newest",
    f"/catalog/?district={BENCH_DISTRICT_CODE}&sort=rating&page=2",
    "/catalog/?category=industrial-design&sort=orders",
]


def _filtered_paths(ctx: Context) -> list[str]:
    return list(FILTERED_PATHS)


def _verify_filtered(ctx: Context, path: str, response: Response) -> None:
    _check_listing(ctx, path, _ids_on_page(ctx, path, response), _query_of(path))


# --- catalog_search ---------------------------------------------------------------------------

SEARCH_WORDS = ("财务", "ERP", "工业设计", "质量体系认证", "直播带货", "专利申请")
_jieba: Any = None


def _terms(q: str) -> list[str]:
    """The query's terms as the catalogue segments them (sme.core.search): every one must appear in a
    found service's text."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    terms = []
    for token in _jieba.cut_for_search(q):
        token = "".join(ch for ch in token.strip().lower() if ch.isalnum())
        if token and token not in terms:
            terms.append(token)
    return terms


def _provider_keyword(ctx: Context) -> tuple[int, str]:
    """A generated provider with many published services, and its name without 重庆 and 有限公司 —
    what a user types to find it."""
    rows = ctx.query(
        "SELECT o.id, o.name FROM organizations_organization o JOIN ("
        "SELECT provider_id, count(*) AS n FROM catalog_service WHERE status = 'published' "
        "GROUP BY provider_id ORDER BY n DESC, provider_id LIMIT 50) top ON top.provider_id = o.id "
        "WHERE o.contact_email LIKE %s AND o.name LIKE '重庆%%有限公司' ORDER BY top.n DESC, o.id LIMIT 1",
        [f"%@{MARKER_DOMAIN}"],
    )
    if not rows:
        raise CheckFailed("no generated provider with services (generate_marketplace_data?)")
    pk, name = rows[0]
    return int(pk), str(name).removeprefix("重庆市").removeprefix("重庆").removesuffix("有限公司")


def _search_paths(ctx: Context) -> list[str]:
    _pk, keyword = _provider_keyword(ctx)
    api = "/api/v1/catalog/services?"
    return [
        *(api + urlencode({"q": word}) for word in SEARCH_WORDS),
        api + urlencode({"q": "财务", "district": BENCH_DISTRICT_CODE, "sort": "price_asc"}),
        api + urlencode({"q": "ERP", "page": 2}),
        api + urlencode({"q": keyword}),
        f"/catalog/?q={quote('财务管理')}",
        f"/catalog/?q={quote('工业设计')}&sort=rating",
        f"/catalog/?q={quote(keyword)}",
    ]


def _verify_search(ctx: Context, path: str, response: Response) -> None:
    """Every service found holds every term of the query (title, summary, content, categories or
    provider name), matches the other filters, and a provider's name finds that provider's services."""
    query = _query_of(path)
    if path.startswith("/api/"):
        expect_status_200(ctx, path, response)
        try:
            payload = json.loads(response.body)
        except ValueError as e:
            raise CheckFailed(f"GET {path}: not JSON ({e})") from e
        results = payload.get("results") or []
        for key in ("count", "next", "previous"):
            if key not in payload:
                raise CheckFailed(f"GET {path}: no {key!r} in the answer")
        for row in results:
            if not {"id", "title", "provider", "category", "fee"} <= set(row):
                raise CheckFailed(f"GET {path}: a result lacks id/title/provider/category/fee: {row}")
        ids = [int(row["id"]) for row in results]
        providers = {int(row["provider"]["id"]) for row in results}
    else:
        ids = _ids_on_page(ctx, path, response)
        providers = {int(pk) for pk in re.findall(r'href="/catalog/providers/(\d+)/"', response.text)}
    _check_listing(ctx, path, ids, query)
    texts = dict(ctx.query(_SERVICE_TEXT, [ids]))
    terms = _terms(query["q"])
    for pk in ids:
        absent = [t for t in terms if t not in texts.get(pk, "")]
        if absent:
            raise CheckFailed(f"GET {path}: service {pk} lacks the term(s) {absent} of {query['q']!r}")
    if query["q"] not in SEARCH_WORDS and query["q"] not in ("财务管理", "工业设计"):
        provider_id, _keyword = _provider_keyword(ctx)
        if provider_id not in providers:
            raise CheckFailed(
                f"GET {path}: the services of provider {provider_id} were not found by its name"
            )


# --- provider_page ----------------------------------------------------------------------------


def _provider_ids(ctx: Context) -> list[int]:
    """Providers with the most published services, with certification titles, and ordinary ones."""
    busiest = ctx.query(
        "SELECT provider_id FROM catalog_service WHERE status = 'published' GROUP BY provider_id "
        "ORDER BY count(*) DESC, provider_id LIMIT 6"
    )
    certified = ctx.query(
        "SELECT s.provider_id FROM catalog_service s WHERE s.status = 'published' AND EXISTS ("
        "SELECT 1 FROM certification_certification c WHERE c.organization_id = s.provider_id) "
        "GROUP BY s.provider_id ORDER BY count(*) DESC, s.provider_id LIMIT 3"
    )
    ordinary = ctx.query(
        "SELECT provider_id FROM catalog_service WHERE status = 'published' GROUP BY provider_id "
        "HAVING count(*) BETWEEN 8 AND 12 ORDER BY provider_id LIMIT 3"
    )
    ids = list(dict.fromkeys(int(pk) for (pk,) in [*busiest, *certified, *ordinary]))
    if not ids:
        raise CheckFailed("no provider with published services (generate_marketplace_data?)")
    return ids


def _provider_paths(ctx: Context) -> list[str]:
    return [f"/catalog/providers/{pk}/" for pk in _provider_ids(ctx)]


def _verify_provider(ctx: Context, path: str, response: Response) -> None:
    """The provider's name, the first page of its published services (its own newest, and how many
    there are), and its yearly figures."""
    expect_status_200(ctx, path, response)
    pk = int(path.rstrip("/").rsplit("/", 1)[1])
    text = response.text
    (name,) = ctx.query("SELECT name FROM organizations_organization WHERE id = %s", [pk])[0]
    if f'data-testid="provider-name">{name}<' not in text:
        raise CheckFailed(f"GET {path}: the provider's name {name} is not the page's heading")
    ids = [int(s) for s in dict.fromkeys(_SERVICE_LINK.findall(text))]
    if not ids:
        raise CheckFailed(f"GET {path}: no services listed")
    own = {
        int(s)
        for (s,) in ctx.query(
            "SELECT id FROM catalog_service WHERE provider_id = %s AND status = 'published' AND id = ANY(%s)",
            [pk, ids],
        )
    }
    if set(ids) - own:
        raise CheckFailed(
            f"GET {path}: services of others or unpublished ones, e.g. {sorted(set(ids) - own)[:3]}"
        )
    newest = [
        int(s)
        for (s,) in ctx.query(
            "SELECT id FROM catalog_service WHERE provider_id = %s AND status = 'published' "
            "ORDER BY published_at DESC, id DESC LIMIT %s",
            [pk, PROVIDER_SERVICES_PER_PAGE],
        )
    ]
    if ids != newest:
        raise CheckFailed(f"GET {path}: the first page is not its {len(newest)} newest services")
    (published,) = ctx.query(
        "SELECT count(*) FROM catalog_service WHERE provider_id = %s AND status = 'published'", [pk]
    )[0]
    if published > PROVIDER_SERVICES_PER_PAGE and f"共 {published:,} 条" not in text:
        raise CheckFailed(f"GET {path}: the page does not say that there are {published:,} services")
    figures = ctx.query(
        "SELECT year, smes_served, orders_completed FROM orders_provideryearfigures WHERE provider_id = %s "
        "ORDER BY year DESC LIMIT 3",
        [pk],
    )
    if figures:
        if 'data-testid="provider-figures"' not in text:
            raise CheckFailed(f"GET {path}: the provider has yearly figures but the page shows none")
        year, smes, completed = figures[0]
        row = f"<td>{year}</td><td>{smes}</td><td>{completed}</td>"
        if row not in text:
            raise CheckFailed(
                f"GET {path}: the {year} figures ({smes} SMEs, {completed} orders) are not shown"
            )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="catalog_filtered",
        description="the public catalogue, anonymous, with 200,000 services: category and district facets, "
        "fee filters, sorted by price, rating, orders or newest; later pages",
        paths=_filtered_paths,
        data=DATA,
        target=TARGET,
        judge=lambda result, others: result.p95_ms <= 50,
        verify=_verify_filtered,
        connections=4,
    ),
    Scenario(
        name="catalog_search",
        description="keyword search for Chinese words and a provider's name, the API "
        "(/api/v1/catalog/services?q=) and the catalogue page, with 200,000 services",
        paths=_search_paths,
        data=DATA,
        target=TARGET,
        judge=lambda result, others: result.p95_ms <= 50,
        verify=_verify_search,
        connections=4,
    ),
    Scenario(
        name="provider_page",
        description="providers' public pages (the busiest, certified and ordinary ones): services, "
        "certification titles and the yearly figures, with 2,000,000 orders",
        paths=_provider_paths,
        data=DATA,
        target=TARGET,
        judge=lambda result, others: result.p95_ms <= 50,
        verify=_verify_provider,
        connections=4,
    ),
)

__all__ = ["SCENARIOS"]
