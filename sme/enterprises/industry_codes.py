"""GB/T 4754-2017 industry codes as people and registry files write them: the one parser.

Every place a code is typed or imported (the enterprise profile, the registry import, the size-class
tool and its API) reads it with :func:`parse_industry_code`, so they accept the same spellings and
refuse the same mistakes with the same words:

- a 门类 letter: ``C``;
- a plain code of 2–4 digits: ``34`` (大类), ``341`` (中类), ``3411`` (小类);
- the 门类 letter followed by the code, as registry and tax exports write it: ``C34``, ``C3411``,
  ``I6513``, ``F5123``. The letter must be the 门类 the code belongs to (``C65`` is refused: 65 is in I).

Full-width characters, blanks and lower case are read as what they mean ("ｉ６５１３" is ``6513``).
The parser is pure: it works on a snapshot of the loaded codes (``selectors.industry_index()`` or a
size-standard snapshot's ``industries``), so a forked import process needs no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy

from sme.core.messages import Message, msg

# Level keys as stored in IndustryCode.level, with the standard's names for them.
SECTION, DIVISION, GROUP, CLASS = "section", "division", "group", "class"
LEVEL_NAMES = {
    SECTION: gettext_lazy("门类"),
    DIVISION: gettext_lazy("大类"),
    GROUP: gettext_lazy("中类"),
    CLASS: gettext_lazy("小类"),
}
_LEVEL_OF_LENGTH = {2: DIVISION, 3: GROUP, 4: CLASS}

_FULL_WIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_BLANKS = re.compile(r"[\s\u3000]+")
_SHAPE = re.compile(r"([A-Z])?(\d{2,4})?")


class CodeInfo(Protocol):
    """What the parser needs of a loaded code."""

    @property
    def code(self) -> str: ...

    @property
    def level(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


@dataclass(frozen=True)
class ParsedCode:
    code: str  # as stored: the letter of a 门类, the digits of any other code
    level: str
    chain: tuple[str, ...]  # the code, then its ancestors up to its 门类 (6513, 651, 65, I)

    @property
    def section(self) -> str:
        return self.chain[-1]


class IndustryCodeError(ValueError):
    """What is wrong with a code, as a message (shown in the reader's language, storable)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.text)

    def __str__(self) -> str:
        return self.message.render()


def normalize(raw: object) -> str:
    """The code without blanks, in ASCII upper case ("ｉ 6513" → "I6513")."""
    return _BLANKS.sub("", str(raw or "").translate(_FULL_WIDTH)).upper()


def parse_industry_code(raw: object, codes: Mapping[str, CodeInfo]) -> ParsedCode:
    """The loaded code ``raw`` names, with its chain of ancestors; :class:`IndustryCodeError`
    saying exactly what is wrong otherwise."""
    text = normalize(raw)
    shown = str(raw or "").strip()
    if not text:
        raise IndustryCodeError(
            msg(
                "请填写行业代码（GB/T 4754-2017 门类字母或 2–4 位数字代码，也可写作门类字母加数字，如 I6513）。"
            )
        )
    shape = _SHAPE.fullmatch(text)
    if shape is None or not (shape.group(1) or shape.group(2)):
        raise IndustryCodeError(
            msg(
                "行业代码“%(code)s”的写法不对：应为门类字母（如 I）、2–4 位数字（如 65、651、6513），"
                "或门类字母加数字（如 I6513）。",
                code=shown,
            )
        )
    letter, digits = shape.group(1), shape.group(2)
    if not digits:
        known = codes.get(letter)
        if known is None or known.level != SECTION:
            raise IndustryCodeError(
                msg(
                    "行业代码“%(code)s”不在 GB/T 4754-2017 中：没有门类 %(letter)s。",
                    code=shown,
                    letter=letter,
                )
            )
        return ParsedCode(letter, SECTION, (letter,))
    found = codes.get(digits)
    if found is None or found.level != _LEVEL_OF_LENGTH[len(digits)]:
        raise IndustryCodeError(_unknown(shown, digits, codes))
    chain = _chain(digits, codes)
    section = chain[-1]
    if letter and letter != section:
        section_info = codes.get(section)
        raise IndustryCodeError(
            msg(
                "行业代码“%(code)s”的门类字母与代码不符：%(level)s %(digits)s（%(name)s）属于门类 %(section)s"
                "（%(section_name)s），应写作 %(section)s%(digits)s 或 %(digits)s。",
                code=shown,
                level=LEVEL_NAMES[found.level],
                digits=digits,
                name=found.name,
                section=section,
                section_name=section_info.name if section_info else "",
            )
        )
    return ParsedCode(digits, found.level, chain)


def _chain(code: str, codes: Mapping[str, CodeInfo]) -> tuple[str, ...]:
    chain = [code]
    seen = {code}
    parent = codes[code].parent
    while parent and parent in codes and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = codes[parent].parent
    return tuple(chain)


def _unknown(shown: str, digits: str, codes: Mapping[str, CodeInfo]) -> Message:
    """Why a code of digits is not in the list: which level is missing under which known code."""
    division = codes.get(digits[:2])
    if division is None or division.level != DIVISION:
        return msg(
            "行业代码“%(code)s”不在 GB/T 4754-2017 中：没有大类 %(division)s。",
            code=shown,
            division=digits[:2],
        )
    parent = division
    for length in range(3, len(digits) + 1):
        prefix = digits[:length]
        below = codes.get(prefix)
        if below is None or below.level != _LEVEL_OF_LENGTH[length]:
            return msg(
                "行业代码“%(code)s”不在 GB/T 4754-2017 中：%(parent_level)s %(parent)s（%(parent_name)s）下"
                "没有%(level)s %(missing)s。",
                code=shown,
                parent_level=LEVEL_NAMES[parent.level],
                parent=parent.code,
                parent_name=parent.name,
                level=LEVEL_NAMES[_LEVEL_OF_LENGTH[length]],
                missing=prefix,
            )
        parent = below
    return msg("行业代码“%(code)s”不在 GB/T 4754-2017 中。", code=shown)  # not reached: the code is known
