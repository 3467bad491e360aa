"""Reading registry files: encodings, header position, merged header cells, mapping guesses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sme.enterprises.importing import reader
from sme.enterprises.importing.fields import guess_mapping, guess_year
from sme.enterprises.tests.helpers import xlsx_bytes


def _scan(tmp_path: Path, name: str, content: bytes) -> tuple[reader.Scan, Path]:
    path = tmp_path / name
    path.write_bytes(content)
    return reader.scan(io.BytesIO(content), name), path


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8-sig"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
    ],
)
def test_encoding_is_detected(tmp_path, encoding, prefix, expected):
    text = "企业名称,所在区县\n重庆甲企业,万州区\n" * 50_000  # past the first chunk
    found, path = _scan(tmp_path, "a.csv", prefix + text.encode(encoding))
    assert (found.file_format, found.encoding) == ("csv", expected)
    seen = reader.inspect(path, found.file_format, found.encoding)
    assert seen.columns == ["企业名称", "所在区县"]
    assert seen.preview[0] == ["重庆甲企业", "万州区"]


def test_hash_and_size(tmp_path):
    import hashlib

    content = "企业名称\n甲\n".encode()
    found, _path = _scan(tmp_path, "a.csv", content)
    assert found.sha256 == hashlib.sha256(content).hexdigest()
    assert found.size == len(content)


def test_semicolon_and_tab_separated_files(tmp_path):
    for sep in (";", "\t"):
        found, path = _scan(
            tmp_path, "a.csv", f"企业名称{sep}区县{sep}行业代码\n甲{sep}万州区{sep}C\n".encode()
        )
        assert reader.inspect(path, "csv", found.encoding).columns == ["企业名称", "区县", "行业代码"]


def test_csv_line_numbers_are_the_files_own(tmp_path):
    content = '企业名称,地址\n甲,"两行\n的地址"\n乙,一行\n'.encode()
    found, path = _scan(tmp_path, "a.csv", content)
    source = reader.open_source(path, "csv", found.encoding)
    try:
        assert [line for line, _values in reader.data_rows(source, 2)] == [2, 4]
    finally:
        source.close()


def test_csv_two_row_header_without_merges(tmp_path):
    content = "代码,名称,2024年数据,,\n,,从业人员,营业收入,资产总额\nX,甲,1,2,3\n".encode()
    found, path = _scan(tmp_path, "a.csv", content)
    seen = reader.inspect(path, "csv", found.encoding)
    assert (seen.header_row, seen.header_rows) == (1, 2)
    assert seen.columns == [
        "代码",
        "名称",
        "2024年数据/从业人员",
        "2024年数据/营业收入",
        "2024年数据/资产总额",
    ]


def test_xlsx_vertical_and_horizontal_merges(tmp_path):
    def build(ws):
        ws.append(["信用代码", "基本情况", None, "经营数据", None])
        ws.append([None, "企业名称", "区县", "营业收入（万元）", "资产总额（万元）"])
        ws.merge_cells("A1:A2")
        ws.merge_cells("B1:C1")
        ws.merge_cells("D1:E1")
        ws.append(["91500101MA5U000000", "甲", "万州区", 1.5, 2])

    found, path = _scan(tmp_path, "a.xlsx", xlsx_bytes(build))
    assert found.file_format == "xlsx"
    seen = reader.inspect(path, "xlsx", "")
    assert (seen.header_row, seen.header_rows) == (1, 2)
    assert seen.columns == [
        "信用代码",
        "基本情况/企业名称",
        "基本情况/区县",
        "经营数据/营业收入（万元）",
        "经营数据/资产总额（万元）",
    ]
    assert seen.preview == [["91500101MA5U000000", "甲", "万州区", "1.5", "2"]]
    assert guess_mapping(seen.columns) == {
        "uscc": 0,
        "name": 1,
        "district": 2,
        "revenue_wan": 3,
        "assets_wan": 4,
    }


def test_xlsx_with_a_wrong_dimension_still_reads_every_column(tmp_path):
    import zipfile

    content = xlsx_bytes(
        lambda ws: [ws.append(["企业名称", "区县", "行业代码"]), ws.append(["甲", "万州区", "C"])]
    )
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1"/>')
            dst.writestr(item, data)
    path = tmp_path / "a.xlsx"
    path.write_bytes(patched.getvalue())
    assert reader.inspect(path, "xlsx", "").columns == ["企业名称", "区县", "行业代码"]


def test_damaged_xlsx_is_refused(tmp_path):
    content = b"PK\x03\x04" + b"\0" * 200
    path = tmp_path / "a.xlsx"
    path.write_bytes(content)
    with pytest.raises(reader.ImportFileError) as exc:
        reader.inspect(path, "xlsx", "")
    assert "无法读取 Excel" in exc.value.message


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            ["序号", "单位详细名称", "统一社会信用代码", "区县名称", "国民经济行业代码"],
            {"name": 1, "uscc": 2, "district": 3, "industry_code": 4},
        ),
        (
            ["企业名称", "法人代表", "注册地址", "从业人数", "主营业务收入（万元）", "资产总计"],
            {
                "name": 0,
                "legal_representative": 1,
                "address": 2,
                "employees": 3,
                "revenue_wan": 4,
                "assets_wan": 5,
            },
        ),
        (
            ["是否科技型中小企业", "是否专精特新中小企业", "国家高新技术企业", "统计年度"],
            {"is_tech_sme": 0, "is_specialized_new": 1, "is_high_tech": 2, "year": 3},
        ),
        (["备注", "联系电话"], {}),
    ],
)
def test_mapping_is_guessed_from_chinese_headers(columns, expected):
    assert guess_mapping(columns) == expected


def test_year_is_guessed_from_a_header():
    assert guess_year(["代码", "2023年数据/营业收入"]) == 2023
    assert guess_year(["代码"]) is None
