"""``import_enterprises`` and ``reclassify_enterprises`` from the terminal."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sme.core.models import AuditLog
from sme.enterprises.models import EnterpriseImport, EnterpriseProfile
from sme.enterprises.reasons import render_reasons
from sme.enterprises.tests.factories import EnterpriseProfileFactory, YearFiguresFactory
from sme.enterprises.tests.helpers import HEADER, code, csv_bytes
from sme.organizations.models import Organization

YEAR = dt.date.today().year - 1


def test_import_command_with_progress_and_district(tmp_path, district_officer):
    path = tmp_path / "名录.csv"
    rows = [[code("500101"), f"重庆万州企业{i}", "万州区", "C", 10, 100, 100, YEAR] for i in range(5)]
    rows.append([code("500103"), "重庆渝中企业", "渝中区", "C", 10, 100, 100, YEAR])
    path.write_bytes(csv_bytes(rows, encoding="gbk"))
    out = StringIO()
    call_command(
        "import_enterprises",
        str(path),
        "--district",
        "500101",
        "--actor",
        district_officer.username,
        stdout=out,
    )
    text = out.getvalue()
    assert "[##############################] 100.0%" in text
    assert "新增 5，更新 0，未变化 0，错误 1" in text
    assert "报告：" in text
    job = EnterpriseImport.objects.get()
    assert job.created_by == district_officer and job.district.code == "500101"
    assert Organization.objects.filter(kind="enterprise").count() == 5


def test_import_command_mapping_by_number_and_header(tmp_path):
    path = tmp_path / "a.csv"
    header = ["代码", "单位", "地区", "行业", "人数", *HEADER[5:]]
    path.write_bytes(csv_bytes([[code(), "重庆甲", "万州区", "65", 12, 60, 10, YEAR]], header=header))
    mapping = json.dumps(
        {"uscc": 1, "name": "单位", "district": "地区", "industry_code": 4, "employees": "人数"}
    )
    call_command("import_enterprises", str(path), "--mapping", mapping, stdout=StringIO())
    profile = EnterpriseProfile.objects.get()
    assert (profile.industry_code, profile.size_class) == ("65", "small")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mapping", "{bad"], "不是 JSON"),
        (["--mapping", '{"nope": 1}'], "未知字段"),
        (["--mapping", '{"uscc": "没有这列"}'], "不存在"),
        (["--district", "999999"], "不是现行区县代码"),
        (["--actor", "nobody"], "用户不存在"),
    ],
)
def test_import_command_refuses_bad_arguments(tmp_path, args, message):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]]))
    with pytest.raises(CommandError) as exc:
        call_command("import_enterprises", str(path), *args, stdout=StringIO())
    assert message in str(exc.value)
    assert not Organization.objects.filter(kind="enterprise").exists()


def test_import_command_missing_file():
    with pytest.raises(CommandError):
        call_command("import_enterprises", "/nonexistent.csv", stdout=StringIO())


def test_reclassify_writes_only_what_changed(wanzhou):
    right = EnterpriseProfileFactory(organization__district=wanzhou, industry_code="C")
    YearFiguresFactory(organization=right.organization, employees=50, revenue_wan=1500)
    stale = EnterpriseProfileFactory(organization__district=wanzhou, industry_code="C", size_class="large")
    YearFiguresFactory(organization=stale.organization, employees=5, revenue_wan=10)
    bare = EnterpriseProfileFactory(organization__district=wanzhou, industry_code="J")
    out = StringIO()
    call_command("reclassify_enterprises", stdout=out)
    assert "3 家企业，3 家结果变化" in out.getvalue()
    for p in (right, stale, bare):
        p.refresh_from_db()
    assert (right.size_class, stale.size_class, bare.size_class) == ("small", "micro", "")
    assert "银发" in render_reasons(bare.size_reasons)[0]
    assert stale.version == 1  # derived data: an open edit form stays valid
    out = StringIO()
    call_command("reclassify_enterprises", stdout=out)
    assert "3 家企业，0 家结果变化" in out.getvalue()
    assert AuditLog.objects.filter(action="enterprise.reclassify_all").count() == 2
