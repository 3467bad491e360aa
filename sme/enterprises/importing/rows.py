"""Checking one data row of a registry file: every problem in Chinese, or the row's clean values.

Runs a million times per large file, so the common case (a good row) avoids anything that is not
needed: credit codes are checked with the check-digit functions of ``organizations.uscc`` and only a
bad code gets the full explanation of ``uscc.check``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sme.core import clock
from sme.organizations import uscc
from sme.regions.models import Region
from sme.regions.selectors import districts as current_districts

from ..industry_codes import IndustryCodeError, parse_industry_code
from ..models import FIRST_YEAR, MAX_WAN
from ..selectors import IndustryEntry, industry_index

FOUR_PLACES = Decimal("0.0001")
TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "t"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗", "无", "f", "", "-", "—"})
FLAG_KEYS = ("is_tech_sme", "is_specialized_new", "is_high_tech")
_FULL_WIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20


@dataclass(slots=True)
class ParsedRow:
    line: int
    uscc: str
    name: str
    district_id: int
    industry_code: str
    industry_section: str
    year: int
    employees: int | None
    revenue_wan: Decimal | None
    assets_wan: Decimal | None
    # None: the column is not mapped, so the stored value is left as it is.
    flags: dict[str, bool | None] = field(default_factory=dict)
    legal_representative: str | None = None
    address: str | None = None
    # The size class as if the row were the enterprise's only figures, as stored (size_class, group,
    # standard version, figures year, figures JSON, reasons JSON): computed while reading
    # (``Writer.prepare``), used as is for a new enterprise.
    size: tuple[str, int | None, str, int | None, str, str] | None = None

    def as_wire(self) -> tuple[Any, ...]:
        """Plain values, for the pipe from the reading process: pickling a tuple of strings and
        numbers costs a fraction of pickling the object."""
        return (
            self.line,
            self.uscc,
            self.name,
            self.district_id,
            self.industry_code,
            self.industry_section,
            self.year,
            self.employees,
            None if self.revenue_wan is None else str(self.revenue_wan),
            None if self.assets_wan is None else str(self.assets_wan),
            tuple(self.flags.get(k) for k in FLAG_KEYS),
            self.legal_representative,
            self.address,
            self.size,
        )

    @classmethod
    def from_wire(cls, w: tuple[Any, ...]) -> ParsedRow:
        return cls(
            w[0],
            w[1],
            w[2],
            w[3],
            w[4],
            w[5],
            w[6],
            w[7],
            None if w[8] is None else Decimal(w[8]),
            None if w[9] is None else Decimal(w[9]),
            dict(zip(FLAG_KEYS, w[10], strict=True)),
            w[11],
            w[12],
            w[13],
        )

    def as_values(self, mapping: Mapping[str, int], width: int) -> list[Any]:
        """The row laid out in the file's columns again, from the checked values (for the report of
        a row the writer refuses, when the raw values were not kept)."""
        values: list[Any] = [None] * width
        fields = {
            "uscc": self.uscc,
            "name": self.name,
            "industry_code": self.industry_code,
            "year": self.year,
            "employees": self.employees,
            "revenue_wan": self.revenue_wan,
            "assets_wan": self.assets_wan,
            "legal_representative": self.legal_representative,
            "address": self.address,
        }
        for key, index in mapping.items():
            if index < width and key in fields:
                values[index] = fields[key]
        return values


@dataclass(frozen=True)
class DistrictInfo:
    id: int
    code: str
    name: str
    region_codes: frozenset[str]  # its own code and its predecessors' (for region_mismatch)


@dataclass
class RowContext:
    """What checking a row needs, prepared once per import."""

    mapping: Mapping[str, int]
    default_year: int | None
    districts: dict[str, DistrictInfo]  # by code and by name: current districts of the jurisdiction
    withdrawn: dict[str, str]  # code or name of a withdrawn division → the message naming its successor
    allowed_ids: frozenset[int] | None  # None: every current district
    scope_label: str = ""
    last_year: int = field(default_factory=lambda: clock.today().year)
    seen: dict[str, int] = field(default_factory=dict)  # credit code → first line
    # A snapshot of the loaded codes: checking rows needs neither the database nor the cache (the
    # import may read the file in a forked process).
    codes: dict[str, IndustryEntry] = field(default_factory=lambda: dict(industry_index()))
    _industries: dict[str, IndustryEntry | str] = field(default_factory=dict)
    revenue_name: str = ""
    assets_name: str = ""

    def __post_init__(self) -> None:
        self.revenue_name = _("营业收入")
        self.assets_name = _("资产总额")

    def industry(self, raw: str) -> IndustryEntry | str:
        """The loaded code ``raw`` names, or what is wrong with it (``industry_codes``, the parser the
        profile and the size-class tool use too); remembered, a file repeats its codes."""
        found = self._industries.get(raw)
        if found is None:
            try:
                found = self.codes[parse_industry_code(raw, self.codes).code]
            except IndustryCodeError as exc:
                found = str(exc)
            if len(self._industries) < 50_000:
                self._industries[raw] = found
        return found


def build_context(
    *,
    mapping: Mapping[str, int],
    default_year: int | None,
    allowed_ids: frozenset[int] | None,
    scope_label: str = "",
) -> RowContext:
    current = list(current_districts().prefetch_related("predecessors"))
    by_key: dict[str, DistrictInfo] = {}
    for d in current:
        info = DistrictInfo(
            d.pk, d.code, d.name, frozenset({d.code, *(p.code for p in d.predecessors.all())})
        )
        if d.code:
            by_key[d.code] = info
        by_key[d.name] = info
    withdrawn: dict[str, str] = {}
    for old in Region.objects.districts().filter(valid_to__isnull=False).select_related("successor"):
        if old.code in by_key:  # a code reused by the current district keeps meaning that one
            continue
        successor = old.successor
        if successor is not None:
            message = _("区县“%(old)s”（%(code)s）已撤销，请改为现行的“%(new)s”（%(new_code)s）。") % {
                "old": old.name,
                "code": old.code,
                "new": successor.name,
                "new_code": successor.code,
            }
        else:
            message = _("区县“%(old)s”（%(code)s）已撤销。") % {"old": old.name, "code": old.code}
        if old.code:
            withdrawn.setdefault(old.code, message)
        if old.name not in by_key:
            withdrawn.setdefault(old.name, message)
    return RowContext(
        mapping=dict(mapping),
        default_year=default_year,
        districts=by_key,
        withdrawn=withdrawn,
        allowed_ids=allowed_ids,
        scope_label=scope_label,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number_text(value: Any) -> str:
    return _text(value).translate(_FULL_WIDTH).replace(",", "").replace(" ", "")


def region_mismatch(code: str, district: DistrictInfo) -> bool:
    """``organizations.selectors.region_mismatch`` without a query per row (a test keeps them equal)."""
    region_code = code[2:8]
    if not district.code or region_code in district.region_codes:
        return False
    if region_code[2:] == "0000" and district.code[:2] == region_code[:2]:
        return False
    if region_code[4:] == "00":
        return district.code[:4] != region_code[:4]
    return True


def parse_row(line: int, values: list[Any], ctx: RowContext) -> ParsedRow | list[str]:
    """The row's clean values, or the list of what is wrong with it."""
    errors: list[str] = []
    m = ctx.mapping
    width = len(values)

    def cell(key: str) -> Any:
        index = m.get(key)
        return values[index] if index is not None and index < width else None

    # credit code
    raw_code = _text(cell("uscc"))
    code = uscc.normalize(raw_code)
    if not code:
        errors.append(_("缺少统一社会信用代码。"))
    elif not _valid_uscc(code):
        errors.extend(
            _("统一社会信用代码 %(code)s：%(error)s") % {"code": code, "error": e}
            for e in uscc.check(code).errors
        )
    else:
        first = ctx.seen.get(code)
        if first is None:
            ctx.seen[code] = line
        else:
            errors.append(
                _("统一社会信用代码 %(code)s 与第 %(first)s 行重复。") % {"code": code, "first": first}
            )

    name = _text(cell("name"))
    if not name:
        errors.append(_("缺少企业名称。"))
    elif len(name) > 200:
        errors.append(_("企业名称超过 200 字。"))

    district = _district(cell("district"), ctx, errors)
    industry_code, section = _industry(cell("industry_code"), ctx, errors)

    year = _year(cell("year") if "year" in m else None, ctx, errors)
    employees = _employees(cell("employees"), errors)
    revenue = _wan(cell("revenue_wan"), ctx.revenue_name, errors)
    assets = _wan(cell("assets_wan"), ctx.assets_name, errors)

    flags: dict[str, bool | None] = {}
    for key in FLAG_KEYS:
        if key not in m:
            flags[key] = None
            continue
        word = _text(cell(key)).lower()
        if word in TRUE_WORDS:
            flags[key] = True
        elif word in FALSE_WORDS:
            flags[key] = False
        else:
            errors.append(
                _("%(field)s“%(value)s”不能识别，请填“是”或“否”。")
                % {"field": _flag_label(key), "value": _text(cell(key))}
            )

    legal = _text(cell("legal_representative")) if "legal_representative" in m else None
    if legal is not None and len(legal) > 50:
        errors.append(_("法定代表人超过 50 字。"))
    address = _text(cell("address")) if "address" in m else None
    if address is not None and len(address) > 200:
        errors.append(_("地址超过 200 字。"))

    if errors:
        return errors
    assert district is not None and year is not None
    return ParsedRow(
        line,
        code,
        name,
        district.id,
        industry_code,
        section,
        year,
        employees,
        revenue,
        assets,
        flags,
        legal,
        address,
    )


def _flag_label(key: str) -> str:
    return {
        "is_tech_sme": _("科技型中小企业"),
        "is_specialized_new": _("专精特新"),
        "is_high_tech": _("高新技术企业"),
    }[key]


_USCC_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")
_VALUE = uscc.VALUE
_WEIGHTS = tuple(uscc.WEIGHTS)
_ORG_WEIGHTS = tuple(uscc.ORG_WEIGHTS)
_CHARSET = uscc.CHARSET


def _valid_uscc(code: str) -> bool:
    """GB 32100's character set, region digits and both check characters (as ``uscc.check``, which a
    test compares it with, without building an explanation)."""
    if len(code) != 18 or _USCC_SHAPE.fullmatch(code) is None:
        return False
    values = [_VALUE[c] for c in code[:17]]
    # 组织机构代码 (GB 11714): the body's letter values are A=10 … Z=35, not the GB 32100 values.
    org_total = 0
    for c, w in zip(code[8:16], _ORG_WEIGHTS, strict=True):
        org_total += (ord(c) - 48 if c <= "9" else ord(c) - 55) * w
    remainder = 11 - org_total % 11
    org_check = "X" if remainder == 10 else "0" if remainder == 11 else str(remainder)
    if org_check != code[16]:
        return False
    total = 0
    for v, w in zip(values, _WEIGHTS, strict=True):
        total += v * w
    return _CHARSET[(31 - total % 31) % 31] == code[17]


def district_lookup(raw: Any, ctx: RowContext) -> tuple[DistrictInfo | None, str | None]:
    text = _text(raw).translate(_FULL_WIDTH).strip()
    if not text:
        return None, _("缺少所在区县。")
    info = ctx.districts.get(text)
    if info is None and text.startswith("重庆市"):
        info = ctx.districts.get(text[3:])
    if info is None:
        return None, ctx.withdrawn.get(text) or _("所在区县“%(value)s”不是现行区县的代码或名称。") % {
            "value": text
        }
    if ctx.allowed_ids is not None and info.id not in ctx.allowed_ids:
        return None, _(
            "所在区县为“%(district)s”，不在您的管辖范围（%(scope)s）内：区县主管部门只能导入本区县的企业。"
        ) % {
            "district": info.name,
            "scope": ctx.scope_label,
        }
    return info, None


def _district(raw: Any, ctx: RowContext, errors: list[str]) -> DistrictInfo | None:
    info, problem = district_lookup(raw, ctx)
    if problem:
        errors.append(problem)
    return info


def _industry(raw: Any, ctx: RowContext, errors: list[str]) -> tuple[str, str]:
    text = _text(raw)
    if not text:
        errors.append(_("缺少行业代码。"))
        return "", ""
    if len(text) == 1 and text.isdigit():  # a number cell dropped the leading zero of 01–09
        text = "0" + text
    found = ctx.industry(text)
    if isinstance(found, str):
        errors.append(found)
        return "", ""
    return found.code, found.section


def _year(raw: Any, ctx: RowContext, errors: list[str]) -> int | None:
    text = _number_text(raw).removesuffix("年")
    if not text:
        if ctx.default_year is None:
            errors.append(_("缺少年度：文件没有“年度”列时，请在列对应中填写数据年度。"))
        return ctx.default_year
    try:
        year = int(Decimal(text))
    except (InvalidOperation, ValueError):
        errors.append(_("年度“%(value)s”不是年份。") % {"value": _text(raw)})
        return None
    if not FIRST_YEAR <= year <= ctx.last_year:
        errors.append(
            _("年度应在 %(first)s 至 %(last)s 之间，收到 %(value)s。")
            % {
                "first": FIRST_YEAR,
                "last": ctx.last_year,
                "value": year,
            }
        )
        return None
    return year


def _employees(raw: Any, errors: list[str]) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = _number_text(raw).removesuffix("人")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors.append(_("从业人员应为整数（人），收到“%(value)s”。") % {"value": _text(raw)})
            return None
        if not number.is_finite() or number != number.to_integral_value():
            errors.append(_("从业人员应为整数（人），收到“%(value)s”。") % {"value": _text(raw)})
            return None
        value = int(number)
    if value < 0:
        errors.append(_("从业人员不能为负数，收到 %(value)s。") % {"value": value})
        return None
    if value > 10_000_000:
        errors.append(_("从业人员 %(value)s 超出范围。") % {"value": value})
        return None
    return value


def _wan(raw: Any, name: str, errors: list[str]) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, float):
        # A spreadsheet number: binary floating point, so round to the 4 places stored (1 元).
        value = Decimal(repr(raw)).quantize(FOUR_PLACES, ROUND_HALF_UP)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    else:
        text = _number_text(raw).removesuffix("万元")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            errors.append(
                _("%(name)s应为数字（万元），收到“%(value)s”。") % {"name": name, "value": _text(raw)}
            )
            return None
        if not value.is_finite():
            errors.append(
                _("%(name)s应为数字（万元），收到“%(value)s”。") % {"name": name, "value": _text(raw)}
            )
            return None
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -4 and value != value.quantize(FOUR_PLACES):
            errors.append(
                _("%(name)s最多保留 4 位小数（万元），收到“%(value)s”。") % {"name": name, "value": text}
            )
            return None
    if value < 0:
        errors.append(_("%(name)s不能为负数，收到 %(value)s。") % {"name": name, "value": value})
        return None
    if value > MAX_WAN:
        errors.append(_("%(name)s %(value)s 超出范围（以万元计）。") % {"name": name, "value": value})
        return None
    return value
