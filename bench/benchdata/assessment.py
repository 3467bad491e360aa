"""Bulk synthetic assessment responses for benchmarks (``manage.py generate_assessment_data``).

Each generated response is a submitted response of a generated organization (made with
``bench.benchdata.organizations`` when there are too few), scored from one of a few hundred answer sets
scored once with the real engine, so totals, levels and dimension scores are genuine. A quarter of
the organizations have two responses (T0 and a later one); only the later is their latest. Peer keys
are spread like a real population: the organization's district, a size class, a size-standard group
(mostly 工业), an industry code; one in ten has no profile (empty keys). Answers and the result
breakdown are left out (the peer rebuild never reads them), which keeps a million rows small.

Generated rows carry :data:`MARKER` as their pledge text, so a second run adds only what is missing.
On PostgreSQL rows go in with COPY, elsewhere with ``bulk_create``. Nothing here is used by the
application itself; never run it against a production database.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sme.assessment.demo import demo_answers
from sme.assessment.models import AssessmentResponse, ResponseStatus
from sme.assessment.scoring import Result, score
from sme.assessment.selectors import instrument_for, questionnaire_for
from sme.organizations.models import Organization

from . import organizations as org_datagen

MARKER = "[datagen]"
TEMPLATES = 300
CHUNK = 100_000
SIZE_CLASSES = (("micro", 0.45), ("small", 0.35), ("medium", 0.12), ("large", 0.03), ("", 0.05))
# Size-standard groups: mostly 工业 (2), then the service groups.
SIZE_GROUPS = ((2, 0.55), (5, 0.08), (4, 0.07), (12, 0.06), (15, 0.05), (16, 0.05), (3, 0.04), (None, 0.10))
INDUSTRY_CODES = ("C", "13", "33", "34", "38", "39", "51", "52", "65", "72")
COLUMNS = (
    "organization_id",
    "questionnaire_id",
    "status",
    "answers",
    "version",
    "created_by_id",
    "submitted_by_id",
    "submitted_at",
    "pledge_text",
    "questionnaire_code",
    "questionnaire_version",
    "level_rule_key",
    "total",
    "max_score",
    "level_key",
    "level_label",
    "level_rank",
    "result",
    "dimension_scores",
    "is_latest",
    "district_code",
    "size_class",
    "size_group",
    "industry_code",
    "created_at",
    "updated_at",
)

Report = Callable[[str], None]


def _weighted(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _templates(code: str, rng: random.Random) -> tuple[Any, list[Result]]:
    q = questionnaire_for(code)
    if q is None:
        raise RuntimeError(f"questionnaire {code} is not loaded: run `manage.py migrate` first")
    instrument = instrument_for(q)
    return q, [score(instrument, demo_answers(instrument, rng.random(), rng)) for _n in range(TEMPLATES)]


def _author() -> Any:
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username="bench_assessor", defaults={"role": "enterprise", "real_name": "评测数据生成"}
    )
    return user


def generate(responses: int, *, seed: int = 2024, report: Report = print) -> int:
    """Ensure at least ``responses`` generated responses exist; returns how many were added."""
    existing = AssessmentResponse.objects.filter(pledge_text=MARKER).count()
    missing = responses - existing
    if missing <= 0:
        report(f"generate_assessment_data: {existing} generated responses already, nothing to add")
        return 0
    rng = random.Random(seed + existing)
    used_orgs = (
        AssessmentResponse.objects.filter(pledge_text=MARKER).values("organization_id").distinct().count()
    )
    # About 1.25 responses per organization (every fourth has a T0 before its latest); enough
    # organizations for one each, so the count is reached whatever the draw.
    orgs_needed = used_orgs + missing
    have = Organization.objects.count()
    if have < orgs_needed:
        report(f"generating {orgs_needed - have} organizations first …")
        org_datagen.generate(orgs_needed, 0, report=report)
    orgs = list(
        Organization.objects.order_by("pk").values_list("pk", "district__code")[used_orgs:orgs_needed]
    )
    miit, miit_results = _templates("miit-manufacturing", rng)
    dma, dma_results = _templates("eu-jrc-dma-sme", rng)
    author = _author()
    now = timezone.now()

    def rows() -> Iterator[tuple[Any, ...]]:
        made = 0
        for org_pk, district_code in orgs:
            if made >= missing:
                return
            count = 2 if rng.random() < 0.25 and made + 1 < missing else 1
            dma_org = rng.random() < 0.15
            q, results = (dma, dma_results) if dma_org else (miit, miit_results)
            size_class = _weighted(rng, SIZE_CLASSES)
            size_group = _weighted(rng, SIZE_GROUPS) if size_class else None
            industry = rng.choice(INDUSTRY_CODES) if size_class else ""
            first = now - dt.timedelta(seconds=rng.randrange(60, 2 * 365 * 86400))
            for n in range(count):
                result = rng.choice(results)
                when = first if n == 0 else first + (now - first) * rng.uniform(0.2, 1.0)
                yield (
                    org_pk,
                    q.pk,
                    ResponseStatus.SUBMITTED.value,
                    {},
                    2,
                    author.pk,
                    author.pk,
                    when,
                    MARKER,
                    q.code,
                    q.version,
                    result.rule_key,
                    result.total,
                    result.max,
                    result.level_key,
                    result.level_label,
                    result.level_rank,
                    {},
                    {d.key: float(d.score) for d in result.dimensions},
                    n == count - 1,
                    district_code or "",
                    size_class,
                    size_group,
                    industry,
                    when,
                    when,
                )
                made += 1

    added = 0
    stream = rows()
    while True:
        chunk = [row for _n, row in zip(range(CHUNK), stream, strict=False)]
        if not chunk:
            break
        with transaction.atomic():
            added += org_datagen.insert_rows(AssessmentResponse, COLUMNS, chunk)
        report(f"  {existing + added:,} / {responses:,} responses")
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AssessmentResponse._meta.db_table)
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction (the test suite wraps each test in one).
            cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
    return added
