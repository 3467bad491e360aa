"""The GB/T 4754-2017 code list (all four levels, official names) and the one parser every place a
code is typed or imported uses: ``6513``, ``I6513``, ``I65``, ``C3411`` all read, ``C65`` refused
with the letter that would be right."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from sme.enterprises import loader
from sme.enterprises.industry_codes import IndustryCodeError, parse_industry_code
from sme.enterprises.loader import snapshots_from_files
from sme.enterprises.models import IndustryCode
from sme.enterprises.selectors import industry_index, industry_search, size_class_on
from sme.enterprises.size_class import SizeInputError, classify

RULES = snapshots_from_files()[0]
CODES = RULES.industries  # the data files, without the database


def _data() -> dict:
    return json.loads((loader.DATA_DIR / "gbt-4754-2017.json").read_text(encoding="utf-8"))


# --- the list ----------------------------------------------------------------------------------


def test_the_data_file_holds_every_level_of_the_standard():
    data = _data()
    counts = Counter(row["level"] for row in data["codes"])
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}
    codes = {row["code"]: row for row in data["codes"]}
    assert len(codes) == len(data["codes"]), "each code once"
    lengths = {"section": 1, "division": 2, "group": 3, "class": 4}
    parent_level = {"division": "section", "group": "division", "class": "group"}
    for row in data["codes"]:
        assert len(row["code"]) == lengths[row["level"]], row
        if row["level"] == "section":
            assert "parent" not in row and row["code"].isalpha()
        else:
            parent = codes[row["parent"]]
            assert parent["level"] == parent_level[row["level"]], row
            assert row["level"] == "division" or row["code"].startswith(parent["code"]), row
        assert row["name"] == row["name"].strip() and "(" not in row["name"], row
    assert not any("unconfirmed" in row for row in data["codes"]), "the two copies confirmed every name"
    assert "ramwin/china-public-data" in data["source"] and "Czsx-525/Vue-init" in data["source"]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("6511", "基础软件开发"),
        ("6513", "应用软件开发"),
        ("3411", "锅炉及辅助设备制造"),
        ("5123", "果品、蔬菜批发"),
        ("651", "软件开发"),
        ("I", "信息传输、软件和信息技术服务业"),
        ("65", "软件和信息技术服务业"),
        ("591", "装卸搬运"),
        ("85", "社会工作"),
        ("1922", "皮箱、包（袋）制造"),
        ("37", "铁路、船舶、航空航天和其他运输设备制造业"),
    ],
)
def test_sample_names_are_the_official_ones(db, code, name):
    assert IndustryCode.objects.get(code=code).name == name


def test_migrate_loads_all_four_levels_with_their_parents(db):
    counts = Counter(IndustryCode.objects.values_list("level", flat=True))
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}
    software = IndustryCode.objects.select_related("parent__parent__parent").get(code="6513")
    assert (software.level, software.get_level_display()) == ("class", "小类")
    assert [software.parent.code, software.parent.parent.code, software.parent.parent.parent.code] == [
        "651",
        "65",
        "I",
    ]
    assert industry_index()["6513"].path == (
        "I 信息传输、软件和信息技术服务业 › 65 软件和信息技术服务业 › 651 软件开发 › 6513 应用软件开发"
    )


def test_the_picker_finds_software_development_and_its_classes(db):
    found = [e.code for e in industry_search("软件开发")]
    assert found[:5] == ["651", "6511", "6512", "6513", "6519"]
    assert [e.code for e in industry_search("651")][:2] == ["651", "6511"]
    assert [e.code for e in industry_search("I651")][:2] == ["651", "6511"]
    assert industry_search("C651") == []


# --- the parser --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "chain"),
    [
        ("C3411", "3411", ("3411", "341", "34", "C")),
        ("3411", "3411", ("3411", "341", "34", "C")),
        ("I65", "65", ("65", "I")),
        ("I6513", "6513", ("6513", "651", "65", "I")),
        ("F5123", "5123", ("5123", "512", "51", "F")),
        ("i 6513", "6513", ("6513", "651", "65", "I")),
        ("Ｉ６５１３", "6513", ("6513", "651", "65", "I")),
        ("C", "C", ("C",)),
        ("A0511", "0511", ("0511", "051", "05", "A")),
    ],
)
def test_plain_and_letter_prefixed_codes_are_read(raw, code, chain):
    parsed = parse_industry_code(raw, CODES)
    assert (parsed.code, parsed.chain, parsed.section) == (code, chain, chain[-1])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "C65",
            "行业代码“C65”的门类字母与代码不符：大类 65（软件和信息技术服务业）属于门类 I"
            "（信息传输、软件和信息技术服务业），应写作 I65 或 65。",
        ),
        (
            "I3411",
            "行业代码“I3411”的门类字母与代码不符：小类 3411（锅炉及辅助设备制造）属于门类 C（制造业），"
            "应写作 C3411 或 3411。",
        ),
        ("99", "行业代码“99”不在 GB/T 4754-2017 中：没有大类 99。"),
        ("C3418", "行业代码“C3418”不在 GB/T 4754-2017 中：中类 341（锅炉及原动设备制造）下没有小类 3418。"),
        ("6580", "行业代码“6580”不在 GB/T 4754-2017 中：大类 65（软件和信息技术服务业）下没有中类 658。"),
        ("Z", "行业代码“Z”不在 GB/T 4754-2017 中：没有门类 Z。"),
        (
            "C34111",
            "行业代码“C34111”的写法不对：应为门类字母（如 I）、2–4 位数字（如 65、651、6513），"
            "或门类字母加数字（如 I6513）。",
        ),
        (
            "CI65",
            "行业代码“CI65”的写法不对：应为门类字母（如 I）、2–4 位数字（如 65、651、6513），"
            "或门类字母加数字（如 I6513）。",
        ),
    ],
)
def test_each_mistake_is_named(raw, message):
    with pytest.raises(IndustryCodeError) as exc:
        parse_industry_code(raw, CODES)
    assert str(exc.value) == message


# --- the size class on any level ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "group"),
    [("C3411", 2), ("3411", 2), ("I6513", 12), ("6513", 12), ("F5123", 4), ("5123", 4), ("I65", 12)],
)
def test_a_class_is_classified_by_its_ancestors(code, group):
    result = classify(code, 50, Decimal(1500), Decimal(800), standard=RULES)
    assert result.group is not None and result.group.number == group
    assert result.reasons[0].startswith(f"行业代码 {code.lstrip('CIF')}（")


def test_the_size_class_refuses_a_wrong_letter_with_the_right_one():
    with pytest.raises(SizeInputError) as exc:
        classify("C65", 50, Decimal(1500), None, standard=RULES)
    assert exc.value.fields == {"industry"}
    assert "应写作 I65 或 65" in exc.value.errors[0]


def test_the_database_snapshot_classifies_classes_too(db):
    assert size_class_on("I6513", 50, Decimal(1500), None).group.number == 12
    assert size_class_on("7040", 5, Decimal(100), Decimal(100)).size is None  # 房地产租赁经营


# --- the four places a code is typed or imported -------------------------------------------------


def test_the_registry_import_accepts_letter_prefixed_codes(city_officer, django_capture_on_commit_callbacks):
    import datetime as dt

    from sme.enterprises.tests.helpers import code, csv_bytes, report_rows, run
    from sme.organizations.models import Organization

    year = dt.date.today().year - 1
    rows = [
        [code(), "重庆锅炉有限公司", "万州区", "C3411", 50, 1500, 900, year],
        [code(), "重庆软件有限公司", "万州区", "I6513", 8, 40, "", year],
        [code(), "重庆信息有限公司", "万州区", "I65", 12, 60, "", year],
        [code(), "重庆果蔬批发有限公司", "万州区", "F5123", 6, 1200, "", year],
        [code(), "重庆字母错了有限公司", "万州区", "C65", 6, 1200, "", year],
    ]
    job = run(
        city_officer,
        "名录.csv",
        csv_bytes(rows),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert (job.inserted, job.failed) == (4, 1)
    stored = {
        o.name: (
            o.enterprise_profile.industry_code,
            o.enterprise_profile.industry_section,
            o.enterprise_profile.size_group,
        )
        for o in Organization.objects.select_related("enterprise_profile")
    }
    assert stored == {
        "重庆锅炉有限公司": ("3411", "C", 2),
        "重庆软件有限公司": ("6513", "I", 12),
        "重庆信息有限公司": ("65", "I", 12),
        "重庆果蔬批发有限公司": ("5123", "F", 4),
    }
    report = report_rows(job)
    assert report[1][0] == 6 and "应写作 I65 或 65" in report[1][1]


def test_the_profile_accepts_a_letter_prefixed_class(client, own_enterprise, enterprise_owner):
    from conftest import login
    from sme.enterprises.models import EnterpriseProfile

    login(client, enterprise_owner)
    url = f"/enterprises/{own_enterprise.pk}/profile/"
    refused = client.post(url, {"industry_code": "C65", "version": 1})
    assert refused.status_code == 200
    assert "属于门类 I（信息传输、软件和信息技术服务业），应写作 I65 或 65" in refused.content.decode()
    assert client.post(url, {"industry_code": "I6513", "version": 1}).status_code == 302
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert (profile.industry_code, profile.industry_section, profile.size_group) == ("6513", "I", 12)
    page = client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
    assert "651 软件开发 › 6513 应用软件开发" in page


def test_the_size_class_tool_and_api_accept_letter_prefixed_codes(client, db):
    body = client.get(
        "/api/v1/tools/size-class", {"industry": "I6513", "employees": 50, "revenue": 1500}
    ).json()
    assert (body["size"], body["industry"], body["group"]["number"]) == (
        "small",
        {"code": "6513", "name": "应用软件开发"},
        12,
    )
    refused = client.get("/api/v1/tools/size-class", {"industry": "C65", "employees": 50, "revenue": 1500})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        "行业代码“C65”的门类字母与代码不符：大类 65（软件和信息技术服务业）属于门类 I"
        "（信息传输、软件和信息技术服务业），应写作 I65 或 65。"
    ]
    page = client.get("/tools/size-class/", {"industry": "C3411", "employees": 50, "revenue": 1500})
    assert 'data-size="small"' in page.content.decode()
    assert "3411 · 锅炉及辅助设备制造" in page.content.decode()


def test_users_see_no_internal_notes_about_the_names(client, enterprise_owner):
    from conftest import login

    IndustryCode.objects.filter(code="65").update(unconfirmed=True)  # an administrator's flag
    from sme.enterprises.selectors import bump_data_version

    bump_data_version()
    login(client, enterprise_owner)
    picker = client.get("/enterprises/industry-codes/", {"q": "65"}).content.decode()
    assert 'data-code="65"' in picker and 'data-code="6513"' in picker and "小类" in picker
    tool = client.get("/tools/size-class/").content.decode()
    for body in (picker, tool):
        assert "待核对" not in body and "待核实" not in body


def test_administrators_see_the_flag_in_the_admin(client, db):
    from sme.testing.factories import UserFactory

    admin = UserFactory(username="site_admin", role="admin", is_staff=True, is_superuser=True)
    IndustryCode.objects.filter(code="65").update(unconfirmed=True)
    client.force_login(admin)
    page = client.get("/admin/enterprises/industrycode/?unconfirmed__exact=1")
    assert page.status_code == 200
    assert "软件和信息技术服务业" in page.content.decode()
    assert client.get("/admin/enterprises/sizestandard/").status_code == 200
