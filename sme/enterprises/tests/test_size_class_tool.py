"""The loaded data, ``GET /api/v1/tools/size-class`` and the page ``/tools/size-class/``.

The standard and the code list exist in the test database because ``migrate`` runs the loader.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from sme.enterprises import loader
from sme.enterprises.models import IndustryCode, SizeGroup, SizeStandard
from sme.enterprises.selectors import bump_data_version, rules_on, size_class_on
from sme.enterprises.size_class import SizeInputError

pytestmark = pytest.mark.django_db

API = "/api/v1/tools/size-class"
PAGE = "/tools/size-class/"


def api(client, status: int = 200, **params):
    response = client.get(API, params)
    assert response.status_code == status, (params, response.content.decode())
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- data loaded after migrate ------------------------------------------------------------------


def test_migrate_loads_the_standard_and_the_codes():
    standard = SizeStandard.objects.get(version="2011")
    assert standard.document == "工信部联企业〔2011〕300号"
    assert standard.effective_from == dt.date(2011, 6, 18) and standard.effective_to is None
    assert standard.groups.count() == 16
    industrial = standard.groups.get(number=2)
    assert industrial.name == "工业"
    assert industrial.thresholds["large"] == {"employees": 1000, "revenue": 40000}
    levels = {lvl: IndustryCode.objects.filter(level=lvl).count() for lvl in ("section", "division", "group")}
    assert levels["section"] == 20 and levels["division"] == 97
    assert {"591", "701", "702", "703", "709"} <= set(
        IndustryCode.objects.filter(level="group").values_list("code", flat=True)
    )
    assert IndustryCode.objects.get(code="591").parent.code == "59"
    assert IndustryCode.objects.get(code="13").parent.code == "C"


def test_loading_again_changes_nothing():
    assert loader.load_all() == {"codes": 0, "standards": 0}


@pytest.fixture
def fresh_snapshot_afterwards():
    """The snapshot cache outlives the test's transaction: start afresh once the edit is rolled back."""
    yield
    bump_data_version()


def test_editing_a_data_file_then_loading_applies_the_edit(tmp_path, settings, fresh_snapshot_afterwards):
    source = json.loads((loader.DATA_DIR / "size-standard-2011.json").read_text(encoding="utf-8"))
    source["standards"][0]["groups"][1]["thresholds"]["small"]["employees"] = 25
    source["standards"][0]["groups"][15]["name"] = "其他行业"
    edited = tmp_path / "size.json"
    edited.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    settings.ENTERPRISE_DATA_FILES = ["gbt-4754-2017.json", str(edited)]
    assert loader.load_all() == {"codes": 0, "standards": 2}
    assert SizeGroup.objects.get(number=2).thresholds["small"]["employees"] == 25
    assert size_class_on("C", 24, Decimal(300), None).size == "micro"
    assert size_class_on("M", 24, None, None).group.name == "其他行业"
    assert loader.load_all() == {"codes": 0, "standards": 0}


def test_an_inconsistent_data_file_is_refused(tmp_path):
    source = json.loads((loader.DATA_DIR / "size-standard-2011.json").read_text(encoding="utf-8"))
    del source["standards"][0]["groups"][1]["thresholds"]["medium"]["revenue"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="group 2, medium"):
        loader.load_files([bad])


def test_database_snapshot_equals_the_file_snapshot():
    from_db = rules_on(dt.date(2024, 1, 1))
    from_files = loader.snapshots_from_files()[0]
    assert from_db.groups == from_files.groups
    assert from_db.industry_map == from_files.industry_map
    assert from_db.industries == from_files.industries
    with pytest.raises(SizeInputError):
        rules_on(dt.date(2010, 1, 1))


def test_classify_uses_the_loaded_standard_by_default():
    result = size_class_on("C", 300, Decimal(2000), None)
    assert result.size == "medium" and result.rules.version == "2011"
    with pytest.raises(SizeInputError):
        size_class_on("C", 300, Decimal(2000), None, on=dt.date(2011, 1, 1))


# --- API: 200 ----------------------------------------------------------------------------------


def test_api_small_industrial_enterprise(client):
    body = api(client, industry="C", employees="50", revenue="1500", assets="")
    assert set(body) == {"size", "label", "industry", "group", "reasons", "figures", "rule"}
    assert body["size"] == "small" and body["label"] == "小型"
    assert body["group"] == {"number": 2, "name": "工业"}
    assert body["industry"] == {"code": "C", "name": "制造业"}
    assert body["figures"] == {"employees": 50, "revenue": 1500}
    assert body["rule"]["document"] == "工信部联企业〔2011〕300号"
    assert body["rule"]["effective_from"] == "2011-06-18"
    assert any("达到小型的全部下限" in r for r in body["reasons"])


@pytest.mark.parametrize(
    ("params", "size"),
    [
        ({"industry": "13", "employees": "1000", "revenue": "40000"}, "large"),
        ({"industry": "591", "employees": "300", "revenue": "3000"}, "medium"),
        ({"industry": "7010", "revenue": "100.5", "assets": "2000"}, "small"),
        ({"industry": "5910", "employees": "19", "revenue": "99999"}, "micro"),
        ({"industry": "a", "revenue": "20000.00"}, "large"),
        ({"industry": " m ", "employees": "1,000"}, "large"),
        ({"industry": "E", "revenue": "6000", "assets": "5000", "employees": "abc"}, "medium"),
    ],
)
def test_api_classes(client, params, size):
    assert api(client, **params)["size"] == size


def test_api_ignores_figures_the_group_does_not_use(client):
    """Even a malformed one: it plays no part, so it is no reason to refuse."""
    body = api(client, industry="M", employees="12", revenue="oops", assets="-3")
    assert body["size"] == "small" and body["figures"] == {"employees": 12}


@pytest.mark.parametrize(
    ("industry", "needle"), [("J", "银发〔2015〕309号"), ("53", "铁路运输业"), ("83", "不在")]
)
def test_api_not_classifiable_is_200_with_null_size(client, industry, needle):
    body = api(client, industry=industry)
    assert body["size"] is None and body["group"] is None and body["label"] == "不能按本标准划型"
    assert needle in body["reasons"][0]


# --- API: 400 ----------------------------------------------------------------------------------


def test_api_missing_figures_are_each_named(client):
    body = api(client, 400, industry="C")
    assert body == {
        "errors": [
            "缺少从业人员（人）：第2组“工业”按从业人员和营业收入划型。",
            "缺少营业收入（万元）：第2组“工业”按从业人员和营业收入划型。",
        ]
    }


def test_api_malformed_and_negative_figures(client):
    body = api(client, 400, industry="E", employees="12.5", revenue="abc", assets="-1")
    errors = body["errors"]
    assert len(errors) == 2  # employees is not used by 建筑业
    # sme.core.parsing's reading and wording, as every other number field of the platform
    assert errors[0] == "营业收入请填写数字（单位：万元），收到“abc”。"
    assert errors[1] == "资产总额不能为负数。"
    body = api(client, 400, industry="C", employees="12.5", revenue="1e3")
    assert body["errors"] == ["从业人员请填写整数。"]  # "1e3" reads as 1000, as everywhere else
    assert api(client, 400, industry="C", employees="50", revenue="1500.12345")["errors"] == [
        "营业收入最多保留4位小数。"
    ]
    assert api(client, 200, industry="C", employees="５０", revenue="1,500")["size"] == "small"
    for bad in ("NaN", "Infinity", "1" * 40, "--1"):
        assert api(client, 400, industry="A", revenue=bad)["errors"], bad


def test_api_missing_and_malformed_together(client):
    errors = api(client, 400, industry="52", revenue="x")["errors"]
    assert errors[0].startswith("缺少从业人员") and errors[1].startswith("营业收入请填写数字")


@pytest.mark.parametrize("industry", ["99", "Z", "12345", "C-1", ""])
def test_api_unknown_or_missing_industry(client, industry):
    errors = api(client, 400, industry=industry, employees="10", revenue="10")["errors"]
    assert len(errors) == 1 and "行业代码" in errors[0]


def test_api_without_any_parameter(client):
    errors = api(client, 400)["errors"]
    assert errors == [
        "请填写行业代码（GB/T 4754-2017 门类字母或 2–4 位数字代码，也可写作门类字母加数字，如 I6513）。"
    ]


def test_api_only_answers_get(client):
    assert client.post(API, {"industry": "C"}).status_code == 405


def test_api_is_in_the_openapi_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/tools/size-class:" in text and "tools_size_class" in text


# --- the page ---------------------------------------------------------------------------------


def test_page_has_the_form_and_the_code_picker(client):
    page = client.get(PAGE).content.decode()
    assert "企业规模划型自测" in page
    assert '<datalist id="industry-codes">' in page
    assert '<option value="591">591 装卸搬运</option>' in page
    assert '<option value="C">C 制造业</option>' in page
    assert 'data-testid="size-class-result"' not in page


def test_page_shows_the_result(client):
    page = client.get(PAGE, {"industry": "C", "employees": "50", "revenue": "1500"}).content.decode()
    assert 'data-size="small"' in page and "小型企业" in page and "第2组 工业" in page
    assert "工信部联企业〔2011〕300号" in page


def test_htmx_gets_only_the_partial(client):
    response = client.get(PAGE, {"industry": "J"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "银发〔2015〕309号" in html and "不能按本标准划型" in html
    errors = client.get(PAGE, {"industry": "C"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="size-class-errors"' in errors and "缺少从业人员" in errors
