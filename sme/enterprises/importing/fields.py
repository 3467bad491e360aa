"""The fields a registry file can fill, and the mapping guessed from Chinese header names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str | Promise
    required: bool
    # Header names, normalized (see ``normalize_header``): exact matches first, then containment.
    names: tuple[str, ...]


IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "uscc",
        _("统一社会信用代码"),
        True,
        ("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "uscc"),
    ),
    ImportField(
        "name", _("企业名称"), True, ("企业名称", "单位名称", "单位详细名称", "企业单位名称", "名称")
    ),
    ImportField(
        "district",
        _("所在区县（代码或名称）"),
        True,
        (
            "所在区县",
            "区县",
            "所属区县",
            "区县代码",
            "区县名称",
            "行政区划代码",
            "行政区划",
            "区划代码",
            "所在地区",
        ),
    ),
    ImportField(
        "industry_code",
        _("行业代码（GB/T 4754-2017）"),
        True,
        (
            "行业代码",
            "国民经济行业代码",
            "国民经济行业分类代码",
            "行业分类代码",
            "所属行业代码",
            "行业类别代码",
        ),
    ),
    ImportField(
        "employees",
        _("从业人员（人）"),
        False,
        ("从业人员", "从业人数", "从业人员数", "从业人员期末人数", "职工人数", "员工人数"),
    ),
    ImportField("revenue_wan", _("营业收入（万元）"), False, ("营业收入", "营业总收入", "主营业务收入")),
    ImportField("assets_wan", _("资产总额（万元）"), False, ("资产总额", "资产总计", "总资产")),
    ImportField("year", _("年度"), False, ("年度", "年份", "统计年度", "数据年度", "报告年度")),
    ImportField("is_tech_sme", _("科技型中小企业（是/否）"), False, ("科技型中小企业", "科技型")),
    ImportField(
        "is_specialized_new", _("专精特新（是/否）"), False, ("专精特新", "专精特新企业", "专精特新中小企业")
    ),
    ImportField(
        "is_high_tech", _("高新技术企业（是/否）"), False, ("高新技术企业", "高新企业", "国家高新技术企业")
    ),
    ImportField(
        "legal_representative", _("法定代表人"), False, ("法定代表人", "法人代表", "法定代表人姓名", "法人")
    ),
    ImportField(
        "address", _("地址"), False, ("地址", "注册地址", "住所", "经营地址", "详细地址", "通讯地址")
    ),
)
FIELD_KEYS = tuple(f.key for f in IMPORT_FIELDS)
REQUIRED_KEYS = tuple(f.key for f in IMPORT_FIELDS if f.required)

_UNIT = re.compile(r"[（(][^）)]*[）)]")
_SPACE = re.compile(r"[\s\u3000_\-:：*]+")
_YEAR = re.compile(r"(20\d{2})\s*年")


def normalize_header(text: str) -> str:
    """Lower case, without units in brackets ("营业收入（万元）" → "营业收入"), blanks or marks."""
    return _SPACE.sub("", _UNIT.sub("", text or "")).lower()


def _parts(header: str) -> list[str]:
    """A two-row header is "top/bottom": the bottom part names the column more precisely."""
    parts = [normalize_header(p) for p in header.split("/")]
    return [p for p in reversed(parts) if p]


def _score(field: ImportField, parts: list[str]) -> int:
    """How well a header names ``field``: an exact name beats a contained one, and a longer
    contained name beats a shorter one ("区县名称" is the district, not the enterprise's name)."""
    best = 0
    for rank, part in enumerate(parts):
        if part in field.names:
            best = max(best, 1000 - rank)
        else:
            contained = [len(n) for n in field.names if len(n) >= 2 and n in part]
            if contained:
                best = max(best, max(contained) * 10 - rank)
    return best


def guess_mapping(columns: Sequence[str]) -> dict[str, int]:
    """``{field key: column index}`` for the columns whose header names a field; each column and
    each field is used at most once, best matches first."""
    headers = [_parts(c) for c in columns]
    candidates = sorted(
        (
            (score, -index, field.key, index)
            for field in IMPORT_FIELDS
            for index, parts in enumerate(headers)
            if (score := _score(field, parts)) > 0
        ),
        reverse=True,
    )
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score_value, _order, key, index in candidates:
        if key not in mapping and index not in used:
            mapping[key] = index
            used.add(index)
    return mapping


def guess_year(columns: Sequence[str]) -> int | None:
    """A year named in the header ("2024年数据"), for files without a year column."""
    for column in columns:
        match = _YEAR.search(column or "")
        if match:
            return int(match.group(1))
    return None
