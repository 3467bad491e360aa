"""The landing page's figures: rebuilt per district and for the city from the registered figure
functions (sme.core.figures), idempotently, by the daily job and the command; shown to each
officer for their own scope only, read from the table and never from the live rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import login
from sme.core import daily
from sme.core import figures as registry
from sme.regions.models import Region
from sme.stats.models import ScopedFigure
from sme.stats.selectors import figures_panel
from sme.stats.services import figures_rebuild
from sme.stats.tests import rows

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 20)
LIVE_TABLES = (
    "organizations_organization",
    "enterprises_enterpriseprofile",
    "catalog_service",
    "orders_order",
    "tickets_ticket",
    "certification_certification",
    "assessment_assessmentresponse",
)


@pytest.fixture
def city(db):
    return Region.objects.current().get(code="500000")


@pytest.fixture
def world(wanzhou, yuzhong, clock):
    clock.pin(TODAY)
    # 万州区: enterprises 2 small, 1 micro, 2 unclassified (one without a profile); 3 verified
    wz_small = rows.enterprise(wanzhou, "small", verified=True)
    rows.enterprise(wanzhou, "small", verified=True)
    rows.enterprise(wanzhou, "micro")
    rows.enterprise(wanzhou, "")
    rows.enterprise(wanzhou, None, verified=True)
    wz_provider = rows.provider(wanzhou)  # verified
    rows.provider(wanzhou, verified=False)
    rows.service(wz_provider)
    rows.service(wz_provider)
    rows.service(wz_provider, status="draft")
    rows.order(wz_provider, wz_small, rows.moment(dt.date(2026, 5, 1), 0))  # this month
    rows.order(wz_provider, wz_small, rows.moment(TODAY, 23))  # this month, today
    rows.order(wz_provider, wz_small, rows.moment(dt.date(2026, 4, 30), 23))  # last month
    rows.order(wz_provider, wz_small, rows.moment(dt.date(2026, 5, 21), 0))  # after today
    for on_time in (True, True, True, False):
        rows.closed_ticket(wz_small, rows.moment(dt.date(2026, 3, 2)), on_time)
    rows.closed_ticket(wz_small, rows.moment(dt.date(2025, 12, 31)), False)  # last year
    rows.certification(wz_provider)
    rows.certification(wz_provider, status="rereview")  # in force while re-reviewed
    rows.certification(wz_provider, status="revoked")
    rows.assessed(wz_small, "L2", "二级")
    rows.assessed(wz_small, "L1", "一级", latest=False)  # an earlier one: not counted
    rows.assessed(rows.enterprise(wanzhou, "micro"), "L3", "三级")  # a third micro enterprise
    # 渝中区: 1 medium enterprise, 1 provider, 1 service, 1 order, 1 ticket on time, 1 title, 1 L4
    yz = rows.enterprise(yuzhong, "medium", verified=True)
    yz_provider = rows.provider(yuzhong)
    rows.service(yz_provider)
    rows.order(yz_provider, yz, rows.moment(dt.date(2026, 5, 10)))
    rows.closed_ticket(yz, rows.moment(dt.date(2026, 1, 5)), True)
    rows.certification(yz_provider)
    rows.assessed(yz, "L4", "四级")
    return {"wz_small": wz_small, "wz_provider": wz_provider}


def _figures(region) -> dict[str, dict[str, Decimal]]:
    found: dict[str, dict[str, Decimal]] = {}
    for row in ScopedFigure.objects.filter(region=region):
        found.setdefault(row.key, {})[row.part] = row.value
    return found


def _nonzero(parts: dict[str, Decimal]) -> dict[str, int]:
    return {k: int(v) for k, v in parts.items() if v}


def test_each_figure_is_counted_per_district_and_summed_for_the_city(world, wanzhou, yuzhong, city):
    report = figures_rebuild(today=TODAY)
    assert not report.failed
    wz, yz, all_ = _figures(wanzhou), _figures(yuzhong), _figures(city)
    assert _nonzero(wz["enterprises.size_class"]) == {"small": 2, "micro": 2, "unclassified": 2}
    assert wz["enterprises.size_class"]["large"] == 0, "every size class has its row, zeros too"
    assert _nonzero(yz["enterprises.size_class"]) == {"medium": 1}
    assert _nonzero(all_["enterprises.size_class"]) == {
        "small": 2,
        "micro": 2,
        "unclassified": 2,
        "medium": 1,
    }
    assert _nonzero(wz["organizations.verified"]) == {"enterprise": 3, "service_provider": 1}
    assert wz["catalog.published"] == {"": 2} and all_["catalog.published"] == {"": 3}
    assert wz["orders.this_month"] == {"": 2} and all_["orders.this_month"] == {"": 3}
    assert _nonzero(wz["tickets.on_time"]) == {"on_time": 3, "late": 1}
    assert _nonzero(all_["tickets.on_time"]) == {"on_time": 4, "late": 1}
    assert wz["certification.in_force"] == {"": 2} and all_["certification.in_force"] == {"": 3}
    assert _nonzero(wz["assessment.miit_levels"]) == {"L2": 1, "L3": 1}
    assert _nonzero(all_["assessment.miit_levels"]) == {"L2": 1, "L3": 1, "L4": 1}
    assert {r.as_of for r in ScopedFigure.objects.all()} == {TODAY}


def test_a_replaced_division_counts_for_its_successor(world, wanzhou, city):
    old = Region.objects.create(
        key="test-old-wanzhou",
        code="500199",
        name="旧万州",
        level="district",
        parent=city,
        valid_to=dt.date(2000, 1, 1),
        successor=wanzhou,
    )
    rows.enterprise(old, "large")
    figures_rebuild(today=TODAY)
    assert _figures(wanzhou)["enterprises.size_class"]["large"] == 1
    assert _figures(city)["enterprises.size_class"]["large"] == 1


def test_rebuilding_twice_gives_the_same_table_and_a_failing_figure_keeps_its_rows(
    world, wanzhou, monkeypatch
):
    figures_rebuild(today=TODAY)
    before = sorted(ScopedFigure.objects.values_list("region_id", "key", "part", "value"))
    figures_rebuild(today=TODAY)
    assert sorted(ScopedFigure.objects.values_list("region_id", "key", "part", "value")) == before

    rows.service(world["wz_provider"])  # a new published service …
    broken = dataclasses.replace(
        registry._FIGURES["catalog.published"], compute="sme.stats.tests.test_figures.explode"
    )
    monkeypatch.setitem(registry._FIGURES, "catalog.published", broken)
    report = figures_rebuild(today=TODAY)
    assert "catalog.published" in report.failed and "磁盘" in report.failed["catalog.published"]
    assert "orders.this_month" in report.figures, "the others are rebuilt"
    assert _figures(wanzhou)["catalog.published"] == {"": 2}, "… yesterday's figure stays until it works"


def explode(*, today):
    raise RuntimeError("磁盘已满")


def test_the_daily_job_and_the_command_rebuild_the_table(world, wanzhou):
    assert "stats.figures" in [job.name for job in daily.jobs()]
    run = daily.run_all(today=TODAY, only=["stats.figures"])
    assert not run.failed and run.reports["stats.figures"]["today"] == "2026-05-20"
    assert _figures(wanzhou)["orders.this_month"] == {"": 2}
    ScopedFigure.objects.all().delete()
    out = StringIO()
    call_command("rebuild_figures", "--today", "2026-04-30", stdout=out)
    assert json.loads(out.getvalue())["today"] == "2026-04-30"
    assert _figures(wanzhou)["orders.this_month"] == {"": 1}, "April, as of 30 April: one order"


# --- the landing page -------------------------------------------------------------------------------


def _card(html: str, key: str) -> str:
    """The figure's card, as text: "已发布服务 2 项", "企业（按规模） 大型 0 中型 0 小型 2 …"."""
    match = re.search(rf'data-testid="figure-{re.escape(key)}">(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert match, key
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_a_district_officer_sees_their_district_only(client, world, district_officer):
    figures_rebuild(today=TODAY)
    html = login(client, district_officer).get("/dashboard/").content.decode()
    assert 'data-testid="figures"' in html and "万州区数据概览" in html
    assert _card(html, "catalog.published") == "已发布服务 2 项"
    assert _card(html, "enterprises.size_class") == "企业（按规模） 大型 0 中型 0 小型 2 微型 2 未划型 2"
    assert _card(html, "tickets.on_time") == "诉求按时办结（今年以来） 75.0% 按时办结 3 超时办结 1"
    assert 'id="figures-data"' in html and "vendor/echarts/echarts.min.js" in html


def test_a_city_officer_sees_the_city(client, world, city_officer):
    figures_rebuild(today=TODAY)
    html = login(client, city_officer).get("/dashboard/").content.decode()
    assert "重庆市数据概览" in html
    assert _card(html, "catalog.published") == "已发布服务 3 项"
    assert _card(html, "tickets.on_time").startswith("诉求按时办结（今年以来） 80.0%")  # 4 of 5
    assert "中型 1" in _card(html, "enterprises.size_class")


def test_people_without_a_scope_see_no_figures(client, world, enterprise_owner, provider_user, expert):
    figures_rebuild(today=TODAY)
    for user in (enterprise_owner, provider_user, expert):
        html = login(client, user).get("/dashboard/").content.decode()
        assert 'data-testid="figures"' not in html and "echarts" not in html
        assert figures_panel(user) is None


def test_an_administrator_sees_the_platform(world, admin_user):
    figures_rebuild(today=TODAY)
    panel = figures_panel(admin_user)
    assert panel is not None and panel.region_name == "重庆市"
    assert next(f for f in panel.figures if f.key == "catalog.published").total == 3


def test_before_any_rebuild_the_page_says_so(client, district_officer):
    html = login(client, district_officer).get("/dashboard/").content.decode()
    assert 'data-testid="figures-empty"' in html and "echarts" not in html


def test_the_panel_reads_the_table_not_the_live_rows(client, world, district_officer, wanzhou):
    figures_rebuild(today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        panel = figures_panel(district_officer)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert not [t for t in LIVE_TABLES if t in sql], sql
    assert len(queries.captured_queries) <= 3
    assert next(f for f in panel.figures if f.key == "orders.this_month").total == 2

    login(client, district_officer)
    client.get("/dashboard/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    for _n in range(30):  # far more live rows …
        rows.order(world["wz_provider"], world["wz_small"], rows.moment(TODAY, 9))
        rows.service(world["wz_provider"])
    with CaptureQueriesContext(connection) as large:
        html = client.get("/dashboard/").content.decode()
    assert len(large.captured_queries) == len(small.captured_queries), "no query per live row"
    assert _card(html, "orders.this_month") == "订单（本月） 2 笔", "… not read"
    figures_rebuild(today=TODAY)
    html = client.get("/dashboard/").content.decode()
    assert _card(html, "orders.this_month") == "订单（本月） 32 笔"
