"""Registry import end to end: files made here (GBK CSV, .xlsx with merged header cells), every row
checked, good rows inserted or updated by credit code, a report of bad rows, and a second run of
the same file that changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sme.core.errors import InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.enterprises import services
from sme.enterprises.models import EnterpriseImport, EnterpriseProfile, EnterpriseYearFigures, ImportStatus
from sme.enterprises.tests.helpers import HEADER, code, csv_bytes, report_rows, run, xlsx_bytes
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory

YEAR = dt.date.today().year - 1


@pytest.fixture
def importer(city_officer):
    return city_officer


def _run(actor, name, content, capture, **kwargs):
    return run(actor, name, content, django_capture_on_commit_callbacks=capture, **kwargs)


def test_gbk_csv_is_read_and_imported(importer, django_capture_on_commit_callbacks):
    rows = [
        [code("500101"), "重庆万州江南食品有限公司", "万州区", "13", "50", "1500", "900", YEAR],
        [code("500103"), "重庆渝中软件有限公司", "500103", "65", "8", "40.5", "", YEAR],
        [code("500154"), "重庆开州物流有限公司", "开州区", "54", "300", "3000", "100", YEAR],
    ]
    job = _run(importer, "名录.csv", csv_bytes(rows, encoding="gbk"), django_capture_on_commit_callbacks)
    assert job.encoding == "gb18030"
    assert (job.status, job.inserted, job.updated, job.unchanged, job.failed) == ("done", 3, 0, 0, 0)
    org = Organization.objects.get(uscc=rows[0][0])
    assert org.name == "重庆万州江南食品有限公司"
    assert org.district.name == "万州区"
    assert org.kind == "enterprise" and org.verification_status == "verified" and not org.memberships.exists()
    profile = org.enterprise_profile
    assert (profile.industry_code, profile.industry_section, profile.size_class, profile.size_group) == (
        "13",
        "C",
        "small",
        2,
    )
    assert profile.size_figures == {"employees": 50, "revenue": "1500"}
    figures = EnterpriseYearFigures.objects.get(organization=org)
    assert (figures.year, figures.employees, figures.revenue_wan, figures.assets_wan) == (
        YEAR,
        50,
        Decimal("1500"),
        Decimal("900"),
    )
    software = Organization.objects.get(uscc=rows[1][0]).enterprise_profile
    assert software.size_class == "micro"  # 软件: 8 人 < 10
    transport = Organization.objects.get(uscc=rows[2][0]).enterprise_profile
    assert transport.size_class == "medium"  # 交通运输: X ≥ 300, Y ≥ 3000


def test_utf8_with_bom_finds_the_first_column(importer, django_capture_on_commit_callbacks):
    content = b"\xef\xbb\xbf" + csv_bytes([[code(), "重庆甲公司", "万州区", "C", 10, 100, 100, YEAR]])
    job = _run(importer, "bom.csv", content, django_capture_on_commit_callbacks)
    assert job.encoding == "utf-8-sig"
    assert job.mapping["uscc"] == 0
    assert job.inserted == 1


def _merged_header_sheet(ws):
    ws.append(["2025年重庆市企业名录"])
    ws.merge_cells("A1:H1")
    ws.append(
        ["统一社会信用代码", "企业名称", "所在区县", "行业代码", f"{YEAR}年数据", None, None, "专精特新"]
    )
    ws.append([None, None, None, None, "从业人员（人）", "营业收入（万元）", "资产总额（万元）", None])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:G2", "H2:H3"):
        ws.merge_cells(rng)
    ws.append([code("500101"), "重庆万州数控机床有限公司", "万州区", 34, 120, 5600.25, 3000, "是"])
    ws.append([code("500101"), "重庆万州农业有限公司", 500101, "01", 12, 80, 50.5, "否"])
    ws.append([None] * 8)  # a blank line is skipped, not an error
    ws.append([code("500101"), "重庆万州批发有限公司", "万州区", 51, 30, 6000, None, None])


def test_xlsx_with_merged_header_cells(importer, django_capture_on_commit_callbacks):
    content = xlsx_bytes(_merged_header_sheet)
    job = services.enterprise_import_upload(
        actor=importer, upload=__import__("io").BytesIO(content), file_name="名录.xlsx"
    )
    assert (job.header_row, job.header_rows) == (2, 2)
    assert job.columns[:4] == ["统一社会信用代码", "企业名称", "所在区县", "行业代码"]
    assert job.columns[4:7] == [
        f"{YEAR}年数据/从业人员（人）",
        f"{YEAR}年数据/营业收入（万元）",
        f"{YEAR}年数据/资产总额（万元）",
    ]
    assert job.mapping == {
        "uscc": 0,
        "name": 1,
        "district": 2,
        "industry_code": 3,
        "employees": 4,
        "revenue_wan": 5,
        "assets_wan": 6,
        "is_specialized_new": 7,
    }
    assert job.default_year == YEAR  # from "2025年数据"
    assert len(job.preview) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_import_start(
            actor=importer, job=job, mapping=job.mapping, default_year=job.default_year
        )
    job.refresh_from_db()
    assert (job.status, job.inserted, job.failed, job.total) == ("done", 3, 0, 3)
    machine = Organization.objects.get(name="重庆万州数控机床有限公司").enterprise_profile
    assert (machine.industry_code, machine.size_class, machine.is_specialized_new) == ("34", "small", True)
    assert EnterpriseYearFigures.objects.get(organization=machine.organization).revenue_wan == Decimal(
        "5600.25"
    )
    farm = Organization.objects.get(name="重庆万州农业有限公司").enterprise_profile
    assert (farm.industry_code, farm.size_class) == ("01", "small")  # 农业: Y 80 ≥ 50
    wholesale = Organization.objects.get(name="重庆万州批发有限公司").enterprise_profile
    assert wholesale.size_class == "medium"  # 批发: X ≥ 20 and Y ≥ 5000


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_kept(
    importer, django_capture_on_commit_callbacks
):
    good = code("500101")
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        [good, "重庆好企业", "万州区", "C", 10, 100, 100, YEAR],  # line 2
        [bad_check, "重庆校验码错", "万州区", "C", 10, 100, 100, YEAR],  # line 3
        ["91500101ABC", "重庆位数不对", "万州区", "C", 10, 100, 100, YEAR],  # line 4
        [code(), "重庆区县不对", "火星区", "C", 10, 100, 100, YEAR],  # line 5
        [code(), "重庆行业不对", "万州区", "99", 10, 100, 100, YEAR],  # line 6
        [code(), "重庆负数", "万州区", "C", -1, "-5", "abc", YEAR],  # line 7
        [code(), "重庆撤销区县", "开县", "C", 10, 100, 100, YEAR],  # line 8
        [code(), "重庆人数小数", "万州区", "C", "10.5", 100, 100, "1999"],  # line 9
    ]
    job = _run(importer, "bad.csv", csv_bytes(rows), django_capture_on_commit_callbacks)
    assert (job.inserted, job.failed, job.total) == (1, 7, 8)
    assert Organization.objects.filter(uscc=good).exists()
    assert Organization.objects.filter(kind="enterprise").count() == 1
    report = report_rows(job)
    assert report[0][:3] == ["行号", "错误原因", "统一社会信用代码"]
    by_line = {r[0]: r[1] for r in report[1:]}
    assert set(by_line) == {3, 4, 5, 6, 7, 8, 9}
    assert "第18位（校验码）应为" in by_line[3]
    assert "应为18位" in by_line[4]
    assert "火星区" in by_line[5] and "不是现行区县" in by_line[5]
    assert "行业代码“99”" in by_line[6]
    assert (
        "从业人员不能为负数" in by_line[7]
        and "营业收入不能为负数" in by_line[7]
        and "资产总额应为数字" in by_line[7]
    )
    assert "已撤销" in by_line[8] and "开州区" in by_line[8]
    assert "从业人员应为整数" in by_line[9] and "年度应在" in by_line[9]
    assert report[1][2] == bad_check  # the row as it was, after the reasons


def test_duplicate_credit_code_in_the_file_names_the_first_line(importer, django_capture_on_commit_callbacks):
    same = code()
    rows = [
        [same, "重庆第一次出现", "万州区", "C", 10, 100, 100, YEAR],
        [code(), "重庆别的企业", "万州区", "C", 10, 100, 100, YEAR],
        [same.lower(), "重庆第二次出现", "万州区", "C", 99, 999, 999, YEAR],
    ]
    job = _run(importer, "dup.csv", csv_bytes(rows), django_capture_on_commit_callbacks)
    assert (job.inserted, job.failed) == (2, 1)
    assert Organization.objects.get(uscc=same).name == "重庆第一次出现"
    (line, reason, *_rest) = report_rows(job)[1]
    assert line == 4
    assert "与第 2 行重复" in reason


def test_second_identical_run_changes_nothing(importer, django_capture_on_commit_callbacks):
    rows = [[code(), f"重庆企业{i}", "万州区", "C", 10 + i, 100 + i, 100, YEAR] for i in range(12)]
    content = csv_bytes(rows)
    first = _run(importer, "same.csv", content, django_capture_on_commit_callbacks)
    assert first.inserted == 12
    before = {
        "orgs": list(Organization.objects.order_by("pk").values_list("pk", "updated_at", "version")),
        "profiles": list(
            EnterpriseProfile.objects.order_by("pk").values_list(
                "pk", "updated_at", "version", "classified_at"
            )
        ),
        "figures": list(EnterpriseYearFigures.objects.order_by("pk").values_list("pk", "updated_at")),
        "audit": AuditLog.objects.exclude(action__startswith="enterprise_import").count(),
    }
    second = _run(importer, "same.csv", content, django_capture_on_commit_callbacks)
    assert (second.status, second.inserted, second.updated, second.unchanged, second.failed) == (
        "done",
        0,
        0,
        12,
        0,
    )
    after = {
        "orgs": list(Organization.objects.order_by("pk").values_list("pk", "updated_at", "version")),
        "profiles": list(
            EnterpriseProfile.objects.order_by("pk").values_list(
                "pk", "updated_at", "version", "classified_at"
            )
        ),
        "figures": list(EnterpriseYearFigures.objects.order_by("pk").values_list("pk", "updated_at")),
        "audit": AuditLog.objects.exclude(action__startswith="enterprise_import").count(),
    }
    assert after == before
    assert second.sha256 == first.sha256
    assert not second.report


def test_changed_rows_are_updated_audited_and_reclassified(importer, django_capture_on_commit_callbacks):
    uscc_code = code()
    _run(
        importer,
        "v1.csv",
        csv_bytes([[uscc_code, "重庆旧名", "万州区", "C", 10, 100, 100, YEAR]]),
        django_capture_on_commit_callbacks,
    )
    job = _run(
        importer,
        "v2.csv",
        csv_bytes([[uscc_code, "重庆新名", "涪陵区", "C", 500, 5000, 100, YEAR]]),
        django_capture_on_commit_callbacks,
    )
    assert (job.inserted, job.updated, job.unchanged) == (0, 1, 0)
    org = Organization.objects.get(uscc=uscc_code)
    assert (org.name, org.district.name, org.version) == ("重庆新名", "涪陵区", 2)
    assert org.enterprise_profile.size_class == "medium"
    row = AuditLog.objects.get(action="enterprise.import_update")
    assert row.object_id == str(org.pk) and row.actor == importer
    assert row.changes["name"] == ["重庆旧名", "重庆新名"]
    assert row.changes["size_class"] == ["micro", "medium"]
    assert row.changes[f"{YEAR}.employees"] == [10, 500]
    assert "v2.csv 第 2 行" in row.summary


def test_another_year_adds_figures_and_the_latest_year_decides(importer, django_capture_on_commit_callbacks):
    uscc_code = code()
    _run(
        importer,
        "a.csv",
        csv_bytes([[uscc_code, "重庆企业", "万州区", "C", 500, 5000, 100, YEAR]]),
        django_capture_on_commit_callbacks,
    )
    job = _run(
        importer,
        "b.csv",
        csv_bytes([[uscc_code, "重庆企业", "万州区", "C", 5, 50, 10, YEAR - 1]]),
        django_capture_on_commit_callbacks,
    )
    assert job.updated == 1
    org = Organization.objects.get(uscc=uscc_code)
    assert EnterpriseYearFigures.objects.filter(organization=org).count() == 2
    assert (org.enterprise_profile.size_class, org.enterprise_profile.size_figures_year) == ("medium", YEAR)


def test_district_officer_imports_only_their_district(
    district_officer, fuling_code, django_capture_on_commit_callbacks
):
    elsewhere = OrganizationFactory(
        district=__import__("sme.regions.models", fromlist=["Region"])
        .Region.objects.current()
        .get(code="500103")
    )
    rows = [
        [code("500101"), "重庆万州企业", "万州区", "C", 10, 100, 100, YEAR],
        [code("500102"), "重庆涪陵企业", "涪陵区", "C", 10, 100, 100, YEAR],
        [elsewhere.uscc, "改到万州", "万州区", "C", 10, 100, 100, YEAR],
    ]
    job = _run(district_officer, "wz.csv", csv_bytes(rows), django_capture_on_commit_callbacks)
    assert job.district.name == "万州区"
    assert (job.inserted, job.failed) == (1, 2)
    reasons = {r[0]: r[1] for r in report_rows(job)[1:]}
    assert "涪陵区" in reasons[3] and "不在您的管辖范围" in reasons[3]
    assert "登记在渝中区" in reasons[4] and "不在您的管辖范围" in reasons[4]
    elsewhere.refresh_from_db()
    assert elsewhere.district.name == "渝中区"


@pytest.fixture
def fuling_code():
    return "500102"


def test_self_registered_enterprise_keeps_its_own_facts(
    importer, enterprise_owner, own_enterprise, django_capture_on_commit_callbacks
):
    services.enterprise_profile_update(
        actor=enterprise_owner,
        organization=own_enterprise,
        expected_version=1,
        industry_code="65",
        is_tech_sme=True,
        is_specialized_new=False,
        is_high_tech=False,
    )
    services.enterprise_figures_set(
        actor=enterprise_owner,
        organization=own_enterprise,
        expected_version=2,
        year=YEAR,
        employees=30,
        revenue_wan=Decimal("300"),
        assets_wan=None,
    )
    rows = [[own_enterprise.uscc, "登记册里的名字", "万州区", "C", 999, 99999, 500, YEAR]]
    header = [*HEADER, "专精特新"]
    job = _run(
        importer, "reg.csv", csv_bytes([[*rows[0], "是"]], header=header), django_capture_on_commit_callbacks
    )
    assert (job.updated, job.unchanged, job.failed) == (1, 0, 0)  # only the flag was new
    own_enterprise.refresh_from_db()
    profile = own_enterprise.enterprise_profile
    assert own_enterprise.name == "重庆渝中测试科技有限公司" and own_enterprise.district.name == "渝中区"
    assert profile.industry_code == "65" and profile.is_specialized_new is True
    figures = EnterpriseYearFigures.objects.get(organization=own_enterprise, year=YEAR)
    assert (figures.employees, figures.revenue_wan) == (30, Decimal("300"))
    notes = report_rows(job, sheet=1)
    assert notes[1][0] == 2 and "以企业自己填写的为准" in notes[1][3]
    # the enterprise's own earlier year is filled in from the registry when it has none
    job = _run(
        importer,
        "old.csv",
        csv_bytes([[own_enterprise.uscc, "x", "渝中区", "65", 20, 200, 10, YEAR - 1]]),
        django_capture_on_commit_callbacks,
    )
    assert job.updated == 1
    assert EnterpriseYearFigures.objects.filter(organization=own_enterprise).count() == 2


def test_a_credit_code_of_another_kind_is_refused(
    importer, provider_user, django_capture_on_commit_callbacks
):
    provider = provider_user.memberships.get().organization
    job = _run(
        importer,
        "k.csv",
        csv_bytes([[provider.uscc, "x", "万州区", "C", 1, 1, 1, YEAR]]),
        django_capture_on_commit_callbacks,
    )
    assert job.failed == 1
    assert "服务机构" in report_rows(job)[1][1]
    assert not EnterpriseProfile.objects.exists()


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(importer, django_capture_on_commit_callbacks):
    rows = [
        [code(), "重庆好企业", "万州区", "C", 10, 100, 100, YEAR],
        [code(), "重庆坏企业", "万州区", "ZZ", 10, 100, 100, YEAR],
    ]
    job = _run(
        importer, "strict.csv", csv_bytes(rows), django_capture_on_commit_callbacks, keep_good_rows=False
    )
    assert (job.status, job.inserted, job.failed) == ("done", 0, 1)
    assert "整个文件未导入" in job.error
    assert not Organization.objects.filter(kind="enterprise").exists()
    assert report_rows(job)[1][0] == 3
    rows[1][3] = "C"
    job = _run(
        importer, "strict2.csv", csv_bytes(rows), django_capture_on_commit_callbacks, keep_good_rows=False
    )
    assert (job.inserted, job.failed) == (2, 0)


def test_every_import_is_audited_with_file_hash_and_counts(importer, django_capture_on_commit_callbacks):
    job = _run(
        importer,
        "a.csv",
        csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]]),
        django_capture_on_commit_callbacks,
    )
    upload = AuditLog.objects.get(action="enterprise_import.upload")
    assert upload.changes["sha256"] == job.sha256 and upload.changes["file_name"] == "a.csv"
    done = AuditLog.objects.get(action="enterprise_import.run")
    assert done.actor == importer
    assert done.changes == {
        "file_name": "a.csv",
        "sha256": job.sha256,
        "total": 1,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
    }
    steps = list(
        TransitionLog.objects.filter(workflow="enterprise_import", object_id=str(job.pk)).values_list(
            "action", flat=True
        )
    )
    assert steps == ["start", "begin", "finish"]


def test_mapping_needs_the_required_columns_and_a_year(importer):
    job = services.enterprise_import_upload(
        actor=importer,
        upload=__import__("io").BytesIO(csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="m.csv",
    )
    with pytest.raises(InvalidInput) as exc:
        services.enterprise_import_start(
            actor=importer, job=job, mapping={"uscc": 0, "uscc_again": 1}, default_year=None
        )
    errors = exc.value.field_errors
    assert {"col_name", "col_district", "col_industry_code", "default_year", "__all__"} <= set(errors)
    with pytest.raises(InvalidInput) as exc:
        services.enterprise_import_start(
            actor=importer,
            job=job,
            mapping={"uscc": 0, "name": 0, "district": 2, "industry_code": 3, "year": 7},
            default_year=None,
        )
    assert "已对应" in exc.value.field_errors["col_name"][0]
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        ("fake.xlsx", "统一社会信用代码,企业名称\n".encode(), "内容不是 Excel"),
        ("zip.csv", b"PK\x03\x04" + b"\0" * 100, "文件名不是 .xlsx"),
        ("empty.csv", b"", "文件是空的"),
        ("binary.csv", bytes(range(128, 256)) * 4, "无法识别"),
        ("notes.txt", b"abc", "请上传 .xlsx 或 .csv"),
    ],
)
def test_uploads_are_checked_by_content_and_name(importer, name, content, message):
    with pytest.raises(InvalidInput) as exc:
        services.enterprise_import_upload(
            actor=importer, upload=__import__("io").BytesIO(content), file_name=name
        )
    assert message in exc.value.message
    assert not EnterpriseImport.objects.exists()


@pytest.mark.parametrize("role", ["enterprise", "provider", "expert", "admin"])
def test_only_officers_upload(role, enterprise_owner, provider_user, expert, admin_user):
    actor = {
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "expert": expert,
        "admin": admin_user,
    }[role]
    with pytest.raises(NotAllowed):
        services.enterprise_import_upload(
            actor=actor, upload=__import__("io").BytesIO(csv_bytes([])), file_name="x.csv"
        )


def test_only_the_importer_starts_their_import(importer, district_officer):
    job = services.enterprise_import_upload(
        actor=importer,
        upload=__import__("io").BytesIO(csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, YEAR]])),
        file_name="m.csv",
    )
    with pytest.raises(NotAllowed):
        services.enterprise_import_start(
            actor=district_officer, job=job, mapping=job.mapping, default_year=YEAR
        )
    other_city = UserFactory(role="city_officer", jurisdiction=importer.jurisdiction)
    with pytest.raises(NotAllowed):
        services.enterprise_import_start(actor=other_city, job=job, mapping=job.mapping, default_year=YEAR)


def test_imported_enterprise_and_self_registration(importer, django_capture_on_commit_callbacks, wanzhou):
    """An imported enterprise has no members; registering its credit code as a new organization is
    refused (no duplicate, nothing lost) and points to joining it instead."""
    from sme.accounts.services import user_register

    uscc_code = code("500101")
    _run(
        importer,
        "r.csv",
        csv_bytes([[uscc_code, "重庆登记册企业", "万州区", "C", 10, 100, 100, YEAR]]),
        django_capture_on_commit_callbacks,
    )
    with pytest.raises(InvalidInput) as exc:
        user_register(
            username="newcomer",
            password="Zz-Strong-Pass-2026",
            real_name="新用户",
            mobile="13912345678",
            organization={
                "kind": "enterprise",
                "name": "重庆另一个名字",
                "uscc_code": uscc_code,
                "legal_representative": "王五",
                "district": wanzhou,
                "address": "万州",
                "contact_name": "王五",
                "contact_phone": "023-12345678",
            },
        )
    assert "加入已有机构" in exc.value.message
    assert Organization.objects.filter(uscc=uscc_code).count() == 1
    org = Organization.objects.get(uscc=uscc_code)
    user = user_register(
        username="joiner",
        password="Zz-Strong-Pass-2026",
        real_name="加入者",
        mobile="13912345679",
        join_organization=org,
        legal_representative="王五",  # a claim: nobody acts for the imported one yet
    )
    assert Membership.objects.get(user=user).status == "pending"
    assert EnterpriseProfile.objects.get(organization=org).industry_code == "C"


def test_a_file_over_the_size_limit_is_refused(importer, settings):
    settings.ENTERPRISE_IMPORT_MAX_BYTES = 100
    content = csv_bytes([[code(), "重庆甲", "万州区", "C", 1, 1, 1, YEAR]] * 5)
    with pytest.raises(InvalidInput) as exc:
        services.enterprise_import_upload(
            actor=importer, upload=__import__("io").BytesIO(content), file_name="big.csv"
        )
    assert "超过上限" in exc.value.message
    assert not EnterpriseImport.objects.exists()
