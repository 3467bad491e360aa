"""Bulk synthetic catalogue data for benchmarks (part of ``manage.py generate_marketplace_data``).

Providers are generated, verified service organizations (``bench.benchdata.organizations``); each gets
services whose titles combine the words of its category (财务管理软件实施, ERP上云咨询,
质量体系认证辅导, 工业设计外包 …) so that keyword search meets realistic selectivity. A service comes
with its approved revision (the five disclosures filled in), its listing columns and its
``ServiceDistrict`` rows; a few have an older superseded revision, a fee change waiting for approval,
or are pending, suspended or withdrawn. Generated services are the services of generated
organizations; running again only adds what is missing.

Nothing here is used by the application itself. Never run it against a production database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sme.catalog.models import (
    FeeType,
    RevisionStatus,
    Service,
    ServiceCategory,
    ServiceDistrict,
    ServiceRevision,
    ServiceStatus,
)
from sme.organizations.models import Membership, OrganizationKind, VerificationStatus

from .organizations import (
    BENCH_PASSWORD,
    Report,
    _quiet,
    district_infos,
    generated_organizations,
    insert_rows,
    is_postgresql,
)

PROVIDER_USERNAME = "bench_market_provider"  # author of generated revisions
DECIDER_USERNAME = "bench_city"  # bench.benchdata.organizations.FIXED_USERS: approves generated revisions
CHUNK = 20_000

# Per sub-category key: (products, actions). A title is a product followed by an action, sometimes
# with a package name; sub-categories not listed here use their own name as the product.
CATALOG_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "policy-info": (("惠企政策", "产业扶持政策", "税收优惠政策", "专精特新政策"), ("查询", "解读", "匹配推送", "申报辅导")),
    "market-info": (("行业市场数据", "竞品分析", "产品价格行情", "进出口贸易数据"), ("查询", "研究报告", "监测服务")),
    "standards-info": (("国家标准", "行业标准", "团体标准", "技术法规"), ("查询", "比对分析", "宣贯培训")),
    "rd-design": (("新产品", "智能硬件", "嵌入式软件", "精密模具"), ("研发设计", "联合开发", "设计外包")),
    "industrial-design": (("工业设计", "产品外观设计", "结构设计", "包装设计"), ("外包", "服务", "优化")),
    "tech-consulting": (("数字化转型", "智能制造", "工业互联网", "两化融合"), ("诊断", "咨询", "规划")),
    "intellectual-property": (("专利", "商标", "软件著作权", "知识产权"), ("申请代理", "布局规划", "贯标辅导", "维权服务")),
    "energy-saving": (("节能", "清洁生产", "碳排放"), ("诊断", "审核", "核查")),
    "tech-transfer": (("科技成果", "技术转移", "高新技术企业"), ("转化服务", "评估", "认定辅导")),
    "quality-management": (("ISO9001质量管理体系", "六西格玛", "精益生产", "质量追溯系统"), ("咨询", "导入辅导", "实施")),
    "testing": (("产品质量", "食品安全", "电磁兼容", "材料性能"), ("检验检测", "检测服务", "送检代理")),
    "certification-coaching": (("质量体系认证", "环境管理体系认证", "职业健康安全体系认证", "两化融合管理体系"), ("辅导", "咨询", "贯标")),
    "security": (("网络安全等级保护", "数据安全", "信息系统"), ("测评", "加固", "托管运维")),
    "identity-auth": (("数字证书", "电子签章", "统一身份认证"), ("办理", "部署", "集成")),
    "erp": (("ERP", "财务管理软件", "进销存系统", "MES生产管理系统"), ("实施", "上云咨询", "升级", "运维")),
    "crm": (("CRM", "客户关系管理系统", "会员营销系统"), ("实施", "部署", "定制开发")),
    "supply-chain": (("供应链管理系统", "采购管理", "仓储管理系统"), ("咨询", "实施", "优化")),
    "strategy": (("企业发展战略", "商业模式", "组织架构"), ("咨询", "诊断", "规划")),
    "finance-management": (("财务管理", "内控体系", "成本核算", "全面预算"), ("咨询", "诊断", "外包")),
    "risk-assessment": (("企业信用", "经营风险", "合规风险"), ("评估", "评级", "诊断")),
    "performance-assessment": (("合同履约", "供应商履约", "项目绩效"), ("评估", "评价")),
    "business-plan": (("商业计划书", "融资路演材料", "可行性研究报告"), ("编制", "辅导")),
    "registration-agency": (("工商注册", "营业执照变更", "行政审批"), ("代办", "代理")),
    "financing": (("银行贷款", "股权融资", "知识产权质押融资"), ("辅导", "对接", "咨询")),
    "guarantee": (("融资担保", "履约担保", "中介担保"), ("服务", "咨询")),
    "tax-filing": (("财税申报", "代理记账", "税务筹划"), ("代理", "服务", "外包")),
    "legal-aid": (("法律顾问", "合同审查", "劳动争议"), ("服务", "咨询", "援助")),
    "marketing": (("品牌策划", "网络营销", "短视频营销", "直播带货"), ("策划", "代运营", "推广")),
    "e-commerce": (("电商店铺", "跨境电商", "小程序商城"), ("代运营", "开店辅导", "搭建")),
    "payment-gateway": (("聚合支付", "跨境支付", "支付网关"), ("接入", "对接服务")),
    "automated-trading": (("电子招投标", "B2B交易平台", "自动对账"), ("接入", "服务", "部署")),
    "logistics": (("物流配送", "冷链物流", "仓配一体化"), ("服务", "外包", "方案设计")),
    "exhibitions": (("展会", "贸易洽谈会", "产品推介会"), ("组织", "参展服务", "对接")),
    "talent-development": (("人才招聘", "技能人才", "校企合作"), ("服务", "培养", "对接")),
    "management-training": (("经营管理", "财务人员", "企业家", "班组长"), ("培训", "研修班")),
    "technical-training": (("数控技术", "焊接技能", "质量检验员", "电工"), ("培训", "技能培训", "取证培训")),
    "it-training": (("办公软件", "ERP应用", "数字化技能", "电商运营"), ("培训", "实操培训")),
    "processing-equipment": (("数控机床", "激光切割设备", "大型加工设备", "3D打印设备"), ("共享", "租用", "代加工")),
    "instrument-sharing": (("检测仪器", "三坐标测量仪", "光谱分析仪"), ("共享", "预约使用", "租用")),
    "it-infrastructure": (("云服务器", "企业上云", "数据中心机柜", "企业邮箱"), ("租用", "托管", "部署")),
}  # fmt: skip
DEFAULT_ACTIONS = ("服务", "咨询", "辅导")
PACKAGES = ("基础版", "标准版", "专业版", "年度服务包", "小微企业专享")
QUALITY_STANDARDS = (
    "符合GB/T 19001-2016质量管理体系要求，交付前内部评审。",
    "按双方签订的服务协议和行业规范执行，验收合格率100%。",
    "符合相关国家标准和行业标准，出具正式报告并加盖公章。",
    "服务过程留痕可追溯，客户满意度回访不低于90%。",
)
SERVICE_HOURS = ("工作日 9:00-17:30", "工作日 8:30-18:00", "周一至周六 9:00-18:00", "7×24小时在线")
FIXED_PRICES = (800, 1000, 1500, 2000, 3000, 3800, 5000, 6800, 8000, 9800, 10000, 15000, 20000, 30000, 50000, 80000, 120000)  # fmt: skip
UNIT_PRICES = ((50, "小时"), (200, "人次"), (300, "次"), (500, "天"), (800, "件"), (1200, "月"))
DELIVERY_DAYS = (5, 10, 10, 15, 20, 20, 30, 45, 60)
FEE_WEIGHTS: tuple[tuple[str, float], ...] = (
    (FeeType.FIXED, 0.45),
    (FeeType.RANGE, 0.25),
    (FeeType.PER_UNIT, 0.20),
    (FeeType.FREE, 0.10),
)
# What becomes of a generated service (the first three have a published revision).
STATUS_WEIGHTS: tuple[tuple[str, float], ...] = (
    (ServiceStatus.PUBLISHED, 0.93),
    (ServiceStatus.SUSPENDED, 0.02),
    (ServiceStatus.WITHDRAWN, 0.02),
    (ServiceStatus.PENDING, 0.03),
)
SUSPENSION_REASONS = (
    "接群众投诉，服务内容与公开信息不符，暂停待核查。",
    "收费标准与公开价格不一致，限期整改。",
)

SERVICE_COLUMNS = (
    "id",
    "provider_id",
    "provider_district_id",
    "status",
    "published_revision_id",
    "title",
    "category_id",
    "top_category_id",
    "fee_type",
    "price_low",
    "price_high",
    "serves_all_districts",
    "published_at",
    "suspension_reason",
    "version",
    "created_at",
    "updated_at",
)
REVISION_COLUMNS = (
    "service_id",
    "number",
    "status",
    "needs_approval",
    "changed_fields",
    "title",
    "category_id",
    "summary",
    "content",
    "process_steps",
    "deliverables",
    "quality_standard",
    "fee_type",
    "fee_amount",
    "fee_min",
    "fee_max",
    "fee_unit",
    "fee_note",
    "small_micro_price",
    "response_workdays",
    "delivery_workdays",
    "service_hours",
    "serves_all_districts",
    "district_ids",
    "created_by_id",
    "created_at",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "decision_note",
    "id",
)


@dataclass(frozen=True)
class Leaf:
    pk: int
    key: str
    name: str
    parent_id: int
    parent_name: str


@dataclass(frozen=True)
class Provider:
    pk: int
    name: str
    district_id: int


# --- writing: COPY on PostgreSQL, bulk_create elsewhere -----------------------------------------

_COPY_FORMAT: dict[type, Any] = {
    str: lambda v: copy_safe(v),
    bool: lambda v: "t" if v else "f",
    int: str,
    Decimal: str,
    dt.datetime: lambda v: v.isoformat(sep=" "),
    dt.date: dt.date.isoformat,
    list: lambda v: copy_safe(json.dumps(v, ensure_ascii=False)),
    dict: lambda v: copy_safe(json.dumps(v, ensure_ascii=False)),
}


def copy_safe(text: str) -> str:
    """``text`` for COPY's text format: backslashes and control characters escaped."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_line(row: Sequence[Any]) -> str:
    """One row in COPY text format (strings, numbers, booleans, dates, JSON lists and dicts, None)."""
    return "\t".join("\\N" if v is None else _COPY_FORMAT.get(type(v), _copy_other)(v) for v in row)


def _copy_other(value: Any) -> str:
    """Text choices (``str`` subclasses) and anything else without a fast path."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, list | dict):
        return copy_safe(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "t" if value else "f"
    return copy_safe(str(value))


def other_field_defaults(model: type[models.Model], columns: Sequence[str]) -> dict[str, Any]:
    """Column → value for the fields the generator does not set (added to the model after it was
    written): the field's default, NULL, or the empty string for text; left to the database when it
    has a database default."""
    extra: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in columns or f.has_db_default():
            continue
        if f.has_default():
            extra[f.column or f.attname] = f.get_default()
        elif f.null:
            extra[f.column or f.attname] = None
        elif f.empty_strings_allowed:
            extra[f.column or f.attname] = ""
        else:
            raise RuntimeError(f"datagen: {model.__name__}.{f.name} has no default; add it to the generator.")
    return extra


def insert_generated(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert generated rows: ``COPY`` on PostgreSQL (fast path for plain values), else
    ``bench.benchdata.organizations.insert_rows`` (``bulk_create`` in batches)."""
    if not is_postgresql():
        return insert_rows(model, columns, (tuple(r) for r in rows))
    meta = model._meta
    by_attname = {f.attname: f.column or f.attname for f in meta.concrete_fields}
    extra = other_field_defaults(model, columns)
    tail = "".join("\t" + copy_line((v,)) for v in extra.values())
    names = [by_attname[c] for c in columns] + list(extra)
    table = connection.ops.quote_name(meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in names)
    n = 0
    buf: list[str] = []
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            buf.append(copy_line(row) + tail)
            n += 1
            if len(buf) >= 10_000:
                copy.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            copy.write("\n".join(buf) + "\n")
    return n


def generated_services() -> models.QuerySet[Service]:
    """Services of generated organizations."""
    return Service.objects.filter(provider__in=generated_organizations())


def _pick(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    roll, acc = rng.random(), 0.0
    for value, weight in weights:
        acc += weight
        if roll < acc:
            return str(value)
    return str(weights[-1][0])


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` primary keys for rows inserted with explicit ids (so rows can point at each other in one
    pass). PostgreSQL: from the table's identity sequence; elsewhere: after the largest id (the
    generator is the only writer)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [int(row[0]) for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        row = cursor.fetchone()
        start = int(row[0]) + 1 if row else 1
        return list(range(start, start + n))


def bench_user(username: str, role: str, real_name: str) -> Any:
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "real_name": real_name, "password": make_password(BENCH_PASSWORD)},
    )
    return user


def leaf_categories() -> list[Leaf]:
    rows = (
        ServiceCategory.objects.filter(parent__isnull=False, is_active=True)
        .select_related("parent")
        .order_by("sort_order", "pk")
    )
    leaves = [Leaf(c.pk, c.key, c.name, c.parent_id, c.parent.name) for c in rows if c.parent_id and c.parent]
    if not leaves:
        raise RuntimeError("No service categories: run `manage.py migrate` (it loads data/categories.json).")
    return leaves


def provider_pool(target: int, report: Report = _quiet) -> list[Provider]:
    """The first ``target`` generated, verified service organizations (by id). When there are fewer,
    generated verified enterprises without members become service organizations."""
    base = generated_organizations().filter(
        kind=OrganizationKind.SERVICE_PROVIDER, verification_status=VerificationStatus.VERIFIED
    )
    have = base.count()
    if have < target:
        members = Membership.objects.filter(organization=OuterRef("pk"))
        switch = list(
            generated_organizations()
            .filter(kind=OrganizationKind.ENTERPRISE, verification_status=VerificationStatus.VERIFIED)
            .exclude(Exists(members))
            .order_by("pk")
            .values_list("pk", flat=True)[: target - have]
        )
        generated_organizations().filter(pk__in=switch).update(kind=OrganizationKind.SERVICE_PROVIDER)
        report(f"providers: {have} generated service organizations; {len(switch)} enterprises switched")
    rows = base.order_by("pk").values_list("pk", "name", "district_id")[:target]
    pool = [Provider(*row) for row in rows]
    if not pool:
        raise RuntimeError("Marketplace data needs generated organizations: run `manage.py generate_data`.")
    return pool


def _money(value: float | int) -> Decimal:
    return Decimal(int(value)).quantize(Decimal("0.01"))


class _Weighted:
    """Random choice by weight with a cumulative table (bisect), for a long list."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]):
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def skewed(items: Sequence[Any], rng: random.Random, exponent: float = 0.7, offset: int = 10) -> _Weighted:
    """A few items often, most rarely (Zipf-like over a shuffled order)."""
    order = list(items)
    rng.shuffle(order)
    return _Weighted(order, [(i + offset) ** -exponent for i in range(len(order))])


def service_texts(leaf: Leaf, rng: random.Random) -> tuple[str, str, str, str]:
    """(title, product, action, package) of a service in ``leaf``."""
    products, actions = CATALOG_WORDS.get(leaf.key, ((leaf.name,), DEFAULT_ACTIONS))
    product, action = rng.choice(products), rng.choice(actions)
    roll = rng.random()
    package = rng.choice(PACKAGES) if roll >= 0.8 else ""
    if roll < 0.1:
        title = f"中小企业{product}{action}"
    elif package:
        title = f"{product}{action}（{package}）"
    else:
        title = f"{product}{action}"
    return title, product, action, package


def fee_terms(rng: random.Random) -> dict[str, Any]:
    """The 收费 fields of a revision and the listing's price range."""
    fee_type = _pick(rng, FEE_WEIGHTS)
    terms: dict[str, Any] = {
        "fee_type": fee_type,
        "fee_amount": None,
        "fee_min": None,
        "fee_max": None,
        "fee_unit": "",
        "small_micro_price": None,
    }
    if fee_type == FeeType.FIXED:
        amount = rng.choice(FIXED_PRICES)
        terms["fee_amount"] = _money(amount)
        low = high = amount
    elif fee_type == FeeType.RANGE:
        amount = rng.choice(FIXED_PRICES)
        top = amount * rng.choice((2, 3, 5))
        terms["fee_min"], terms["fee_max"] = _money(amount), _money(top)
        low, high = amount, top
    elif fee_type == FeeType.PER_UNIT:
        amount, unit = rng.choice(UNIT_PRICES)
        amount *= rng.choice((1, 1, 2, 3))
        terms["fee_amount"], terms["fee_unit"] = _money(amount), unit
        low = high = amount
    else:
        low = high = 0
    if fee_type != FeeType.FREE and rng.random() < 0.3:
        terms["small_micro_price"] = _money(low * 0.8)
        low = int(low * 0.8)  # the lowest price a buyer can face (catalog.services.price_bounds)
    terms["price_low"], terms["price_high"] = _money(low), _money(high)
    return terms


def ensure_services(
    providers: int, target: int, seed: int = 2026, report: Report = _quiet
) -> tuple[int, list[int]]:
    """At least ``target`` generated services over the first ``providers`` provider organizations;
    returns (added, ids of the added services that are published)."""
    existing = generated_services().count()
    missing = target - existing
    if missing <= 0:
        report(f"services: {existing} generated ones exist already (≥ {target}), none added")
        return 0, []
    started = time.monotonic()
    pool = provider_pool(providers, report=report)
    with_services = set(generated_services().values_list("provider_id", flat=True).distinct())
    first_round = [p for p in pool if p.pk not in with_services]  # every provider gets one first
    rng = random.Random(f"{seed}:services:{existing}")
    chooser = skewed(pool, rng)
    leaves = leaf_categories()
    leaf_chooser = skewed(leaves, rng, exponent=0.5, offset=3)
    district_ids = [d.pk for d in district_infos()]
    now = timezone.now()
    report(f"services: {existing} exist, adding {missing} over {len(pool)} providers")
    added = 0
    published_ids: list[int] = []
    while added < missing:
        size = min(CHUNK, missing - added)
        providers_now = [
            first_round[added + i] if added + i < len(first_round) else chooser.pick(rng) for i in range(size)
        ]
        service_ids = reserve_ids(Service, size)
        # Up to three revisions per service: reserve generously, use what is needed.
        revision_ids = iter(reserve_ids(ServiceRevision, size * 3 // 2 + 10))
        services: list[tuple[Any, ...]] = []
        revisions: list[tuple[Any, ...]] = []
        service_districts: list[tuple[Any, ...]] = []
        for provider, service_id in zip(providers_now, service_ids, strict=True):
            rows = _service_rows(
                provider, service_id, revision_ids, rng, leaf_chooser.pick(rng), district_ids, now
            )
            service, service_revisions, served = rows
            if len(revisions) + len(service_revisions) > size * 3 // 2 + 10:
                raise RuntimeError("reserved too few revision ids")  # pragma: no cover - 10 % have two
            services.append(service)
            revisions.extend(service_revisions)
            service_districts.extend((service_id, d) for d in served)
            if service[4] is not None and service[3] == ServiceStatus.PUBLISHED:
                published_ids.append(service_id)
        with transaction.atomic():
            insert_generated(Service, SERVICE_COLUMNS, services)
            insert_generated(ServiceRevision, REVISION_COLUMNS, revisions)
            insert_generated(ServiceDistrict, ("service_id", "district_id"), service_districts)
        added += size
        elapsed = time.monotonic() - started
        report(
            f"  {added:>8}/{missing} services ({len(revisions)} revisions in this chunk)  {elapsed:6.1f} s"
        )
    return added, published_ids


def _service_rows(
    provider: Provider,
    service_id: int,
    revision_ids: Iterator[int],
    rng: random.Random,
    leaf: Leaf,
    district_ids: list[int],
    now: dt.datetime,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[int]]:
    """One service row, its revisions and the districts it is offered in."""
    status = _pick(rng, STATUS_WEIGHTS)
    title, product, action, package = service_texts(leaf, rng)
    fee = fee_terms(rng)
    serves_all = rng.random() < 0.25
    served = (
        []
        if serves_all
        else sorted({provider.district_id, *rng.sample(district_ids, k=rng.choice((0, 0, 1, 2, 3)))})
    )
    published_at = now - dt.timedelta(days=rng.uniform(7, 3.3 * 365))
    created_at = published_at - dt.timedelta(days=rng.uniform(1, 20))
    response_workdays = rng.choice((1, 1, 1, 2, 3))
    delivery_workdays = rng.choice(DELIVERY_DAYS)
    summary = f"面向{leaf.parent_name}需求的中小企业，提供{product}{action}服务。"
    content = (
        f"{summary}服务内容包括：需求调研、方案制定、{product}{action}、成果交付和"
        f"{rng.choice((1, 3, 6, 12))}个月跟踪服务。{package}"
    )
    base = {
        "title": title,
        "category_id": leaf.pk,
        "summary": summary,
        "content": content,
        "process_steps": ["需求沟通", "签订服务协议", f"{action}实施", "交付验收"],
        "deliverables": f"{product}{action}成果报告及相关资料",
        "quality_standard": rng.choice(QUALITY_STANDARDS),
        "fee_type": fee["fee_type"],
        "fee_amount": fee["fee_amount"],
        "fee_min": fee["fee_min"],
        "fee_max": fee["fee_max"],
        "fee_unit": fee["fee_unit"],
        "fee_note": "" if fee["fee_type"] != FeeType.FREE else "公益服务，不收取费用",
        "small_micro_price": fee["small_micro_price"],
        "response_workdays": response_workdays,
        "delivery_workdays": delivery_workdays,
        "service_hours": rng.choice(SERVICE_HOURS),
        "serves_all_districts": serves_all,
        "district_ids": served,
    }
    author_id = _author_id()
    decider_id = _decider_id()

    def revision(number: int, rev_status: str, values: dict[str, Any], at: dt.datetime, changed: list[str]) -> tuple[Any, ...]:  # fmt: skip
        decided = rev_status in (RevisionStatus.APPROVED, RevisionStatus.SUPERSEDED)
        row = {
            "service_id": service_id,
            "number": number,
            "status": rev_status,
            "needs_approval": number == 1 or bool({"fee", "time"} & set(changed)),
            "changed_fields": changed,
            **values,
            "created_by_id": author_id,
            "created_at": at - dt.timedelta(hours=rng.uniform(2, 72)),
            "submitted_at": at - dt.timedelta(hours=rng.uniform(1, 48)),
            "decided_by_id": decider_id if decided else None,
            "decided_at": at if decided else None,
            "decision_note": "材料齐全，准予发布。" if decided else "",
            "id": next(revision_ids),
        }
        return tuple(row[c] for c in REVISION_COLUMNS)

    revisions: list[tuple[Any, ...]] = []
    published_revision_id = None
    version = 1
    if status == ServiceStatus.PENDING:
        revisions.append(revision(1, RevisionStatus.PENDING, base, now - dt.timedelta(days=rng.uniform(0, 10)), []))  # fmt: skip
        listing_title, category_id, top_id, fee_type = "", None, None, ""
        price_low = price_high = None
        published_at_value = None
        served_rows: list[int] = []
    else:
        if rng.random() < 0.10:  # a later fee change, approved: the first revision is superseded
            older = dict(base, fee_amount=fee["fee_amount"] and fee["fee_amount"] * Decimal("0.9"))
            revisions.append(revision(1, RevisionStatus.SUPERSEDED, older, published_at, []))
            approved_at = published_at + (now - published_at) * rng.uniform(0.2, 0.8)
            revisions.append(revision(2, RevisionStatus.APPROVED, base, approved_at, ["fee"]))
            version = 3
        else:
            revisions.append(revision(1, RevisionStatus.APPROVED, base, published_at, []))
            version = 2
        published_revision_id = revisions[-1][-1]
        if status == ServiceStatus.PUBLISHED and rng.random() < 0.02:  # a fee change waiting
            waiting = dict(base, fee_note="价格调整，待审核")
            number = len(revisions) + 1
            revisions.append(revision(number, RevisionStatus.PENDING, waiting, now - dt.timedelta(days=rng.uniform(0, 5)), ["fee"]))  # fmt: skip
        listing_title, category_id, top_id, fee_type = title, leaf.pk, leaf.parent_id, fee["fee_type"]
        price_low, price_high = fee["price_low"], fee["price_high"]
        published_at_value = published_at
        served_rows = served
    service = (
        service_id,
        provider.pk,
        provider.district_id,
        status,
        published_revision_id,
        listing_title,
        category_id,
        top_id,
        fee_type,
        price_low,
        price_high,
        serves_all,
        published_at_value,
        rng.choice(SUSPENSION_REASONS) if status == ServiceStatus.SUSPENDED else "",
        version,
        created_at,
        max(r[REVISION_COLUMNS.index("created_at")] for r in revisions) if revisions else created_at,
    )
    return service, revisions, served_rows


_user_ids: dict[str, int] = {}


def _author_id() -> int:
    if PROVIDER_USERNAME not in _user_ids:
        _user_ids[PROVIDER_USERNAME] = bench_user(PROVIDER_USERNAME, "provider", "压测服务机构").pk
    return _user_ids[PROVIDER_USERNAME]


def _decider_id() -> int:
    if DECIDER_USERNAME not in _user_ids:
        _user_ids[DECIDER_USERNAME] = bench_user(DECIDER_USERNAME, "city_officer", "压测市级审核员").pk
    return _user_ids[DECIDER_USERNAME]


def forget_users() -> None:
    """Drop the cached user ids (tests: each test has its own database rows)."""
    _user_ids.clear()


def published_generated_service_ids() -> list[int]:
    return list(
        generated_services()
        .filter(status=ServiceStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
