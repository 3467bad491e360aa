"""Every date rule of the enterprise app reads the platform clock (``sme.core.clock``), so a pinned
clock moves all of them: the last year figures may be entered for, the standard in force, the data
year of a registry row and the standard a reclassification uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sme.core.errors import InvalidInput
from sme.enterprises import services
from sme.enterprises.forms import ImportMappingForm, YearFiguresForm
from sme.enterprises.importing.rows import build_context, parse_row
from sme.enterprises.models import EnterpriseImport
from sme.enterprises.selectors import size_class_on
from sme.enterprises.tool_views import evaluate

pytestmark = pytest.mark.django_db


def test_figures_may_be_entered_up_to_the_clocks_year(clock, own_enterprise, enterprise_owner):
    clock.pin(dt.date(2031, 3, 2))
    row = services.enterprise_figures_set(
        actor=enterprise_owner,
        organization=own_enterprise,
        expected_version=1,
        year=2031,
        employees=10,
        revenue_wan=Decimal("100"),
        assets_wan=None,
    )
    assert row.year == 2031
    with pytest.raises(InvalidInput) as exc:
        services.enterprise_figures_set(
            actor=enterprise_owner,
            organization=own_enterprise,
            expected_version=2,
            year=2032,
            employees=10,
            revenue_wan=None,
            assets_wan=None,
        )
    assert "2000 至 2031" in exc.value.field_errors["year"][0]


def test_the_forms_offer_the_clocks_years(clock):
    clock.pin(dt.date(2031, 3, 2))
    form = YearFiguresForm(version=1)
    assert form.initial["year"] == 2030 and form.fields["year"].widget.attrs["max"] == 2031
    job = EnterpriseImport(columns=["a"], mapping={})
    assert ImportMappingForm(job=job).fields["default_year"].max_value == 2031


def test_the_standard_in_force_is_the_one_on_the_clocks_day(clock, client):
    clock.pin(dt.date(2011, 1, 1))  # before 工信部联企业〔2011〕300号 took effect on 2011-06-18
    status, body = evaluate({"industry": "C", "employees": "50", "revenue": "1500"})
    assert status == 400 and "没有施行中的企业划型标准" in body["errors"][0]
    assert client.get("/api/v1/tools/size-class?industry=C&employees=50&revenue=1500").status_code == 400
    with pytest.raises(Exception, match="没有施行中的企业划型标准"):
        size_class_on("C", 50, Decimal(1500), None)
    clock.pin(dt.date(2011, 7, 1))
    assert evaluate({"industry": "C", "employees": "50", "revenue": "1500"})[0] == 200


def test_registry_rows_are_checked_against_the_clocks_year(clock, wanzhou):
    from sme.enterprises.tests.helpers import code

    mapping = {"uscc": 0, "name": 1, "district": 2, "industry_code": 3, "year": 4}
    clock.pin(dt.date(2031, 3, 2))
    ctx = build_context(mapping=mapping, default_year=None, allowed_ids=None)
    assert ctx.last_year == 2031
    assert not isinstance(parse_row(2, [code(), "甲企业", "万州区", "C", 2031], ctx), list)
    problems = parse_row(3, [code(), "乙企业", "万州区", "C", 2032], ctx)
    assert isinstance(problems, list) and "2000 至 2031" in problems[0]


def test_reclassification_uses_the_standard_in_force_on_the_clocks_day(clock):
    from io import StringIO

    from django.core.management import call_command

    clock.pin(dt.date(2011, 1, 1))
    with pytest.raises(Exception, match="没有施行中的企业划型标准"):
        call_command("reclassify_enterprises", stdout=StringIO())
