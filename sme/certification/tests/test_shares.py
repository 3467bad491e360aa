"""Shares are read by one rule (``sme.core.parsing.share``: "30%" or 0.3) wherever they are typed, and
each place says what a bare number means: on a page's field labelled "%" it is a percent (30 is 30 %);
in the API and the services it is a fraction 0–1, and a bare 30 is refused naming both ways."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from conftest import login
from sme.certification import figures
from sme.certification.models import Application
from sme.certification.selectors import applications as application_selectors
from sme.certification.services import applications as application_services
from sme.certification.tests.factories import filled_draft
from sme.core.errors import InvalidInput
from sme.core.parsing import Problems
from sme.organizations.models import Organization

DAY = dt.date(2026, 2, 10)
SHARE = "free_or_low_fee_share"  # national-2017, 第五条（六）: at least 20 %


# --- the helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "share"),
    [("30", "0.3"), ("30%", "0.3"), ("３０％", "0.3"), (" 12.5 ", "0.125"), ("0.3", "0.003"), ("100", "1")],
)
def test_a_field_labelled_percent_reads_a_percent(typed, share):
    assert figures.percent_typed(typed, "f", Problems(), label="比例") == Decimal(share)


@pytest.mark.parametrize("typed", ["120", "-5", "abc", "30%%"])
def test_a_field_labelled_percent_refuses_what_is_no_percent(typed):
    problems = Problems()
    assert figures.percent_typed(typed, "f", problems, label="比例") is None
    assert problems.by_field["f"] == [f"比例应为 0 到 100 之间的百分数，收到“{typed}”。"]


# --- the application form (national-2017's share field) --------------------------------------------


@pytest.fixture
def national_draft(clock, provider_user):
    clock.pin(DAY)
    org = Organization.objects.get(memberships__user=provider_user)
    return filled_draft(provider_user, org, scheme_code="national-2017")


def form_data(application: Application, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "version": application.version,
        **{
            k: v
            for k, v in application_selectors.snapshot(application).items()
            if not k.startswith(("years.", "materials.", "categories", "extra"))
        },
        "categories": list(application.categories),
        "extra_service_institutions": "6",
    }
    for y in application.years.all():
        for name in y.FIGURE_FIELDS:
            data[f"y{y.year}_{name}"] = str(getattr(y, name))
    data.update(extra)
    return data


def test_the_form_labels_the_share_in_percent_and_shows_the_stored_share_so(client, national_draft):
    assert national_draft.extra_figures[SHARE] == "0.3"  # stored as the fraction
    login(client, national_draft.created_by)
    page = client.get(f"/certification/applications/{national_draft.pk}/edit/").content.decode()
    assert "公益性服务或低收费服务占服务总量比例（%）" in page
    assert f'name="extra_{SHARE}" value="30"' in page  # 0.3 shown as the label says: 30 (%)


@pytest.mark.parametrize(("typed", "stored"), [("30", "0.3"), ("30%", "0.3"), ("25.5", "0.255")])
def test_the_form_takes_the_percent_its_label_asks_for(client, national_draft, typed, stored):
    login(client, national_draft.created_by)
    url = f"/certification/applications/{national_draft.pk}/edit/"
    response = client.post(url, form_data(national_draft, **{f"extra_{SHARE}": typed}))
    assert response.status_code == 302, response.content.decode()[:2000]
    national_draft.refresh_from_db()
    assert national_draft.extra_figures[SHARE] == stored
    result = application_selectors.eligibility_of(national_draft)
    row = next(c for c in result.criteria if c.key == SHARE)
    assert row.met is True and row.value == Decimal(stored)


def test_the_live_check_reads_the_percent_too(client, national_draft):
    login(client, national_draft.created_by)
    url = f"/certification/applications/{national_draft.pk}/eligibility/"
    met = client.post(url, form_data(national_draft, **{f"extra_{SHARE}": "30"})).content.decode()
    assert f'data-criterion="{SHARE}" data-met="met"' in met and "30%" in met
    # 0.3 typed into a field labelled % is 0.3 %: below the 20 % the scheme asks for.
    unmet = client.post(url, form_data(national_draft, **{f"extra_{SHARE}": "0.3"})).content.decode()
    assert f'data-criterion="{SHARE}" data-met="unmet"' in unmet and "0.3%" in unmet


def test_a_share_above_100_percent_is_named_on_the_form(client, national_draft):
    login(client, national_draft.created_by)
    url = f"/certification/applications/{national_draft.pk}/edit/"
    response = client.post(url, form_data(national_draft, **{f"extra_{SHARE}": "130"}))
    assert response.status_code == 200
    assert "应在 0 到 100% 之间" in response.content.decode()
    national_draft.refresh_from_db()
    assert national_draft.extra_figures[SHARE] == "0.3"  # nothing changed


def test_the_yearly_satisfaction_takes_its_percent_sign(client, national_draft):
    login(client, national_draft.created_by)
    latest = max(national_draft.years.values_list("year", flat=True))
    url = f"/certification/applications/{national_draft.pk}/edit/"
    data = form_data(national_draft, **{f"y{latest}_satisfaction_percent": "91.5%"})
    assert client.post(url, data).status_code == 302
    assert national_draft.years.get(year=latest).satisfaction_percent == Decimal("91.50")


def test_the_service_takes_a_fraction_or_a_signed_percent_never_a_bare_30(national_draft):
    def update(value: object) -> Application:
        application = Application.objects.get(pk=national_draft.pk)
        return application_services.application_update(
            actor=national_draft.created_by,
            application=application,
            expected_version=application.version,
            report={},
            years=[],
            categories=list(application.categories),
            extra_figures={"service_institutions": 6, SHARE: value},
        )

    assert update(0.25).extra_figures[SHARE] == "0.25"
    assert update("40%").extra_figures[SHARE] == "0.4"
    with pytest.raises(InvalidInput) as error:
        update(30)
    assert "请写成 30% 或 0 到 1 之间的小数" in error.value.field_errors[f"extra.{SHARE}"][0]


# --- the self-check page -----------------------------------------------------------------------------


def national_page(**changes: str) -> dict[str, str]:
    data = {
        "scheme": "national-2017",
        "district": "500101",
        "on": "2018-03-01",
        "years_operating": "3",
        "total_assets_wan": "320",
        "staff": "25",
        "qualified_staff_share": "85",
        "smes_served_by_year_1": "150",
        "smes_served_by_year_2": "160",
        "smes_served_by_year_3": "170",
        "satisfaction": "90",
        "service_institutions": "6",
        SHARE: "30",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["30", "30%", "３０％"])
def test_the_self_check_takes_the_percent_its_label_asks_for(client, typed):
    html = client.post("/certification/self-check/", national_page(**{SHARE: typed})).content.decode()
    assert 'data-testid="selfcheck-result" data-eligible="true"' in html
    assert f'data-criterion="{SHARE}" data-status="met"' in html and "30%" in html


@pytest.mark.django_db
def test_the_self_check_asks_for_a_missing_share_as_a_percent(client):
    html = client.post("/certification/self-check/", national_page(**{SHARE: ""})).content.decode()
    assert "缺少公益性或低收费服务比例（%）。" in html and "0 到 1" not in html


# --- the API -------------------------------------------------------------------------------------------


def api_check(client, share: object, status: int) -> dict:
    body = {
        "district": "500101",
        "on": "2018-03-01",
        "figures": {
            "years_operating": 3,
            "total_assets_wan": 320,
            "staff": 25,
            "qualified_staff_share": 0.85,
            "smes_served_by_year": [150, 160, 170],
            "satisfaction": 0.9,
            "service_institutions": 6,
            SHARE: share,
        },
    }
    response = client.post(
        "/api/v1/certification/schemes/national-2017/eligibility",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == status, response.content.decode()
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("share", [0.3, "30%"])
def test_the_api_takes_a_fraction_or_a_signed_percent(client, share):
    rows = {r["key"]: r for r in api_check(client, share, 200)["criteria"]}
    assert rows[SHARE]["met"] is True and rows[SHARE]["value"] == 0.3 and rows[SHARE]["threshold"] == 0.2


@pytest.mark.django_db
def test_the_api_refuses_a_bare_30_naming_both_ways(client):
    errors = api_check(client, 30, 400)["errors"][f"figures.{SHARE}"]
    assert errors == ["公益性或低收费服务比例请写成 30% 或 0 到 1 之间的小数，收到“30”。"]


@pytest.mark.django_db
def test_the_openapi_schema_says_how_shares_are_written(client):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    text = schema.content.decode("utf-8")
    if text.startswith("{"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    assert "0 到 1 之间的小数，如 0.3 表示 30%" in text and "30%" in text


def test_the_dossier_shows_shares_as_percents(national_draft):
    from sme.certification.documents import dossier_context

    context = dossier_context(national_draft)
    assert ("公益性服务或低收费服务占服务总量比例", "30%") in context["extra_figures"]
    row = next(c for c in context["eligibility"].criteria if c.key == SHARE)
    assert (row.value_display, row.threshold_display) == ("30%", "≥ 20%")
