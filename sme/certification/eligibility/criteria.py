"""The criteria of a scheme: their kinds, the figures they need, checking the scheme data and the
figures given (see the package's docstring for the kinds)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core import parsing

from .. import names

AT_LEAST = "at_least"
LATEST_AT_LEAST = "latest_at_least"
GROWTH = "growth"
JUDGEMENT = "judgement"
KINDS = (AT_LEAST, LATEST_AT_LEAST, GROWTH, JUDGEMENT)
NUMERIC_KINDS = (AT_LEAST, LATEST_AT_LEAST, GROWTH)
SERIES_KINDS = (LATEST_AT_LEAST, GROWTH)
SHARE_UNIT = "%"

# How the API's figures are named to people. A figure a scheme adds without an entry here is named
# by its criterion's label.
FIGURE_LABELS = {
    "years_operating": gettext_lazy("运营年限"),
    "total_assets_wan": gettext_lazy("资产总额"),
    "staff": gettext_lazy("从业人数"),
    "qualified_staff_share": gettext_lazy("大专及以上学历或中级及以上职称人员比例"),
    "smes_served_by_year": gettext_lazy("近年服务中小企业数量"),
    "satisfaction": gettext_lazy("用户满意度"),
    "service_institutions": gettext_lazy("集聚服务机构数量"),
    "free_or_low_fee_share": gettext_lazy("公益性或低收费服务比例"),
}

STATUS_LABELS = {
    True: gettext_lazy("符合"),
    False: gettext_lazy("不符合"),
    None: gettext_lazy("由评审认定"),
}

_FIGURE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_SHOWN_MAX = 30


class EligibilityInputError(ValueError):
    """The check cannot run as asked: each problem is ``(name, Chinese message)``, the name being a
    figure's, ``district``, ``on`` or (for :func:`validate_criteria`) a criterion's key."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(self.errors))

    @property
    def errors(self) -> list[str]:
        return [message for _name, message in self.problems]

    @property
    def fields(self) -> set[str]:
        return {name for name, _message in self.problems}

    def by_field(self, prefix: str = "") -> dict[str, list[str]]:
        """The messages per name, e.g. ``{"figures.staff": [...]}`` with ``prefix="figures."``."""
        grouped: dict[str, list[str]] = {}
        for name, message in self.problems:
            grouped.setdefault(prefix + name, []).append(message)
        return grouped


# --- the figures a scheme needs ------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSpec:
    """One figure the criteria need: a number, a share (0–1), an integer, or a yearly series."""

    name: str
    label: str  # in the reader's language
    unit: str  # as the scheme data writes it ("%" marks a share)
    series: bool = False
    integer: bool = False
    share: bool = False
    min_years: int = 1  # series only: how many years the criteria need
    unit_label: str = ""  # the unit in the reader's language (the data's ``unit_en`` in English)

    @property
    def shown_unit(self) -> str:
        return self.unit_label or self.unit

    def example(self) -> str:
        if self.series:
            return "[70, 80, 90]"
        if self.share:
            return "0.85"
        return "20" if self.integer else "120.5"


def _figure_label(name: str, criterion: Mapping[str, Any]) -> str:
    label = FIGURE_LABELS.get(name)
    return str(label) if label is not None else (names.local(criterion) or name)


def _years_needed(criterion: Mapping[str, Any]) -> int:
    return int(criterion.get("years") or 1) + 1 if criterion["kind"] == GROWTH else 1


def figure_specs(criteria: Iterable[Mapping[str, Any]]) -> dict[str, FigureSpec]:
    """The figures the numeric criteria name, in the order they first appear."""
    specs: dict[str, FigureSpec] = {}
    for c in criteria:
        if c.get("kind") not in NUMERIC_KINDS:
            continue
        name = c["figure"]
        series = c["kind"] in SERIES_KINDS
        spec = FigureSpec(
            name=name,
            label=_figure_label(name, c),
            unit=str(c.get("unit", "")),
            unit_label=names.local(c, "unit"),
            series=series,
            integer=bool(c.get("integer")),
            share=c.get("unit") == SHARE_UNIT,
            min_years=_years_needed(c) if series else 1,
        )
        known = specs.get(name)
        if known is not None:
            spec = FigureSpec(
                name=name,
                label=known.label,
                unit=known.unit,
                unit_label=known.unit_label,
                series=known.series,
                integer=known.integer or spec.integer,
                share=known.share,
                min_years=max(known.min_years, spec.min_years),
            )
        specs[name] = spec
    return specs


# --- checking the scheme data --------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and _finite(value)


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def validate_criteria(criteria: Any) -> None:
    """Refuse criteria the check could not apply, naming each mistake by the criterion's key.

    Used by the scheme loader's tests and by the administrator's scheme editor, so a typo in a
    threshold is refused when the scheme is saved, not when an applicant runs the check.
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(criteria, list):
        raise EligibilityInputError([("criteria", _("认定条件应为列表。"))])
    seen: set[str] = set()
    shapes: dict[str, bool] = {}
    for index, c in enumerate(criteria, start=1):
        if not isinstance(c, Mapping):
            problems.append((f"#{index}", _("第%(n)s项认定条件应为对象。") % {"n": index}))
            continue
        key = c.get("key")
        name = str(key) if key else f"#{index}"

        def add(message: str, name: str = name) -> None:
            problems.append((name, _("认定条件“%(key)s”：%(message)s") % {"key": name, "message": message}))

        if not isinstance(key, str) or not key:
            add(_("缺少 key。"))
        elif key in seen:
            add(_("key 重复。"))
        seen.add(str(key))
        for attribute in ("label", "article"):
            if not isinstance(c.get(attribute), str) or not c.get(attribute):
                add(_("缺少 %(attribute)s。") % {"attribute": attribute})
        kind = c.get("kind")
        if kind not in KINDS:
            add(_("类型应为 %(kinds)s 之一。") % {"kinds": "、".join(KINDS)})
            continue
        if kind == JUDGEMENT:
            continue
        figure = c.get("figure")
        if not isinstance(figure, str) or not _FIGURE_NAME.match(figure):
            add(_("figure 应为小写英文字母、数字和下划线组成的数据名称。"))
            continue
        series = kind in SERIES_KINDS
        if shapes.setdefault(figure, series) != series:
            add(_("数据“%(figure)s”在不同条件中既作单个数值又作逐年数列。") % {"figure": figure})
        share = c.get("unit") == SHARE_UNIT
        if not isinstance(c.get("unit", ""), str):
            add(_("unit 应为文字。"))
        bounds: list[Any] = [c.get("threshold")] if kind != GROWTH else []
        zone_thresholds = c.get("zone_thresholds") or {}
        if not isinstance(zone_thresholds, Mapping):
            add(_("zone_thresholds 应为“分区标识: 门槛”的对象。"))
            zone_thresholds = {}
        elif kind == GROWTH and zone_thresholds:
            add(_("增长条件没有门槛，不能设分区门槛。"))
        bounds += list(zone_thresholds.values())
        for bound in bounds:
            if not _is_number(bound) or bound < 0:
                add(_("门槛应为不小于 0 的数，收到 %(raw)s。") % {"raw": shown_input(bound)})
            elif share and bound > 1:
                add(
                    _("比例的门槛应为 0 到 1 之间的小数（如 0.6 表示 60%%），收到 %(raw)s。")
                    % {"raw": shown_input(bound)}
                )
        if kind == GROWTH:
            years = c.get("years")
            if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 10:
                add(_("增长条件的 years 应为 1 到 10 的整数。"))
    if problems:
        raise EligibilityInputError(problems)


# --- parsing the figures -------------------------------------------------------------------------


def shown_input(value: Any) -> str:
    """An input as the message quotes it, cut short."""
    if isinstance(value, str):
        text = value if len(value) <= _SHOWN_MAX else value[:_SHOWN_MAX] + "…"
        return f"“{text}”"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "…"


def _decimal(value: Any) -> Decimal | None:
    """A JSON number as a Decimal (the float's shortest form, so 49.99 stays 49.99), else None."""
    if isinstance(value, bool) or not _is_number(value):
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def is_integral(number: Decimal) -> bool:
    return number == number.to_integral_value()


def _is_percent_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip().endswith(("%", "％"))


def _parse_share(spec: FigureSpec, value: Any) -> tuple[Decimal | None, str | None]:
    """A share as the API takes it: a fraction 0–1 (a JSON number, 0.3) or a string with its percent
    sign ("30%"), read by :func:`sme.core.parsing.share`, the platform's one rule for shares. A bare
    30 could mean either and is refused, naming both ways of writing it."""
    shown = {"label": spec.label, "raw": shown_input(value), "example": spec.example()}
    number = _decimal(value)
    if number is None and not _is_percent_text(value):
        return None, _("%(label)s应为 0 到 1 之间的数（如 %(example)s 表示 85%%），收到 %(raw)s。") % shown
    if number is not None and number < 0:
        return None, _("%(label)s不能为负数，收到 %(raw)s。") % shown
    problems = parsing.Problems()
    # Twelve places: a share is compared exactly with its threshold, never rounded up to it.
    share = parsing.share(
        number if number is not None else value, spec.name, problems, label=spec.label, places=12
    )
    if share is None:
        return None, problems.by_field[spec.name][0]
    return share, None


def _parse_scalar(spec: FigureSpec, value: Any) -> tuple[Decimal | int | None, str | None]:
    if spec.share:
        return _parse_share(spec, value)
    shown = {
        "label": spec.label,
        "unit": spec.shown_unit,
        "raw": shown_input(value),
        "example": spec.example(),
    }
    number = _decimal(value)
    if number is None:
        return None, _("%(label)s应为数字（%(unit)s，如 %(example)s），收到 %(raw)s。") % shown
    if number < 0:
        return None, _("%(label)s不能为负数，收到 %(raw)s。") % shown
    if spec.integer:
        if not is_integral(number):
            return None, _("%(label)s应为整数（%(unit)s），收到 %(raw)s。") % shown
        return int(number), None
    return number, None


def _parse_series(spec: FigureSpec, value: Any) -> tuple[list[Any] | None, str | None]:
    shown = {"label": spec.label, "unit": spec.shown_unit, "n": spec.min_years, "example": spec.example()}
    if not isinstance(value, list | tuple):
        return None, (
            _(
                "%(label)s应为按年份从早到晚排列的数列（%(unit)s，最后一项为最近一年），如 %(example)s，收到 %(raw)s。"
            )
            % {**shown, "raw": shown_input(value)}
        )
    if len(value) < spec.min_years:
        return None, (
            _("%(label)s至少需要最近 %(n)s 年的数据（从早到晚排列，最后一项为最近一年），收到 %(got)s 年。")
            % {**shown, "got": len(value)}
        )
    parsed: list[Any] = []
    bad: list[str] = []
    for position, item in enumerate(value, start=1):
        number = _decimal(item)
        if number is None or number < 0 or (spec.integer and not is_integral(number)):
            bad.append(_("第%(n)s项 %(raw)s") % {"n": position, "raw": shown_input(item)})
        else:
            parsed.append(int(number) if spec.integer else number)
    if bad:
        rule = _("不小于 0 的整数") if spec.integer else _("不小于 0 的数")
        return None, (
            _("%(label)s的每一项应为%(rule)s（%(unit)s）：%(bad)s 不符合。")
            % {**shown, "rule": rule, "bad": "，".join(bad)}
        )
    return parsed, None


def parse_figures(
    criteria: Iterable[Mapping[str, Any]], raw: Mapping[str, Any], *, shares_typed_in_percent: bool = False
) -> dict[str, Any]:
    """The figures the numeric criteria need, checked: numbers (not booleans or strings), not
    negative, shares 0–1, integers where the criterion says so, series long enough for the growth
    rule. Decimals for numbers and shares, ``int`` for integers, a list for a series.

    Raises :class:`EligibilityInputError` naming every missing or malformed figure; figures no
    criterion needs are ignored. ``shares_typed_in_percent``: the figures come from a page whose share
    fields are labelled "%", so a missing share is asked for as a percent, not as a fraction.
    """
    specs = figure_specs(criteria)
    problems: list[tuple[str, str]] = []
    figures: dict[str, Any] = {}
    for name, spec in specs.items():
        value = raw.get(name)
        if value is None:
            if spec.series:
                message = _("缺少%(label)s（%(unit)s，按年份从早到晚排列，至少 %(n)s 年）。") % {
                    "label": spec.label,
                    "unit": spec.shown_unit,
                    "n": spec.min_years,
                }
            elif spec.share and shares_typed_in_percent:
                message = _("缺少%(label)s（%%）。") % {"label": spec.label}
            elif spec.share:
                message = _("缺少%(label)s（0 到 1 之间的数，如 0.85 表示 85%%）。") % {"label": spec.label}
            else:
                message = _("缺少%(label)s（%(unit)s）。") % {"label": spec.label, "unit": spec.shown_unit}
            problems.append((name, message))
            continue
        parsed, problem = _parse_series(spec, value) if spec.series else _parse_scalar(spec, value)
        if problem:
            problems.append((name, problem))
        else:
            figures[name] = parsed
    if problems:
        raise EligibilityInputError(problems)
    return figures
