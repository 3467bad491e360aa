"""Bulk synthetic orders and ratings for benchmarks (part of ``manage.py generate_marketplace_data``).

Buyers are generated, verified enterprises; orders go to published generated services (a few
services get most of them), spread over three years, and follow the order state machine in time:
most are completed, some declined or cancelled, the recent ones still in progress. Each keeps a small
snapshot of the terms and the agreed price. Ratings go to completed orders within 30 days of
completion (some with a provider reply, some hidden by an officer); a few providers get their
ratings from a handful of SMEs (the concentration flag). ``Service.orders_completed`` and the rating
columns are recounted afterwards. Generated orders have numbers ``BM0000000001``…; running again only
adds what is missing.

Nothing here is used by the application itself. Never run it against a production database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from sme.catalog.models import FeeType, Service, ServiceDistrict, ServiceRevision, ServiceStatus
from sme.orders.models import Order, OrderStatus, Rating
from sme.organizations.models import OrganizationKind, VerificationStatus
from sme.workdays.calendar import CalendarNotCovered, is_workday

from .catalog import (
    bench_user,
    generated_services,
    insert_generated,
    reserve_ids,
    skewed,
)
from .organizations import Report, _quiet, generated_organizations, is_postgresql

MARKER = "BM"  # Order.number prefix of generated orders
BUYER_USERNAME = "bench_market_buyer"  # rates the generated orders
REPLIER_USERNAME = "bench_market_provider"  # = bench.benchdata.catalog.PROVIDER_USERNAME
CHUNK = 100_000
BUYER_POOL = 200_000  # generated enterprises that order
HISTORY_DAYS = 3 * 365
RATING_WINDOW_DAYS = 30
CONCENTRATED_SHARE = 0.005  # providers whose orders (hence ratings) come mostly from three SMEs

ORDER_COLUMNS = (
    "id",
    "number",
    "enterprise_id",
    "provider_id",
    "provider_district_id",
    "enterprise_district_id",
    "service_id",
    "service_revision_id",
    "title",
    "category_id",
    "snapshot",
    "quantity",
    "agreed_price",
    "small_micro_price_applied",
    "requirements",
    "contact_name",
    "contact_phone",
    "status",
    "submitted_at",
    "respond_by",
    "deliver_by",
    "accepted_at",
    "delivered_at",
    "completed_at",
    "cancelled_at",
    "delivered_on_time",
    "decline_reason",
    "delivery_note",
    "dispute_reason",
    "cancel_reason",
    "cancel_requested_by",
    "version",
    "created_at",
    "updated_at",
)
RATING_COLUMNS = (
    "order_id",
    "enterprise_id",
    "provider_id",
    "service_id",
    "quality",
    "timeliness",
    "attitude",
    "satisfied",
    "comment",
    "rated_by_id",
    "created_at",
    "reply",
    "replied_by_id",
    "replied_at",
    "is_hidden",
    "hidden_reason",
)
# What happens to an order in the end (a recent one may not have got there yet).
FATES: tuple[tuple[str, float], ...] = (
    ("completed", 0.86),
    ("disputed_then_completed", 0.03),
    ("declined", 0.04),
    ("cancelled_before", 0.04),
    ("cancelled_after", 0.01),
    ("disputed_open", 0.02),
)
REQUIREMENTS = (
    "希望尽快安排，先电话沟通需求。",
    "公司员工约50人，需现场服务。",
    "请按公开的服务流程执行，按时交付。",
    "",
)
DECLINE_REASONS = ("本月服务排期已满，无法按时交付。", "需求超出本服务范围，建议另行咨询。")
CANCEL_REASONS = ("企业需求有变，取消订单。", "双方协商一致取消。")
DISPUTE_REASONS = ("交付报告与约定内容不符，请补充完善。", "交付时间晚于约定，部分内容缺失。")
COMMENTS_GOOD = ("服务专业，响应及时，推荐。", "顾问经验丰富，方案落地效果好。", "按时交付，沟通顺畅。", "")
COMMENTS_BAD = ("交付拖延，沟通不畅。", "服务内容与宣传不符。", "价格偏高，效果一般。")
STAR_WEIGHTS = (0.03, 0.05, 0.12, 0.30, 0.50)  # 1..5


@dataclass(frozen=True)
class ServiceInfo:
    pk: int
    provider_id: int
    district_id: int
    revision_id: int
    title: str
    category_id: int | None
    fee_type: str
    fee_amount: Decimal | None
    fee_min: Decimal | None
    fee_max: Decimal | None
    small_micro_price: Decimal | None
    response_workdays: int
    delivery_workdays: int
    published_at: dt.datetime
    snapshot: Any  # a JSON string on PostgreSQL (COPY), a dict elsewhere


class _LocalTime:
    """``timezone.localtime`` for millions of calls: the zone looked up once."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)


_LOCAL = _LocalTime()


class WorkdayTable:
    """``add_workdays`` for many dates at once: the calendar's answers for a span of days, read once.
    Days the calendar does not cover (a year not yet published) count Monday to Friday."""

    def __init__(self, first: dt.date, last: dt.date):
        self.days: list[dt.date] = []
        day = first
        while day <= last:
            try:
                working = is_workday(day)
            except CalendarNotCovered:
                working = day.weekday() < 5
            if working:
                self.days.append(day)
            day += dt.timedelta(days=1)

    def add(self, start: dt.date, n: int) -> dt.date:
        if n <= 0:
            return start
        i = bisect.bisect_right(self.days, start) + n - 1
        if i < len(self.days):
            return self.days[i]
        return self.days[-1] + dt.timedelta(days=(i - len(self.days) + 1) * 7 // 5 + 1)


def generated_orders() -> models.QuerySet[Order]:
    return Order.objects.filter(number__startswith=MARKER)


def _pick(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    roll, acc = rng.random(), 0.0
    for value, weight in weights:
        acc += weight
        if roll < acc:
            return value
    return weights[-1][0]


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def service_infos() -> list[ServiceInfo]:
    """Generated services with a published revision (published, suspended or withdrawn later)."""
    rows = (
        generated_services()
        .filter(
            status__in=(ServiceStatus.PUBLISHED, ServiceStatus.SUSPENDED, ServiceStatus.WITHDRAWN),
            published_revision__isnull=False,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "provider_id",
            "provider_district_id",
            "published_revision_id",
            "published_revision__number",
            "title",
            "category_id",
            "category__name",
            "provider__name",
            "published_revision__fee_type",
            "published_revision__fee_amount",
            "published_revision__fee_min",
            "published_revision__fee_max",
            "published_revision__fee_unit",
            "published_revision__small_micro_price",
            "published_revision__response_workdays",
            "published_revision__delivery_workdays",
            "published_revision__service_hours",
            "published_revision__summary",
            "published_revision__deliverables",
            "published_revision__quality_standard",
            "published_at",
        )
    )
    as_text = is_postgresql()
    infos = []
    for (pk, provider_id, district_id, revision_id, number, title, category_id, category, provider,
         fee_type, amount, fee_min, fee_max, unit, small, response, delivery, hours, summary,
         deliverables, standard, published_at) in rows.iterator(chunk_size=20_000):  # fmt: skip
        snapshot = {
            "source": "catalogue",
            "revision": number,
            "title": title,
            "category": category,
            "provider": provider,
            "content": summary,
            "deliverables": deliverables,
            "quality_standard": standard,
            "fee": {
                "type": fee_type,
                "amount": _plain(amount),
                "min": _plain(fee_min),
                "max": _plain(fee_max),
                "unit": unit,
                "small_micro_price": _plain(small),
            },
            "time": {"response_workdays": response, "delivery_workdays": delivery, "service_hours": hours},
        }
        infos.append(
            ServiceInfo(
                pk, provider_id, district_id, revision_id, title, category_id, fee_type, amount, fee_min,
                fee_max, small, response or 1, delivery or 10, published_at or timezone.now(),
                json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")) if as_text else snapshot,
            )
        )  # fmt: skip
    return infos


def buyer_pool(limit: int = BUYER_POOL) -> list[tuple[int, int]]:
    """(id, district id) of generated, verified enterprises."""
    rows = (
        generated_organizations()
        .filter(kind=OrganizationKind.ENTERPRISE, verification_status=VerificationStatus.VERIFIED)
        .order_by("pk")
        .values_list("pk", "district_id")[:limit]
    )
    return list(rows)


def _agreed_price(s: ServiceInfo, rng: random.Random, quantity: int) -> tuple[Decimal, bool]:
    small = s.small_micro_price is not None and rng.random() < 0.3
    if s.fee_type == FeeType.FREE:
        return Decimal("0.00"), False
    if s.fee_type == FeeType.RANGE and s.fee_min is not None and s.fee_max is not None:
        low, high = int(s.fee_min), int(s.fee_max)
        return Decimal(rng.randrange(low, high + 1, max(1, (high - low) // 10 or 1))).quantize(
            Decimal("0.01")
        ), False
    unit = s.small_micro_price if small and s.small_micro_price is not None else (s.fee_amount or Decimal(0))
    return (unit * quantity).quantize(Decimal("0.01")), small


def order_row(
    order_id: int,
    n: int,
    s: ServiceInfo,
    buyer: tuple[int, int],
    rng: random.Random,
    now: dt.datetime,
    workdays: WorkdayTable,
) -> tuple[Any, ...]:
    """One order in :data:`ORDER_COLUMNS` order; its timeline is cut at ``now``."""
    earliest = max(s.published_at, now - dt.timedelta(days=HISTORY_DAYS))
    span = max(3600.0, (now - earliest).total_seconds() - 600)
    submitted = earliest + dt.timedelta(seconds=rng.uniform(0, span))
    fate = _pick(rng, FATES)
    quantity = rng.randrange(1, 11) if s.fee_type == FeeType.PER_UNIT else 1
    price, small = _agreed_price(s, rng, quantity)
    local = _LOCAL.local
    respond_by = workdays.add(local(submitted).date(), s.response_workdays)
    events: list[tuple[str, dt.datetime]] = []  # (status reached, when)
    t = submitted
    accepted = delivered = completed = cancelled = None
    deliver_by = None
    on_time = None
    decline_reason = cancel_reason = dispute_reason = delivery_note = ""
    if fate == "declined":
        t += dt.timedelta(hours=rng.uniform(1, 40))
        events.append((OrderStatus.DECLINED, t))
        decline_reason = rng.choice(DECLINE_REASONS)
    elif fate == "cancelled_before":
        t += dt.timedelta(hours=rng.uniform(0.5, 20))
        events.append((OrderStatus.CANCELLED, t))
        cancel_reason = rng.choice(CANCEL_REASONS)
    else:
        # 8 % answer after the stated response time (overdue), the rest within it.
        late = rng.random() < 0.08
        t += dt.timedelta(hours=rng.uniform(24 * s.response_workdays + 24, 24 * s.response_workdays + 120)
                          if late else rng.uniform(0.5, 20))  # fmt: skip
        accepted = t
        events.append((OrderStatus.ACCEPTED, t))
        deliver_by = workdays.add(local(accepted).date(), s.delivery_workdays)
        t += dt.timedelta(hours=rng.uniform(1, 48))
        events.append((OrderStatus.IN_PROGRESS, t))
        if fate == "cancelled_after":
            t += dt.timedelta(days=rng.uniform(1, 10))
            events.append((OrderStatus.CANCELLED, t))
            cancel_reason = CANCEL_REASONS[1]
        else:
            due = dt.datetime.combine(deliver_by, dt.time(17), tzinfo=_LOCAL.zone)
            if rng.random() < 0.87:
                delivered = accepted + (due - accepted) * rng.uniform(0.3, 1.0)
            else:
                delivered = due + dt.timedelta(days=rng.uniform(1, 12))
            delivered = max(delivered, t + dt.timedelta(hours=1))
            t = delivered
            on_time = local(delivered).date() <= deliver_by
            delivery_note = "已按服务协议交付成果报告，请验收。"
            events.append((OrderStatus.DELIVERED, t))
            if fate in ("disputed_then_completed", "disputed_open"):
                t += dt.timedelta(days=rng.uniform(0.5, 5))
                events.append((OrderStatus.DISPUTED, t))
                dispute_reason = rng.choice(DISPUTE_REASONS)
            if fate != "disputed_open":
                if fate == "disputed_then_completed":
                    t += dt.timedelta(days=rng.uniform(2, 10))
                    events.append((OrderStatus.IN_PROGRESS, t))
                    t += dt.timedelta(days=rng.uniform(1, 5))
                    events.append((OrderStatus.DELIVERED, t))
                t += dt.timedelta(days=rng.uniform(0.2, 6))
                events.append((OrderStatus.COMPLETED, t))
    reached = [(status, when) for status, when in events if when <= now]
    status = reached[-1][0] if reached else OrderStatus.SUBMITTED
    updated = reached[-1][1] if reached else submitted
    at = dict(reached)

    def when(target: str) -> dt.datetime | None:
        return at.get(target)

    if OrderStatus.ACCEPTED not in at:
        accepted = None
        deliver_by = None
    if OrderStatus.DELIVERED not in at:
        delivered, on_time, delivery_note = None, None, ""
    elif OrderStatus.COMPLETED in at or status == OrderStatus.DELIVERED:
        delivered = when(OrderStatus.DELIVERED)  # the last delivery
    if status != OrderStatus.DISPUTED and OrderStatus.DISPUTED not in at:
        dispute_reason = ""
    if delivered is not None and deliver_by is not None:
        on_time = local(delivered).date() <= deliver_by
    completed = when(OrderStatus.COMPLETED)
    cancelled = when(OrderStatus.CANCELLED)
    if status != OrderStatus.CANCELLED:
        cancel_reason = ""
    if status != OrderStatus.DECLINED:
        decline_reason = ""
    return (
        order_id,
        f"{MARKER}{n:010d}",
        buyer[0],
        s.provider_id,
        s.district_id,
        buyer[1],
        s.pk,
        s.revision_id,
        s.title,
        s.category_id,
        s.snapshot,
        Decimal(quantity),
        price,
        small,
        rng.choice(REQUIREMENTS),
        "",
        "",
        str(status),
        submitted,
        respond_by,
        deliver_by,
        accepted,
        delivered,
        completed,
        cancelled,
        on_time,
        decline_reason,
        delivery_note,
        dispute_reason,
        cancel_reason,
        "",
        len(reached) + 1,
        submitted,
        updated,
    )


def ensure_orders(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """At least ``target`` generated orders on generated services."""
    existing = generated_orders().count()
    missing = target - existing
    if missing <= 0:
        report(f"orders: {existing} generated ones exist already (≥ {target}), none added")
        return 0
    started = time.monotonic()
    services = service_infos()
    buyers = buyer_pool()
    if not services or not buyers:
        raise RuntimeError(
            "Orders need generated services and enterprises: pass --services / run generate_data."
        )
    last = generated_orders().order_by("-number").values_list("number", flat=True).first()
    start = int(last[len(MARKER) :]) if last else 0
    rng = random.Random(f"{seed}:orders:{existing}")
    service_chooser = skewed(services, rng, exponent=0.8, offset=5)
    buyer_chooser = skewed(buyers, rng, exponent=0.6, offset=20)
    provider_ids = sorted({s.provider_id for s in services})
    concentrated = {
        p: rng.sample(buyers, k=min(3, len(buyers)))
        for p in rng.sample(provider_ids, k=max(1, int(len(provider_ids) * CONCENTRATED_SHARE)))
    }
    now = timezone.now()
    today = timezone.localdate()
    workdays = WorkdayTable(today - dt.timedelta(days=HISTORY_DAYS + 400), today + dt.timedelta(days=400))
    report(
        f"orders: {existing} exist, adding {missing} over {len(services)} services and {len(buyers)} buyers "
        f"(prepared in {time.monotonic() - started:.1f} s)"
    )
    chunk = CHUNK if is_postgresql() else 20_000
    added = 0
    while added < missing:
        size = min(chunk, missing - added)
        ids = reserve_ids(Order, size)

        def rows(ids: list[int] = ids, first: int = start + added) -> Any:
            for i, order_id in enumerate(ids):
                s: ServiceInfo = service_chooser.pick(rng)
                few = concentrated.get(s.provider_id)
                buyer = rng.choice(few) if few and rng.random() < 0.8 else buyer_chooser.pick(rng)
                yield order_row(order_id, first + i + 1, s, buyer, rng, now, workdays)

        with transaction.atomic():
            insert_generated(Order, ORDER_COLUMNS, rows())
        added += size
        elapsed = time.monotonic() - started
        report(f"  {added:>9}/{missing} orders  {elapsed:6.1f} s  ({added / elapsed:,.0f}/s)")
    return added


def _stars(rng: random.Random) -> tuple[int, int, int]:
    base = rng.choices((1, 2, 3, 4, 5), weights=STAR_WEIGHTS)[0]
    return tuple(min(5, max(1, base + rng.choice((-1, 0, 0, 0, 1)))) for _ in range(3))  # type: ignore[return-value]


def rating_row(
    order: tuple[int, int, int, int | None, dt.datetime | None],
    rng: random.Random,
    now: dt.datetime,
    rater_id: int,
    replier_id: int,
) -> tuple[Any, ...]:
    order_id, enterprise_id, provider_id, service_id, completed_at = order
    assert completed_at is not None  # completed orders only
    quality, timeliness, attitude = _stars(rng)
    mean = (quality + timeliness + attitude) / 3
    satisfied = rng.random() < (0.97 if mean >= 3.5 else 0.12)
    created = min(now, completed_at + dt.timedelta(days=rng.uniform(0, RATING_WINDOW_DAYS - 1)))
    replied = rng.random() < 0.2
    replied_at = min(now, created + dt.timedelta(days=rng.uniform(0.1, 5))) if replied else None
    hidden = rng.random() < 0.015
    comment = rng.choice(COMMENTS_GOOD if satisfied else COMMENTS_BAD)
    return (
        order_id,
        enterprise_id,
        provider_id,
        service_id,
        quality,
        timeliness,
        attitude,
        satisfied,
        "评价内容含有与服务无关的广告信息。" if hidden else comment,
        rater_id,
        created,
        "感谢您的评价，我们将持续改进服务。" if replied else "",
        replier_id if replied else None,
        replied_at,
        hidden,
        "含有广告信息，经核实予以屏蔽。" if hidden else "",
    )


def ensure_ratings(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """At least ``target`` ratings on generated completed orders, each order rated at most once."""
    rated = Rating.objects.filter(order__number__startswith=MARKER)
    existing = rated.count()
    missing = target - existing
    if missing <= 0:
        report(f"ratings: {existing} on generated orders exist already (≥ {target}), none added")
        return 0
    started = time.monotonic()
    candidates = generated_orders().filter(status=OrderStatus.COMPLETED, rating__isnull=True)
    available = candidates.count()
    if available == 0:
        report("ratings: no completed generated order left to rate (add --orders)")
        return 0
    share = min(1.0, missing / available)
    report(
        f"ratings: {existing} exist, adding {min(missing, available)} ({share:.0%} of {available} unrated)"
    )
    rng = random.Random(f"{seed}:ratings:{existing}")
    now = timezone.now()
    rater_id = bench_user(BUYER_USERNAME, "enterprise", "压测采购企业").pk
    replier_id = bench_user(REPLIER_USERNAME, "provider", "压测服务机构").pk
    added = 0
    sweeps = 0
    while added < missing and sweeps < 3:
        sweeps += 1
        after = 0
        while added < missing:
            batch = list(
                candidates.filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", "enterprise_id", "provider_id", "service_id", "completed_at")[:CHUNK]
            )
            if not batch:
                break
            after = batch[-1][0]
            chosen = [o for o in batch if rng.random() < share][: missing - added]
            with transaction.atomic():
                added += insert_generated(
                    Rating, RATING_COLUMNS, (rating_row(o, rng, now, rater_id, replier_id) for o in chosen)
                )
        share = 1.0  # a second sweep takes what the first one left short
    report(f"ratings: added {added} in {time.monotonic() - started:.1f} s")
    return added


def recount_services(report: Report = _quiet) -> None:
    """``Service.orders_completed``, ``rating_count`` and ``rating_average`` (visible ratings, the mean of
    the three stars) from the orders and ratings, for every service that has any."""
    started = time.monotonic()
    service = connection.ops.quote_name(Service._meta.db_table)
    order = connection.ops.quote_name(Order._meta.db_table)
    rating = connection.ops.quote_name(Rating._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {service} SET orders_completed = c.n FROM ("
            f"SELECT service_id, COUNT(*) AS n FROM {order} WHERE status = %s AND service_id IS NOT NULL "
            f"GROUP BY service_id) AS c WHERE c.service_id = {service}.id",
            [OrderStatus.COMPLETED.value],
        )
        cursor.execute(
            f"UPDATE {service} SET rating_count = r.n, rating_average = r.stars FROM ("
            f"SELECT service_id, COUNT(*) AS n, ROUND(AVG((quality + timeliness + attitude) / 3.0), 2) AS stars "
            f"FROM {rating} WHERE is_hidden = %s AND service_id IS NOT NULL GROUP BY service_id) AS r "
            f"WHERE r.service_id = {service}.id",
            [False],
        )
    report(f"service counters (orders completed, ratings, average): {time.monotonic() - started:.1f} s")


def analyze(report: Report = _quiet) -> None:
    """Fresh planner statistics after the load (PostgreSQL). VACUUM (which also sets the visibility
    map for index-only scans) only outside a transaction; ANALYZE inside one (a caller's atomic block)."""
    if not is_postgresql():
        return
    started = time.monotonic()
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in (Service, ServiceRevision, ServiceDistrict, Order, Rating):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    report(f"{command}: {time.monotonic() - started:.1f} s")


def build_search_index(service_ids: list[int], report: Report = _quiet) -> int:
    """The catalogue's search rows of these services, in chunks of 5,000; 0 when the catalogue has no
    search module yet."""
    try:
        from sme.catalog.search import index_services
    except ImportError:
        report("search index: sme.catalog.search.index_services is not there yet; skipped")
        return 0
    started = time.monotonic()
    for i in range(0, len(service_ids), SEARCH_CHUNK):
        index_services(service_ids[i : i + SEARCH_CHUNK])
        done = min(i + SEARCH_CHUNK, len(service_ids))
        if done % 50_000 < SEARCH_CHUNK or done == len(service_ids):
            report(f"  {done:>8}/{len(service_ids)} services indexed  {time.monotonic() - started:6.1f} s")
    return len(service_ids)


def unindexed_service_ids() -> list[int]:
    """Published services without a search row (a run stopped halfway, or made before the index)."""
    try:
        from sme.catalog.search import INDEX
    except ImportError:
        return []
    key = "rowid" if connection.vendor == "sqlite" else INDEX.key_column
    table = connection.ops.quote_name(Service._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE status = %s AND id NOT IN (SELECT {key} FROM {INDEX.table}) "
            "ORDER BY id",
            [ServiceStatus.PUBLISHED.value],
        )
        return [int(row[0]) for row in cursor.fetchall()]


def rebuild_figures(report: Report = _quiet) -> bool:
    """``manage.py provider_figures_rebuild`` (every year, every provider) when the command exists."""
    from django.core.management import call_command, get_commands

    if "provider_figures_rebuild" not in get_commands():
        report("figures: manage.py provider_figures_rebuild is not there yet; skipped")
        return False
    started = time.monotonic()
    call_command("provider_figures_rebuild", verbosity=0)
    report(f"figures: provider_figures_rebuild {time.monotonic() - started:.1f} s")
    return True


DEFAULT_SIZES = {"providers": 20_000, "services": 200_000, "orders": 2_000_000, "ratings": 500_000}
SEARCH_CHUNK = 5_000


def generate(
    *,
    providers: int = DEFAULT_SIZES["providers"],
    services: int = DEFAULT_SIZES["services"],
    orders: int = DEFAULT_SIZES["orders"],
    ratings: int = DEFAULT_SIZES["ratings"],
    seed: int = 2026,
    reindex: bool = False,
    figures: bool = True,
    report: Report = _quiet,
) -> dict[str, int]:
    """Everything ``generate_marketplace_data`` does, each step timed; returns the counts added."""
    from .catalog import ensure_services, published_generated_service_ids
    from .organizations import ensure_fixed_users

    def step(name: str, started: float) -> None:
        report(f"[{name}: {time.monotonic() - started:.1f} s]")

    ensure_fixed_users(report=report)
    t = time.monotonic()
    added_services, _published = ensure_services(providers, services, seed=seed, report=report)
    step("services", t)
    t = time.monotonic()
    added_orders = ensure_orders(orders, seed=seed, report=report) if orders else 0
    step("orders", t)
    t = time.monotonic()
    added_ratings = ensure_ratings(ratings, seed=seed, report=report) if ratings else 0
    step("ratings", t)
    if added_orders or added_ratings or added_services:
        t = time.monotonic()
        recount_services(report=report)
        analyze(report=report)
        step("counters and statistics", t)
    t = time.monotonic()
    to_index = published_generated_service_ids() if reindex else unindexed_service_ids()
    if to_index:
        build_search_index(to_index, report=report)
        step("search index", t)
    if figures and (added_orders or added_ratings or reindex):
        t = time.monotonic()
        rebuild_figures(report=report)
        step("figures", t)
    return {"services": added_services, "orders": added_orders, "ratings": added_ratings}
