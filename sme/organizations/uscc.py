"""统一社会信用代码 (GB 32100-2015) and the embedded 组织机构代码 (GB 11714-1997).

Pure functions, no database: :func:`check` explains any input; :func:`make` builds a valid code
(for demo and test data). Unknown 登记管理部门 codes are accepted (the standard has been amended
since 2015); the character set, the length and both check characters are enforced.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28

ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
EXCLUDED_LETTERS = "IOZSV"

# 登记管理部门 → (name, {机构类别: name}) per GB 32100-2015 附录 and its amendments.
DEPARTMENTS: dict[str, tuple[Any, dict[str, Any]]] = {
    "1": (
        gettext_lazy("机构编制"),
        {
            "1": gettext_lazy("机关"),
            "2": gettext_lazy("事业单位"),
            "3": gettext_lazy("中央编办直接管理机构编制的群众团体"),
            "9": gettext_lazy("其他"),
        },
    ),
    "2": (gettext_lazy("外交"), {"1": gettext_lazy("外国常驻新闻机构"), "9": gettext_lazy("其他")}),
    "3": (
        gettext_lazy("司法行政"),
        {
            "1": gettext_lazy("律师执业机构"),
            "2": gettext_lazy("公证处"),
            "3": gettext_lazy("基层法律服务所"),
            "4": gettext_lazy("司法鉴定机构"),
            "5": gettext_lazy("仲裁委员会"),
            "9": gettext_lazy("其他"),
        },
    ),
    "4": (gettext_lazy("文化"), {"1": gettext_lazy("外国在华文化中心"), "9": gettext_lazy("其他")}),
    "5": (
        gettext_lazy("民政"),
        {
            "1": gettext_lazy("社会团体"),
            "2": gettext_lazy("民办非企业单位"),
            "3": gettext_lazy("基金会"),
            "9": gettext_lazy("其他"),
        },
    ),
    "6": (
        gettext_lazy("旅游"),
        {
            "1": gettext_lazy("外国旅游部门常驻代表机构"),
            "2": gettext_lazy("港澳台地区旅游部门常驻内地（大陆）代表机构"),
            "9": gettext_lazy("其他"),
        },
    ),
    "7": (
        gettext_lazy("宗教"),
        {"1": gettext_lazy("宗教活动场所"), "2": gettext_lazy("宗教院校"), "9": gettext_lazy("其他")},
    ),
    "8": (gettext_lazy("工会"), {"1": gettext_lazy("基层工会"), "9": gettext_lazy("其他")}),
    "9": (
        gettext_lazy("工商"),
        {"1": gettext_lazy("企业"), "2": gettext_lazy("个体工商户"), "3": gettext_lazy("农民专业合作社")},
    ),
    "A": (
        gettext_lazy("中央军委改革和编制办公室"),
        {"1": gettext_lazy("军队事业单位"), "9": gettext_lazy("其他")},
    ),
    "N": (
        gettext_lazy("农业"),
        {
            "1": gettext_lazy("组级集体经济组织"),
            "2": gettext_lazy("村级集体经济组织"),
            "3": gettext_lazy("乡镇级集体经济组织"),
            "9": gettext_lazy("其他"),
        },
    ),
    "Y": (gettext_lazy("其他"), {"1": gettext_lazy("其他")}),
}


def check_character(first17: str) -> str:
    """The 18th character for 17 valid characters."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_check_character(body8: str) -> str:
    """The 9th character of a 组织机构代码 for its 8 body characters (digits and capital letters)."""
    remainder = 11 - sum(_org_value(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


@dataclass
class UsccCheck:
    code: str
    errors: list[str] = field(default_factory=list)
    parts: dict[str, Any] = field(default_factory=dict)
    # The first wrong position (1-based) when one character is to blame; forms highlight it.
    position: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "valid": self.valid, "errors": self.errors, "parts": self.parts}


def normalize(raw: str) -> str:
    """Upper-case and drop surrounding blanks; full-width letters and digits become ASCII."""
    text = (raw or "").strip()
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)
    return text.upper()


def check(raw: str) -> UsccCheck:
    """Explain ``raw`` as a credit code: every problem in words, and the parts that could be read."""
    code = normalize(raw)
    result = UsccCheck(code=code)
    if not code:
        result.errors.append(_("请输入统一社会信用代码。"))
        return result
    if len(code) != 18:
        result.errors.append(_("统一社会信用代码应为18位，您输入了%(n)d位。") % {"n": len(code)})
    for i, c in enumerate(code[:18], start=1):
        if c not in VALUE:
            if c in EXCLUDED_LETTERS:
                msg = _("第%(pos)d位是「%(char)s」：统一社会信用代码不使用字母 I、O、Z、S、V。")
            else:
                msg = _(
                    "第%(pos)d位「%(char)s」不是统一社会信用代码允许的字符（数字或除 I、O、Z、S、V 外的大写字母）。"
                )
            result.errors.append(msg % {"pos": i, "char": c})
            result.position = result.position or i
    if len(code) >= 8 and not code[2:8].isdigit():
        bad = next(i for i, c in enumerate(code[2:8], start=3) if not c.isdigit())
        result.errors.append(
            _("第3–8位是登记管理机关的行政区划码，应全为数字，第%(pos)d位不是。") % {"pos": bad}
        )
        result.position = result.position or bad
    _read_parts(code, result)
    if len(code) == 18 and not result.errors:
        body, org_check = code[8:16], code[16]
        expected_org = org_check_character(body)
        if org_check != expected_org:
            result.errors.append(
                _("第17位（组织机构代码的校验码）应为 %(expected)s，而不是 %(actual)s。")
                % {"expected": expected_org, "actual": org_check}
            )
            result.position = 17
        expected = check_character(code[:17])
        if code[17] != expected:
            result.errors.append(
                _("第18位（校验码）应为 %(expected)s，而不是 %(actual)s。")
                % {"expected": expected, "actual": code[17]}
            )
            result.position = result.position or 18
    return result


def _read_parts(code: str, result: UsccCheck) -> None:
    if len(code) >= 1:
        dept = DEPARTMENTS.get(code[0])
        result.parts["department"] = {
            "code": code[0],
            "name": str(dept[0]) if dept else _("未收录的登记管理部门（新增代码，予以接受）"),
        }
        if len(code) >= 2:
            category = dept[1].get(code[1]) if dept else None
            result.parts["category"] = {
                "code": code[1],
                "name": str(category) if category else _("未收录的机构类别"),
            }
    if len(code) >= 8 and code[2:8].isdigit():
        result.parts["region"] = {"code": code[2:8], "name": None}
    if len(code) >= 17:
        result.parts["organization_code"] = f"{code[8:16]}-{code[16]}"
    if len(code) == 18:
        result.parts["check_character"] = code[17]


ORG_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # letters that both standards allow


def make(
    region_code: str, department: str = "9", category: str = "1", rng: random.Random | None = None
) -> str:
    """A valid credit code for the given region, with a random but valid 组织机构代码."""
    rng = rng or random.Random()
    while True:
        body = "".join(rng.choice(ORG_BODY_CHARS) for _ in range(8))
        org_check = org_check_character(body)
        if org_check in VALUE:
            first17 = f"{department}{category}{region_code}{body}{org_check}"
            return first17 + check_character(first17)
