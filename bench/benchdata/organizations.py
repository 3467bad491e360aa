"""Bulk synthetic data for benchmarks and load tests (``manage.py generate_data``).

Organizations get realistic Chinese names, valid and unique credit codes, a district among the
platform's current ones, a mix of kinds and verification states, and creation times spread over
the last three years. Generated rows are marked by the domain of their contact e-mail
(:data:`MARKER_DOMAIN`), generated users by a username prefix, so running again only adds what is
missing. On PostgreSQL rows go in through ``COPY``; elsewhere through ``bulk_create``.

Nothing here is used by the application itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from sme.organizations import uscc
from sme.organizations.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
from sme.regions.models import Region
from sme.regions.selectors import districts

# Generated organizations: contact e-mail ``o<n>@datagen.invalid`` (.invalid is reserved, RFC 2606).
MARKER_DOMAIN = "datagen.invalid"
USER_PREFIX = "bench_user_"
BENCH_PASSWORD = "Bench-Pass-2026"
# A trade-name word the generator uses often: the benchmark's search term (``?q=``).
SEARCH_WORD = "华信"

ORG_CHUNK = 50_000  # rows per COPY / transaction on PostgreSQL
BATCH_SIZE = 5_000  # rows per INSERT with bulk_create


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# 字号: well-worn two-character trade names, plus pairs of single characters for variety.
TRADE_NAMES = _words(
    "华信 长江 嘉陵 山城 渝鑫 巴渝 鸿达 宏远 金桥 瑞丰 恒通 天成 博远 同创 星辰 蓝海 中天 盛世 康达 "
    "海纳 融汇 启航 智联 众诚 永安 新锐 锦程 德润 润泽 凯盛 正弘 明德 泰和 祥瑞 万通 银河 鼎盛 "
    "卓越 宏图 华耀 精诚 顺达 百川 鑫源 汇丰 长安 朝天 缙云 南山 歌乐 三峡 乌江 龙腾 思源 睿智 "
    "宇航 天信 联创 佳和 远航 东方 金鼎 华宇 安泰 信达 鹏程 和信 英才 诚信 聚力 铭远"
)
TRADE_FIRST = "华金鑫恒宏瑞泰嘉德丰源通达盛兴隆昌富贵祥荣安康永鸿益弘博聚锦庆渝巴蜀峡江川山城"
TRADE_SECOND = "信达通源丰盛兴茂泰和成创新科汇联邦宇航海洋锐智维讯捷易美佳联合力晟晖耀腾远"

# (行业词, weight) for enterprises.
INDUSTRIES: tuple[tuple[str, int], ...] = (
    ("科技", 14),
    ("信息技术", 8),
    ("软件", 5),
    ("网络科技", 6),
    ("电子", 4),
    ("机械制造", 5),
    ("汽车零部件", 5),
    ("摩托车配件", 2),
    ("新材料", 3),
    ("精密模具", 2),
    ("建筑工程", 6),
    ("建材", 3),
    ("商贸", 8),
    ("贸易", 5),
    ("物流", 4),
    ("供应链管理", 2),
    ("食品", 4),
    ("火锅食品", 2),
    ("农业开发", 3),
    ("生态农业", 2),
    ("医药", 2),
    ("医疗器械", 2),
    ("环保科技", 2),
    ("能源", 2),
    ("化工", 2),
    ("文化传媒", 3),
    ("广告", 2),
    ("餐饮管理", 3),
    ("酒店管理", 1),
    ("装饰工程", 3),
    ("服装", 2),
    ("印务", 1),
    ("数据科技", 2),
    ("智能装备", 2),
    ("实业", 5),
)
INDUSTRY_WORDS = tuple(w for w, _ in INDUSTRIES)
INDUSTRY_CUM_WEIGHTS = tuple(itertools.accumulate(float(n) for _, n in INDUSTRIES))
ENTERPRISE_SUFFIXES = ("有限公司",) * 8 + ("有限责任公司", "股份有限公司")

SERVICE_WORDS = (
    "信息技术服务",
    "企业管理咨询",
    "知识产权代理",
    "财务咨询",
    "人力资源服务",
    "检验检测",
    "数字化转型服务",
    "工业设计",
    "云计算服务",
)
TRAINING_WORDS = ("职业技能培训学校", "企业管理培训中心", "数字技能培训中心")
FINANCE_FORMS = ("{trade}融资担保有限公司", "{trade}小额贷款有限公司", "重庆{trade}融资租赁有限公司")
BANK_FORMS = (
    "中国工商银行股份有限公司重庆{district}支行",
    "中国建设银行股份有限公司重庆{district}支行",
    "重庆农村商业银行股份有限公司{district}支行",
    "重庆银行股份有限公司{district}支行",
)
AUTHORITY_FORMS = (
    "重庆市{district}经济和信息化委员会",
    "重庆市{district}中小企业服务中心",
    "重庆市{district}科学技术局",
)
OTHER_FORMS = ("重庆市{district}{trade}商会", "重庆市{trade}行业协会", "重庆市{district}{trade}促进会")

KINDS: tuple[tuple[str, float], ...] = (
    (OrganizationKind.ENTERPRISE, 0.85),
    (OrganizationKind.SERVICE_PROVIDER, 0.08),
    (OrganizationKind.TRAINING_INSTITUTION, 0.025),
    (OrganizationKind.FINANCIAL_INSTITUTION, 0.02),
    (OrganizationKind.OTHER, 0.02),
    (OrganizationKind.AUTHORITY, 0.005),
)
KIND_VALUES = tuple(str(k) for k, _ in KINDS)
KIND_CUM_WEIGHTS = tuple(itertools.accumulate(w for _, w in KINDS))
# 登记管理部门 and 机构类别 of the credit code, by kind.
KIND_CODE = {
    OrganizationKind.ENTERPRISE: ("9", "1"),
    OrganizationKind.SERVICE_PROVIDER: ("9", "1"),
    OrganizationKind.TRAINING_INSTITUTION: ("5", "2"),
    OrganizationKind.FINANCIAL_INSTITUTION: ("9", "1"),
    OrganizationKind.OTHER: ("5", "1"),
    OrganizationKind.AUTHORITY: ("1", "1"),
}
REJECTION_REASONS = (
    "营业执照扫描件不清晰，请重新上传。",
    "机构名称与营业执照不一致。",
    "联系人手机号码无法接通，请核实后重新提交。",
    "统一社会信用代码与营业执照不符。",
    "所在区县填写有误。",
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅鑫宇浩然欣怡俊杰子涵雨婷晨阳思远佳琪"
STREETS = _words(
    "解放碑 民族路 中山路 人民路 建设大道 科园一路 金开大道 星光大道 渝州路 江北城 "
    "观音桥步行街 北滨路 南滨路 白沙路 太白路 高笋塘 工业园区 滨江路 新华路 学府大道"
)
MOBILE_PREFIXES = _words("135 136 137 138 139 150 151 158 177 180 186 187 189 199")

ORG_COLUMNS = (
    "kind",
    "name",
    "uscc",
    "legal_representative",
    "district_id",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "region_mismatch",
    "verification_status",
    "rejection_reason",
    "submitted_at",
    "verified_at",
    "verified_by_id",
    "version",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class DistrictInfo:
    pk: int
    name: str
    code: str  # the credit-code region part: the district's code, or its parent's for functional zones


Report = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


# --- values -----------------------------------------------------------------------------------


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) if rng.random() < 0.3 else rng.choice(GIVEN) + rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given


def trade_name(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(TRADE_NAMES)
    return rng.choice(TRADE_FIRST) + rng.choice(TRADE_SECOND)


def organization_name(kind: str, district: DistrictInfo, rng: random.Random) -> str:
    trade = trade_name(rng)
    place = district.name
    if kind == OrganizationKind.ENTERPRISE:
        industry = rng.choices(INDUSTRY_WORDS, cum_weights=INDUSTRY_CUM_WEIGHTS)[0]
        suffix = rng.choice(ENTERPRISE_SUFFIXES)
        form = rng.random()
        if form < 0.6:
            return f"重庆{trade}{industry}{suffix}"
        if form < 0.9:
            return f"重庆市{place}{trade}{industry}{suffix}"
        return f"{trade}{industry}（重庆）{suffix}"
    if kind == OrganizationKind.SERVICE_PROVIDER:
        return f"重庆{trade}{rng.choice(SERVICE_WORDS)}有限公司"
    if kind == OrganizationKind.TRAINING_INSTITUTION:
        return f"重庆市{place}{trade}{rng.choice(TRAINING_WORDS)}"
    if kind == OrganizationKind.FINANCIAL_INSTITUTION:
        forms = BANK_FORMS if rng.random() < 0.5 else FINANCE_FORMS
        return rng.choice(forms).format(trade=trade, district=place)
    if kind == OrganizationKind.AUTHORITY:
        return rng.choice(AUTHORITY_FORMS).format(district=place)
    return rng.choice(OTHER_FORMS).format(trade=trade, district=place)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def district_infos() -> list[DistrictInfo]:
    rows = districts().select_related("parent")
    infos = []
    for d in rows:
        code = d.code or (d.parent.code if d.parent is not None and d.parent.code else "500000")
        infos.append(DistrictInfo(pk=d.pk, name=d.name, code=code))
    if not infos:
        raise RuntimeError("No current districts: run `manage.py migrate` first (it loads the divisions).")
    return infos


def organization_rows(
    count: int,
    start: int,
    rng: random.Random,
    district_list: Sequence[DistrictInfo],
    taken: set[str],
    now: dt.datetime,
) -> Iterator[tuple[Any, ...]]:
    """``count`` organization rows in :data:`ORG_COLUMNS` order; ``taken`` holds credit codes in use."""
    span = int(dt.timedelta(days=3 * 365).total_seconds())
    for n in range(start, start + count):
        district = rng.choice(district_list)
        kind = rng.choices(KIND_VALUES, cum_weights=KIND_CUM_WEIGHTS)[0]
        department, category = KIND_CODE[OrganizationKind(kind)]
        mismatch = rng.random() < 0.02
        code_region = rng.choice(district_list).code if mismatch else district.code
        mismatch = code_region != district.code
        while True:
            code = uscc.make(code_region, department=department, category=category, rng=rng)
            if code not in taken:
                taken.add(code)
                break
        created = now - dt.timedelta(seconds=rng.randrange(span))
        submitted = created + dt.timedelta(seconds=rng.randrange(60, 3600))
        roll = rng.random()
        verified_at = None
        reason = ""
        if roll < 0.10:
            status = VerificationStatus.PENDING
            updated = submitted
        elif roll < 0.15:
            status = VerificationStatus.REJECTED
            reason = rng.choice(REJECTION_REASONS)
            updated = min(now, submitted + dt.timedelta(seconds=rng.randrange(3600, 10 * 86400)))
        else:
            status = VerificationStatus.VERIFIED
            verified_at = min(now, submitted + dt.timedelta(seconds=rng.randrange(3600, 10 * 86400)))
            updated = verified_at
        contact = person_name(rng)
        yield (
            kind,
            organization_name(kind, district, rng),
            code,
            person_name(rng) if rng.random() < 0.7 else contact,
            district.pk,
            f"重庆市{district.name}{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
            contact,
            mobile(rng),
            f"o{n}@{MARKER_DOMAIN}",
            mismatch,
            str(status),
            reason,
            submitted,
            verified_at,
            None,
            1,
            created,
            updated,
        )


# --- writing ----------------------------------------------------------------------------------


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _copy_text(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _column(f: models.Field[Any, Any]) -> str:
    return f.column or f.attname


def _defaults_for_other_fields(model: type[models.Model], columns: Sequence[str]) -> dict[str, Any]:
    """Column → value for the concrete fields the generator does not set (fields added after it was
    written); those with a database default are left to the database."""
    extra: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in columns or f.has_db_default():
            continue
        if f.has_default():
            extra[_column(f)] = f.get_default()
        elif f.null:
            extra[_column(f)] = None
        else:
            raise RuntimeError(f"datagen: {model.__name__}.{f.name} has no default; add it to the generator.")
    return extra


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """``COPY`` the rows into the model's table (PostgreSQL). ``columns`` are attnames."""
    meta = model._meta
    by_attname = {f.attname: _column(f) for f in meta.concrete_fields}
    extra = _defaults_for_other_fields(model, columns)
    names = [by_attname[c] for c in columns] + list(extra)
    tail = "".join("\t" + _copy_text(v) for v in extra.values())
    table = connection.ops.quote_name(meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in names)
    n = 0
    buf: list[str] = []
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            buf.append("\t".join(map(_copy_text, row)) + tail)
            n += 1
            if len(buf) >= 10_000:
                copy.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            copy.write("\n".join(buf) + "\n")
    return n


@contextmanager
def _explicit_timestamps(model: type[models.Model]) -> Iterator[None]:
    """Let ``bulk_create`` keep the given ``created_at``/``updated_at`` instead of now()."""
    saved = []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
            saved.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert with COPY on PostgreSQL, else with ``bulk_create`` in batches of :data:`BATCH_SIZE`."""
    if is_postgresql():
        return copy_rows(model, columns, rows)
    n = 0
    batch: list[models.Model] = []
    with _explicit_timestamps(model):
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            if len(batch) >= BATCH_SIZE:
                model._default_manager.bulk_create(batch)
                n += len(batch)
                batch.clear()
        if batch:
            model._default_manager.bulk_create(batch)
            n += len(batch)
    return n


# --- the two populations ----------------------------------------------------------------------


def generated_organizations() -> models.QuerySet[Organization]:
    return Organization.objects.filter(contact_email__endswith=f"@{MARKER_DOMAIN}")


def ensure_organizations(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """Make at least ``target`` generated organizations exist; returns how many were added."""
    existing = generated_organizations().count()
    missing = target - existing
    if missing <= 0:
        report(f"organizations: {existing} generated ones exist already (≥ {target}), none added")
        return 0
    district_list = district_infos()
    started = time.monotonic()
    taken: set[str] = set()
    if Organization.objects.exists():
        taken = set(Organization.objects.values_list("uscc", flat=True).iterator(chunk_size=20_000))
    rng = random.Random(f"{seed}:{existing}")
    now = timezone.now()
    rows = organization_rows(missing, existing, rng, district_list, taken, now)
    chunk = ORG_CHUNK if is_postgresql() else BATCH_SIZE * 4
    added = 0
    report(f"organizations: {existing} exist, adding {missing} over {len(district_list)} districts")
    while added < missing:
        size = min(chunk, missing - added)
        with transaction.atomic():
            added += insert_rows(Organization, ORG_COLUMNS, _take(rows, size))
        elapsed = time.monotonic() - started
        report(f"  {added:>9}/{missing} organizations  {elapsed:6.1f} s  ({added / elapsed:,.0f}/s)")
    return added


def _take(rows: Iterator[tuple[Any, ...]], n: int) -> Iterator[tuple[Any, ...]]:
    for _ in range(n):
        try:
            yield next(rows)
        except StopIteration:
            return


def ensure_users(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """At least ``target`` generated enterprise users, each the active owner of a generated organization."""
    User = get_user_model()
    existing_qs = User.objects.filter(username__startswith=USER_PREFIX)
    existing = existing_qs.count()
    missing = target - existing
    if missing <= 0:
        report(f"users: {existing} generated ones exist already (≥ {target}), none added")
        return 0
    started = time.monotonic()
    orgs = _organizations_for_owners(missing)
    if not orgs:
        raise RuntimeError("Generated users need generated organizations: pass --organizations too.")
    last = existing_qs.order_by("-username").values_list("username", flat=True).first()
    first_n = int(last[len(USER_PREFIX) :]) + 1 if last else 1
    password = make_password(BENCH_PASSWORD)  # one hash for everyone: hashing is the slow part
    rng = random.Random(f"{seed}:users:{existing}")
    now = timezone.now()
    usernames = [f"{USER_PREFIX}{n:07d}" for n in range(first_n, first_n + missing)]
    same: dict[str, Any] = {
        "password": password,
        "last_login": None,
        "is_superuser": False,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_staff": False,
        "is_active": True,
        "date_joined": now,
        "mobile": None,
        "role": "enterprise",
        "jurisdiction_id": None,
        "failed_login_count": 0,
        "locked_until": None,
    }
    columns = (*same, "username", "real_name")
    user_rows = ((*same.values(), name, person_name(rng)) for name in usernames)
    with transaction.atomic():
        insert_rows(User, columns, user_rows)
        ids: dict[str, int] = {}
        for i in range(0, len(usernames), 10_000):
            batch = usernames[i : i + 10_000]
            ids.update(User.objects.filter(username__in=batch).values_list("username", "pk"))
        owner, active = MembershipRole.OWNER.value, MembershipStatus.ACTIVE.value
        member_rows = (
            (ids[name], orgs[i % len(orgs)], owner, active, now, now) for i, name in enumerate(usernames)
        )
        member_columns = ("user_id", "organization_id", "role", "status", "created_at", "updated_at")
        insert_rows(Membership, member_columns, member_rows)
    elapsed = time.monotonic() - started
    report(f"users: added {missing} (owners of generated organizations) in {elapsed:.1f} s")
    return missing


def _organizations_for_owners(n: int) -> list[int]:
    """Generated enterprises without an owner yet, oldest id first; any generated ones when short."""
    base = generated_organizations().order_by("pk")
    free = list(
        base.filter(kind=OrganizationKind.ENTERPRISE)
        .exclude(memberships__role=MembershipRole.OWNER)
        .values_list("pk", flat=True)[:n]
    )
    if len(free) < n:
        free += list(base.values_list("pk", flat=True)[: n - len(free)])
    return free


FIXED_USERS: tuple[tuple[str, str, str | None, str], ...] = (
    # username, role, jurisdiction code, real name
    ("bench_district", "district_officer", "500101", "压测区县审核员"),
    ("bench_city", "city_officer", "500000", "压测市级审核员"),
    ("bench_admin", "admin", None, "压测管理员"),
)


def ensure_fixed_users(report: Report = _quiet) -> None:
    """The benchmark's named logins, reset to a known state (password, unlocked) on every run."""
    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    for username, role, code, real_name in FIXED_USERS:
        jurisdiction = Region.objects.filter(code=code).current().get() if code else None
        _user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "jurisdiction": jurisdiction,
                "real_name": real_name,
                "password": password,
                "is_active": True,
                "is_staff": role == "admin",
                "failed_login_count": 0,
                "locked_until": None,
            },
        )
        report(
            f"user {username}: {'created' if created else 'reset'} ({role}"
            f"{', ' + jurisdiction.name if jurisdiction else ''})"
        )


def analyze(report: Report = _quiet) -> None:
    """Fresh statistics after a bulk load (PostgreSQL); VACUUM also sets the visibility map, which
    index-only scans need, as autovacuum would do some minutes later."""
    if not is_postgresql():
        return
    started = time.monotonic()
    User = get_user_model()
    with connection.cursor() as cursor:
        for model in (Organization, Membership, User):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    report(f"VACUUM (ANALYZE): {time.monotonic() - started:.1f} s")


def generate(organizations: int, users: int, seed: int = 2026, report: Report = _quiet) -> dict[str, int]:
    """Everything ``generate_data`` does; returns the counts added."""
    added_orgs = ensure_organizations(organizations, seed=seed, report=report) if organizations else 0
    added_users = ensure_users(users, seed=seed, report=report) if users else 0
    ensure_fixed_users(report=report)
    if added_orgs or added_users:
        analyze(report=report)
    return {"organizations": added_orgs, "users": added_users}
