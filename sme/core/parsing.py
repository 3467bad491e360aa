"""Numbers typed by people: one reading of counts, decimals, money (元 or 万元) and shares.

Every form, import and API that takes a number uses these, so "12,000", "１２０００", " 12000.50 " and
12000 (a JSON number) mean the same everywhere, and every refusal says in Chinese what is wrong with
which field. Each parser takes the raw value, the field's name and a :class:`Problems` collector; it
returns the value, or ``None`` after adding a problem (or for an empty, optional field), so a form can
report every bad field at once:

    problems = Problems()
    price = parsing.money(data.get("price"), "price", problems, label=_("价格"), required=True)
    share = parsing.share(data.get("online_share"), "online_share", problems, label=_("线上比例"))
    problems.raise_if_any()          # InvalidInput naming each field, nothing changed
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .errors import InvalidInput

# The largest amount a money field takes unless it says otherwise: 99.99 亿元 in 元.
MONEY_MAX_YUAN = Decimal("9999999999.99")
MONEY_MAX_WAN = Decimal("999999.99")
_MAX_TEXT = 40
_SEPARATORS = (",", "，", "_", " ", "\u3000")


class Problems:
    """What is wrong with which field: ``{field: [message, …]}``, in the order found."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_if_any(self, message: str | None = None) -> None:
        """Raise :class:`InvalidInput` with every problem when there is one."""
        if self.by_field:
            raise InvalidInput(message or _("请改正标出的内容后再提交。"), self.by_field)


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _shown(raw: Any) -> str:
    text = str(raw).strip()
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…"


def _prefix(label: Any) -> str:
    return str(label) if label else ""


def _normalised(raw: Any) -> str:
    # Full-width digits, points and signs (１２．５, －３) read as their ASCII forms.
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    for separator in _SEPARATORS:
        text = text.replace(separator, "")
    return text


def _to_decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, float):
        number = Decimal(repr(raw))  # the float's shortest form: 49.99 stays 49.99
    elif isinstance(raw, int):
        number = Decimal(raw)
    else:
        text = _normalised(raw)
        if not text or len(text) > _MAX_TEXT:
            return None
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
    # Beyond 10^20 nothing a person types is a real figure (and quantizing it would overflow).
    return number if number.is_finite() and number.adjusted() <= 20 else None


def number(
    raw: Any,
    field: str,
    problems: Problems,
    *,
    label: Any = "",
    places: int = 2,
    minimum: Decimal | int | None = 0,
    maximum: Decimal | int | None = None,
    required: bool = False,
    unit: Any = "",
) -> Decimal | None:
    """A decimal with at most ``places`` decimals, within ``[minimum, maximum]`` (``None`` leaves a
    side open; the default refuses negatives)."""
    who = _prefix(label)
    if _is_empty(raw):
        if required:
            problems.add(field, _("%(label)s必填。") % {"label": who} if who else _("必填。"))
        return None
    value = _to_decimal(raw)
    names = {"label": who, "raw": _shown(raw), "unit": str(unit), "n": places}
    if value is None:
        if unit:
            problems.add(field, _("%(label)s请填写数字（单位：%(unit)s），收到“%(raw)s”。") % names)
        else:
            problems.add(field, _("%(label)s请填写数字，收到“%(raw)s”。") % names)
        return None
    if minimum is not None and value < minimum:
        if minimum == 0:
            problems.add(field, _("%(label)s不能为负数。") % names)
        else:
            problems.add(field, _("%(label)s不能小于%(min)s。") % {**names, "min": minimum})
        return None
    if maximum is not None and value > maximum:
        problems.add(field, _("%(label)s不能大于%(max)s。") % {**names, "max": maximum})
        return None
    quantum = Decimal(1).scaleb(-places)
    if value != value.quantize(quantum):
        if places == 0:
            problems.add(field, _("%(label)s请填写整数。") % names)
        else:
            problems.add(field, _("%(label)s最多保留%(n)s位小数。") % names)
        return None
    exponent = value.as_tuple().exponent
    # "12.0" for a count is 12; "12.50" keeps its two places
    return value.quantize(quantum) if isinstance(exponent, int) and exponent < -places else value


def integer(
    raw: Any,
    field: str,
    problems: Problems,
    *,
    label: Any = "",
    minimum: int | None = 0,
    maximum: int | None = None,
    required: bool = False,
    unit: Any = "",
) -> int | None:
    """A whole number ("12", "12.0" and 12 are 12; "12.5" is refused)."""
    value = number(
        raw,
        field,
        problems,
        label=label,
        places=0,
        minimum=minimum,
        maximum=maximum,
        required=required,
        unit=unit,
    )
    return None if value is None else int(value)


def money(
    raw: Any,
    field: str,
    problems: Problems,
    *,
    label: Any = "",
    in_wan: bool = False,
    maximum: Decimal | None = None,
    required: bool = False,
) -> Decimal | None:
    """An amount in 元 (to the 分) or, with ``in_wan``, in 万元 (two decimals, as forms ask for it)."""
    unit = _("万元") if in_wan else _("元")
    ceiling = maximum if maximum is not None else (MONEY_MAX_WAN if in_wan else MONEY_MAX_YUAN)
    return number(raw, field, problems, label=label, places=2, maximum=ceiling, required=required, unit=unit)


def share(
    raw: Any,
    field: str,
    problems: Problems,
    *,
    label: Any = "",
    required: bool = False,
    places: int = 4,
) -> Decimal | None:
    """A share as a fraction from 0 to 1: typed as "85%" (or "85％") or as 0.85; a bare number above 1
    is refused with both ways of writing it, since "85" could mean either."""
    who = _prefix(label)
    if _is_empty(raw):
        if required:
            problems.add(field, _("%(label)s必填。") % {"label": who} if who else _("必填。"))
        return None
    text = _normalised(raw) if isinstance(raw, str) else None
    percent = text is not None and text.endswith("%")
    value = _to_decimal(text[:-1] if percent and text else raw)
    names = {"label": who, "raw": _shown(raw)}
    if value is None:
        problems.add(field, _("%(label)s请填写比例，如 85%% 或 0.85，收到“%(raw)s”。") % names)
        return None
    if percent:
        value = value / 100
    if value < 0 or value > 1:
        if not percent and 1 < value <= 100:
            problems.add(field, _("%(label)s请写成 %(raw)s%% 或 0 到 1 之间的小数，收到“%(raw)s”。") % names)
        else:
            problems.add(field, _("%(label)s应在 0 到 100%% 之间，收到“%(raw)s”。") % names)
        return None
    quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum) if value != value.quantize(quantum) else value
