"""Bulk synthetic certification data for benchmarks (``manage.py generate_certification_data``).

Generated applications have references ``BENCH-0000001``…, belong to generated (or any) service
organizations of the platform's districts, run under the current shipped schemes and carry three
years of figures; materials are fake file records (no bytes stored) with SHA-256 checksums, several
versions for some slots; certified platforms are generated applications turned into register
entries, most in force, some in re-review, revoked or expired. Running again only adds what is
missing (top-up). On PostgreSQL rows go in with ``COPY`` (``bench.benchdata.organizations.insert_rows``).

Nothing here is used by the application itself. Never run it against a production database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from sme.certification.models import (
    Application,
    ApplicationStatus,
    ApplicationYear,
    Certification,
    CertificationStatus,
    Material,
    Scheme,
)
from sme.organizations.models import PROVIDER_KINDS, Organization

from .organizations import (
    BENCH_PASSWORD,
    Report,
    _quiet,
    ensure_fixed_users,
    generated_organizations,
    insert_rows,
    is_postgresql,
    person_name,
)

MARKER = "BENCH-"  # Application.reference prefix of generated applications
APPLICANT_USERNAME = "bench_provider"
CHUNK = 20_000

# Status of a generated application (certified ones are made afterwards from the decided ones).
STATUS_WEIGHTS: tuple[tuple[str, float], ...] = (
    (ApplicationStatus.DRAFT, 0.10),
    (ApplicationStatus.SUBMITTED, 0.25),
    (ApplicationStatus.RETURNED, 0.05),
    (ApplicationStatus.RECOMMENDED, 0.10),
    (ApplicationStatus.CITY_REVIEW, 0.12),
    (ApplicationStatus.NOTICE, 0.03),
    (ApplicationStatus.REJECTED, 0.30),
    (ApplicationStatus.WITHDRAWN, 0.05),
)
# Decided or far along: these may become certified platforms.
CERTIFIABLE = (ApplicationStatus.REJECTED, ApplicationStatus.CITY_REVIEW, ApplicationStatus.RECOMMENDED)
CERT_STATUS_WEIGHTS: tuple[tuple[str, float], ...] = (
    (CertificationStatus.ACTIVE, 0.88),
    (CertificationStatus.REREVIEW, 0.05),
    (CertificationStatus.REVOKED, 0.04),
    (CertificationStatus.EXPIRED, 0.03),
)
PLATFORM_WORDS = (
    "中小企业信息化服务平台",
    "中小企业公共服务平台",
    "工业互联网服务平台",
    "电子商务公共服务平台",
    "数字化转型促进中心",
    "云服务平台",
    "企业服务云",
    "两化融合服务平台",
)
SERVICE_AREAS = (
    "主要服务区内汽车摩托车零部件产业集群的中小企业。",
    "服务小企业创业基地及周边都市工业园（楼宇）入驻企业。",
    "面向农产品加工基地的中小企业提供信息化与电子商务服务。",
    "服务区县中小企业特色产业基地，覆盖装备制造、食品加工等行业。",
)
REVOCATION_REASONS = (
    ("rereview", "三年复核测评不合格。"),
    ("fraud", "申报材料中服务企业名单存在虚假信息。"),
    ("spot_check", "抽查发现服务能力不达标，整改期满仍不合格。"),
)

APPLICATION_COLUMNS = (
    "scheme_id",
    "organization_id",
    "district_id",
    "status",
    "version",
    "reference",
    "round_year",
    "platform_name",
    "established_on",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "service_area",
    "facilities",
    "management_system",
    "leadership",
    "description",
    "categories",
    "extra_figures",
    "declaration_name",
    "declaration_date",
    "declared_at",
    "submitted_at",
    "recommended_at",
    "decided_at",
    "decision_note",
    "created_by_id",
    "created_at",
    "updated_at",
)
YEAR_COLUMNS = ("application_id", "year", *ApplicationYear.FIGURE_FIELDS)
MATERIAL_COLUMNS = (
    "application_id",
    "slot",
    "file",
    "label",
    "file_kind",
    "content_type",
    "size",
    "sha256",
    "version",
    "is_current",
    "uploaded_at",
    "uploaded_by_id",
)
CERTIFICATION_COLUMNS = (
    "application_id",
    "organization_id",
    "scheme_id",
    "district_id",
    "number",
    "title",
    "platform_name",
    "categories",
    "category_keys",
    "zone_key",
    "granted_on",
    "valid_until",
    "status",
    "version",
    "revoked_on",
    "revocation_reason",
    "revocation_basis",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class OrgInfo:
    pk: int
    name: str
    district_id: int
    legal_representative: str
    address: str
    contact_name: str
    contact_phone: str


def generated_applications() -> Any:
    return Application.objects.filter(reference__startswith=MARKER)


def _pick(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    roll, acc = rng.random(), 0.0
    for value, weight in weights:
        acc += weight
        if roll < acc:
            return str(value)
    return str(weights[-1][0])


def _schemes() -> list[tuple[Scheme, float]]:
    current = {s.code: s for s in Scheme.objects.current()}
    if not current:
        raise RuntimeError("No current certification scheme: run `manage.py migrate` (it loads the schemes).")
    city = current.get("cq-2013-city")
    national = current.get("national-2017")
    if city and national:
        return [(city, 0.9), (national, 0.1)]
    share = 1 / len(current)
    return [(s, share) for s in current.values()]


def _applicant_user() -> Any:
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=APPLICANT_USERNAME,
        defaults={"role": "provider", "real_name": "压测申报人", "password": make_password(BENCH_PASSWORD)},
    )
    return user


def _organizations(limit: int = 20_000) -> list[OrgInfo]:
    fields = ("pk", "name", "district_id", "legal_representative", "address", "contact_name", "contact_phone")
    rows = list(generated_organizations().filter(kind__in=PROVIDER_KINDS).values_list(*fields)[:limit])
    if len(rows) < 100:  # few generated providers: any generated organization, then any at all
        rows += list(generated_organizations().values_list(*fields)[: limit - len(rows)])
    if not rows:
        rows = list(Organization.objects.values_list(*fields)[:limit])
    if not rows:
        raise RuntimeError("Generated applications need organizations: run `manage.py generate_data` first.")
    return [OrgInfo(*row) for row in rows]


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60)))
    return timezone.make_aware(moment)


def application_rows(
    count: int,
    start: int,
    rng: random.Random,
    orgs: list[OrgInfo],
    schemes: list[tuple[Scheme, float]],
    user_id: int,
    today: dt.date,
) -> Iterator[tuple[Any, ...]]:
    """Rows in :data:`APPLICATION_COLUMNS` order. Runs inside a COPY: no queries in here."""
    for n in range(start + 1, start + count + 1):
        scheme = rng.choices([s for s, _ in schemes], weights=[w for _, w in schemes])[0]
        org = rng.choice(orgs)
        status = _pick(rng, STATUS_WEIGHTS)
        created_day = today - dt.timedelta(days=rng.randrange(3 * 365))
        created = _aware(created_day, rng)
        drafted = status == ApplicationStatus.DRAFT
        submitted = None if drafted else created + dt.timedelta(days=rng.randrange(1, 30))
        recommended = (
            submitted + dt.timedelta(days=rng.randrange(5, 40))
            if submitted and status in (ApplicationStatus.RECOMMENDED, ApplicationStatus.CITY_REVIEW,
                                        ApplicationStatus.NOTICE)
            else None
        )  # fmt: skip
        decided = None
        if status in (ApplicationStatus.REJECTED, ApplicationStatus.RETURNED) and submitted:
            decided = submitted + dt.timedelta(days=rng.randrange(5, 60))
        if status == ApplicationStatus.REJECTED and rng.random() < 0.5 and submitted:
            recommended = submitted + dt.timedelta(days=rng.randrange(5, 40))  # rejected by the city
        keys = [c["key"] for c in scheme.categories]
        categories = sorted(rng.sample(keys, k=min(len(keys), rng.randrange(1, 4))))
        trade = org.name.replace("重庆市", "").replace("重庆", "")[:6]
        updated = max(x for x in (created, submitted, recommended, decided) if x is not None)
        yield (
            scheme.pk,
            org.pk,
            org.district_id,
            status,
            1,
            f"{MARKER}{n:07d}",
            None if drafted else (submitted or created).year + (1 if (submitted or created).month > 2 else 0),
            f"{trade}{rng.choice(PLATFORM_WORDS)}",
            created_day - dt.timedelta(days=365 * rng.randrange(2, 15)),
            org.legal_representative,
            org.address,
            org.contact_name,
            org.contact_phone,
            rng.choice(SERVICE_AREAS),
            f"固定服务场所{rng.randrange(300, 3000)}平方米，配备服务器、培训教室和体验中心。",
            "服务流程、收费标准和服务质量保证措施在官网公开。",
            f"主要负责人{person_name(rng)}，从事中小企业服务{rng.randrange(5, 25)}年。",
            f"平台为中小企业提供信息化咨询、软件租用和培训服务，年服务企业{rng.randrange(60, 400)}家。",
            categories,
            {},
            "" if drafted else org.legal_representative,
            None if drafted else submitted.date() if submitted else None,
            submitted,
            submitted,
            recommended,
            decided,
            "材料不全，请补充上一年度财务报表。" if status == ApplicationStatus.RETURNED else "",
            user_id,
            created,
            updated,
        )


def year_rows(
    application_ids: list[tuple[int, dt.datetime]], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for pk, created in application_ids:
        base_smes = rng.randrange(40, 300)
        staff = rng.randrange(8, 120)
        assets = Decimal(rng.randrange(3_000, 200_000)) / 100
        for i, year in enumerate(range(created.year - 3, created.year)):
            qualified = min(staff + i, int((staff + i) * rng.uniform(0.4, 0.95)))
            revenue = Decimal(rng.randrange(50_000, 2_000_000)) / 100
            yield (
                pk,
                year,
                base_smes + i * rng.randrange(-5, 30),
                Decimal(rng.randrange(7000, 9900)) / 100,
                revenue,
                (revenue * Decimal(rng.uniform(0.3, 0.9))).quantize(Decimal("0.01")),
                staff + i,
                qualified,
                assets + i * 10,
            )


def ensure_applications(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """At least ``target`` generated applications, each with three years of figures."""
    existing = generated_applications().count()
    missing = target - existing
    if missing <= 0:
        report(f"applications: {existing} generated ones exist already (≥ {target}), none added")
        return 0
    started = time.monotonic()
    last = generated_applications().order_by("-reference").values_list("reference", flat=True).first()
    start = int(last[len(MARKER) :]) if last else 0
    rng = random.Random(f"{seed}:applications:{existing}")
    orgs = _organizations()
    user = _applicant_user()
    today = timezone.localdate()
    rows = application_rows(missing, start, rng, orgs, _schemes(), user.pk, today)
    added = 0
    report(f"applications: {existing} exist, adding {missing} over {len(orgs)} organizations")
    while added < missing:
        size = min(CHUNK, missing - added)
        with transaction.atomic():
            n = insert_rows(Application, APPLICATION_COLUMNS, _take(rows, size))
            first, last_n = start + added + 1, start + added + n
            ids = list(
                Application.objects.filter(
                    reference__gte=f"{MARKER}{first:07d}", reference__lte=f"{MARKER}{last_n:07d}"
                ).values_list("pk", "created_at")
            )
            insert_rows(ApplicationYear, YEAR_COLUMNS, year_rows(ids, rng))
        added += n
        report(f"  {added:>8}/{missing} applications  {time.monotonic() - started:6.1f} s")
    return added


def _take(rows: Iterator[tuple[Any, ...]], n: int) -> Iterator[tuple[Any, ...]]:
    for _ in range(n):
        try:
            yield next(rows)
        except StopIteration:
            return


def ensure_materials(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """At least ``target`` material records on generated applications: round after round, each
    application gets its next upload slot, then second versions of the slots (replaced files)."""
    generated = Material.objects.filter(application__reference__startswith=MARKER)
    existing = generated.count()
    missing = target - existing
    if missing <= 0:
        report(f"materials: {existing} on generated applications exist already (≥ {target}), none added")
        return 0
    apps = list(
        generated_applications()
        .exclude(status=ApplicationStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", "scheme_id", "submitted_at")
    )
    if not apps:
        raise RuntimeError("Materials need generated applications: pass --applications too.")
    started = time.monotonic()
    slots_of = {
        s.pk: [m["key"] for m in s.materials if m.get("provided_by") == "upload"] or ["other"]
        for s in Scheme.objects.filter(pk__in={a[1] for a in apps})
    }
    taken: dict[int, dict[str, int]] = defaultdict(dict)
    for app_id, slot, top in (
        generated.order_by().values_list("application_id", "slot").annotate(top=Max("version"))
    ):
        taken[app_id][slot] = top
    rng = random.Random(f"{seed}:materials:{existing}")
    user = _applicant_user()

    def rows() -> Iterator[tuple[Any, ...]]:  # runs inside a COPY: no queries in here
        made = 0
        round_no = 0
        while made < missing:
            round_no += 1
            for app_id, scheme_id, submitted in apps:
                slots = slots_of[scheme_id]
                have = taken[app_id]
                # Round r: the first slot not yet uploaded, else a new version of slot r mod n.
                slot = next((s for s in slots if s not in have), slots[round_no % len(slots)])
                version = have.get(slot, 0) + 1
                have[slot] = version
                size = rng.randrange(40_000, 8_000_000)
                digest = hashlib.sha256(f"{app_id}:{slot}:{version}:{seed}".encode()).hexdigest()
                kind, ext, mime = rng.choice(
                    (("pdf", ".pdf", "application/pdf"), ("pdf", ".pdf", "application/pdf"),
                     ("jpeg", ".jpg", "image/jpeg"), ("xlsx", ".xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                )  # fmt: skip
                uploaded = (submitted or timezone.now()) - dt.timedelta(hours=rng.randrange(1, 500))
                yield (
                    app_id,
                    slot,
                    f"certification/bench/{digest[:2]}/{digest}{ext}",
                    f"{slot}{ext}",
                    kind,
                    mime,
                    size,
                    digest,
                    version,
                    True,
                    uploaded,
                    user.pk,
                )
                made += 1
                if made >= missing:
                    return

    with transaction.atomic():
        added = insert_rows(Material, MATERIAL_COLUMNS, rows())
        # Only the latest version of a slot is current.
        newer = Material.objects.filter(
            application_id=OuterRef("application_id"), slot=OuterRef("slot"), version__gt=OuterRef("version")
        )
        generated.filter(is_current=True).filter(Exists(newer)).update(is_current=False)
    report(f"materials: added {added} in {time.monotonic() - started:.1f} s")
    return added


def ensure_certified(target: int, seed: int = 2026, report: Report = _quiet) -> int:
    """At least ``target`` register entries from generated applications (decided ones become
    certified: status, dates and a Certification row)."""
    generated = Certification.objects.filter(application__reference__startswith=MARKER)
    existing = generated.count()
    missing = target - existing
    if missing <= 0:
        report(f"certified: {existing} generated platforms exist already (≥ {target}), none added")
        return 0
    started = time.monotonic()
    candidates = list(
        generated_applications()
        .filter(status__in=CERTIFIABLE, certification__isnull=True)
        .select_related("scheme")
        .order_by("pk")[:missing]
    )
    if len(candidates) < missing:
        report(f"  only {len(candidates)} generated applications can become certified (add --applications)")
    rng = random.Random(f"{seed}:certified:{existing}")
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    serial = existing
    for app in candidates:
        serial += 1
        status = _pick(rng, CERT_STATUS_WEIGHTS)
        if status == CertificationStatus.EXPIRED:
            granted = today - dt.timedelta(days=rng.randrange(3 * 365 + 30, 6 * 365))
        else:
            granted = today - dt.timedelta(days=rng.randrange(10, 3 * 365 - 10))
        try:
            valid_until = granted.replace(year=granted.year + app.scheme.validity_years) - dt.timedelta(
                days=1
            )
        except ValueError:  # 29 February
            valid_until = granted.replace(year=granted.year + app.scheme.validity_years, day=28)
        revoked_on, basis, reason = None, "", ""
        if status == CertificationStatus.REVOKED:
            revoked_on = min(today, granted + dt.timedelta(days=rng.randrange(100, 900)))
            basis, reason = rng.choice(REVOCATION_REASONS)
        number = app.scheme.certificate_number_pattern.format(
            year=granted.year, seq=90_000 + serial, code=app.scheme.code
        )
        rows.append(
            (
                app.pk,
                app.organization_id,
                app.scheme_id,
                app.district_id,
                number,
                app.scheme.title,
                app.platform_name,
                list(app.categories),
                "," + ",".join(app.categories) + ",",
                "",
                granted,
                valid_until,
                status,
                1,
                revoked_on,
                reason,
                basis,
                now,
                now,
            )
        )
    with transaction.atomic():
        Application.objects.filter(pk__in=[a.pk for a in candidates]).update(
            status=ApplicationStatus.CERTIFIED, decided_at=now, decision_note=""
        )
        Application.objects.filter(pk__in=[a.pk for a in candidates], recommended_at__isnull=True).update(
            recommended_at=now
        )
        added = insert_rows(Certification, CERTIFICATION_COLUMNS, rows)
    report(f"certified: added {added} in {time.monotonic() - started:.1f} s")
    return added


def analyze(report: Report = _quiet) -> None:
    """Fresh planner statistics and visibility map after a bulk load (PostgreSQL)."""
    if not is_postgresql():
        return
    started = time.monotonic()
    # VACUUM cannot run inside a transaction (a caller's atomic block, or a test); ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in (Application, ApplicationYear, Material, Certification):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    report(f"{command}: {time.monotonic() - started:.1f} s")


def generate(
    applications: int, materials: int, certified: int, seed: int = 2026, report: Report = _quiet
) -> dict[str, int]:
    """Everything ``generate_certification_data`` does; returns the counts added."""
    ensure_fixed_users(report=report)
    added = {
        "applications": ensure_applications(applications, seed=seed, report=report) if applications else 0,
        "materials": ensure_materials(materials, seed=seed, report=report) if materials else 0,
        "certified": ensure_certified(certified, seed=seed, report=report) if certified else 0,
    }
    if any(added.values()):
        analyze(report=report)
    return added
