"""Demo profiles and two years of figures for the demo enterprises (``sme/demo`` creates them).

``load_demo_enterprises()`` is idempotent: an enterprise that already has a profile is left alone.
The industry comes from the name (a 科技 company is 软件和信息技术服务, a 物流 company 道路运输, …),
the figures from a generator seeded by the credit code, so every run gives the same numbers; sizes
range from 微型 to 中型, and one enterprise is a 大型 manufacturer so every class appears.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from sme.core import audit, clock
from sme.core.messages import msg
from sme.organizations.models import Organization, OrganizationKind

from .models import EnterpriseProfile, EnterpriseYearFigures
from .selectors import classifier_on, industry_entry

# (word in the name, GB/T 4754-2017 code, (employees, revenue 万元, assets 万元) of the latest year)
INDUSTRY_BY_NAME: list[tuple[str, str, tuple[int, int, int]]] = [
    ("数据技术", "65", (180, 12800, 9600)),
    ("智联科技", "65", (42, 860, 520)),
    ("农业科技", "01", (35, 620, 900)),
    ("柠檬科技", "01", (60, 2400, 3100)),
    ("电子商务", "52", (18, 760, 240)),
    ("脐橙电商", "52", (8, 95, 60)),
    ("商贸", "51", (26, 6800, 1900)),
    ("物流", "54", (150, 5200, 7800)),
    ("食品", "14", (220, 18600, 12400)),
    ("粮油", "13", (95, 9300, 6100)),
    ("纺织", "17", (310, 21000, 16500)),
    ("丝绸", "17", (45, 1300, 980)),
    ("夏布", "17", (16, 240, 150)),
    ("数控机械", "34", (85, 4600, 5200)),
    ("齿轮", "34", (1200, 46000, 52000)),
    ("模具", "35", (64, 2900, 3300)),
    ("智能装备", "35", (240, 15800, 21000)),
    ("五金", "33", (38, 1500, 1100)),
    ("铝材", "32", (130, 24000, 15000)),
    ("汽配", "36", (420, 32000, 26000)),
    ("电子", "39", (260, 19000, 14000)),
    ("化工", "26", (175, 28000, 35000)),
    ("中药材", "01", (12, 45, 80)),
    ("工艺品", "24", (9, 180, 120)),
    ("竹编", "24", (22, 320, 260)),
    ("文化传媒", "86", (14, 260, 180)),
    ("文化创意", "72", (11, 150, 90)),
    ("旅游", "72", (28, 900, 1600)),
]
DEFAULT = ("72", (10, 200, 150))


def _profile_for(name: str) -> tuple[str, tuple[int, int, int]]:
    for word, code, figures in INDUSTRY_BY_NAME:
        if word in name:
            return code, figures
    return DEFAULT


@transaction.atomic
def load_demo_enterprises() -> int:
    """Profiles and figures for demo enterprises that have none yet; returns how many were added."""
    today = clock.today()
    classifier = classifier_on(today)
    latest_year = today.year - 1
    added = 0
    enterprises = Organization.objects.filter(
        kind=OrganizationKind.ENTERPRISE, enterprise_profile__isnull=True
    )
    for org in enterprises.order_by("pk"):
        code, (employees, revenue, assets) = _profile_for(org.name)
        entry = industry_entry(code)
        if entry is None:  # the code list was changed: skip rather than store a wrong code
            continue
        rng = random.Random(org.uscc)
        years = []
        for year, factor in (
            (latest_year - 1, Decimal(rng.randint(80, 98)) / 100),
            (latest_year, Decimal(1)),
        ):
            row = EnterpriseYearFigures.objects.create(
                organization=org,
                year=year,
                employees=max(1, int(employees * factor)),
                revenue_wan=(Decimal(revenue) * factor).quantize(Decimal("0.01")),
                assets_wan=(Decimal(assets) * factor).quantize(Decimal("0.01")),
            )
            years.append(row)
        latest = years[-1]
        result = classifier.classify(
            code, latest.year, latest.employees, latest.revenue_wan, latest.assets_wan
        )
        EnterpriseProfile.objects.create(
            organization=org,
            industry_code=entry.code,
            industry_section=entry.section,
            is_tech_sme="科技" in org.name or "数据" in org.name,
            is_specialized_new="齿轮" in org.name or "模具" in org.name or "智能装备" in org.name,
            is_high_tech="数据" in org.name or "智能装备" in org.name,
            classified_at=clock.now(),
            **result.as_fields(),
        )
        added += 1
    if added:
        audit.record("demo.enterprises", summary=msg("载入演示企业档案：%(n)s 家（各两年数据）", n=added))
    return added
