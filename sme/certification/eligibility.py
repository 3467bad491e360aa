"""The eligibility check of a certification scheme, as pure functions over the scheme's criteria.

A scheme's ``criteria`` (data, see ``data/schemes/*.json``) are typed:

- ``at_least``: the figure named by ``figure`` must be ``>= threshold`` ("不低于", "不少于", "以上"
  include the number itself);
- ``latest_at_least``: the figure is a yearly series, oldest first; its last entry (the latest year)
  must be ``>= threshold``;
- ``growth``: the yearly series must rise in each of the last ``years`` years: every one of the last
  ``years`` entries strictly above the entry before it, so ``years + 1`` entries are needed ("近两年
  服务企业数量稳定增长": each of the last two years above the year before; equal is not growth);
- ``judgement``: left to the reviewer; ``met`` is always None and never makes ``eligible`` false.

A numeric criterion may carry ``zone_thresholds`` (``{"liangyi": 50}``): a district whose zone in the
scheme's ``zone_grouping`` on ``zone_reference_date`` is that zone, or a zone nested in it (渝东北翼 in
两翼), gets that threshold instead. Shares (``unit`` "%") are fractions 0–1, as the API takes them.
Every comparison is in :class:`~decimal.Decimal`, so 49.99 is below 50 and 0.7999 below 0.80.

The figures a scheme needs follow from its criteria (:func:`figure_specs`), so a district's copy of a
scheme may add a criterion on a new figure without code. ``services`` (the application form) and the
public self-check (``selfcheck_views``) both call this module.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from sme.regions.models import Region, Zone

    from .models import Scheme

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
    label: str
    unit: str
    series: bool = False
    integer: bool = False
    share: bool = False
    min_years: int = 1  # series only: how many years the criteria need

    def example(self) -> str:
        if self.series:
            return "[70, 80, 90]"
        if self.share:
            return "0.85"
        return "20" if self.integer else "120.5"


def _figure_label(name: str, criterion: Mapping[str, Any]) -> str:
    label = FIGURE_LABELS.get(name)
    return str(label) if label is not None else str(criterion.get("label") or name)


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
                add(_("门槛应为不小于 0 的数，收到 %(raw)s。") % {"raw": _shown(bound)})
            elif share and bound > 1:
                add(
                    _("比例的门槛应为 0 到 1 之间的小数（如 0.6 表示 60%%），收到 %(raw)s。")
                    % {"raw": _shown(bound)}
                )
        if kind == GROWTH:
            years = c.get("years")
            if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 10:
                add(_("增长条件的 years 应为 1 到 10 的整数。"))
    if problems:
        raise EligibilityInputError(problems)


# --- parsing the figures -------------------------------------------------------------------------


def _shown(value: Any) -> str:
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


def _integral(number: Decimal) -> bool:
    return number == number.to_integral_value()


def _parse_scalar(spec: FigureSpec, value: Any) -> tuple[Decimal | int | None, str | None]:
    names = {"label": spec.label, "unit": spec.unit, "raw": _shown(value), "example": spec.example()}
    number = _decimal(value)
    if number is None:
        if spec.share:
            return None, _(
                "%(label)s应为 0 到 1 之间的数（如 %(example)s 表示 85%%），收到 %(raw)s。"
            ) % names
        return None, _("%(label)s应为数字（%(unit)s，如 %(example)s），收到 %(raw)s。") % names
    if number < 0:
        return None, _("%(label)s不能为负数，收到 %(raw)s。") % names
    if spec.share and number > 1:
        return None, _("%(label)s应为 0 到 1 之间的数（如 0.85 表示 85%%），收到 %(raw)s。") % names
    if spec.integer:
        if not _integral(number):
            return None, _("%(label)s应为整数（%(unit)s），收到 %(raw)s。") % names
        return int(number), None
    return number, None


def _parse_series(spec: FigureSpec, value: Any) -> tuple[list[Any] | None, str | None]:
    names = {"label": spec.label, "unit": spec.unit, "n": spec.min_years, "example": spec.example()}
    if not isinstance(value, list | tuple):
        return None, (
            _(
                "%(label)s应为按年份从早到晚排列的数列（%(unit)s，最后一项为最近一年），如 %(example)s，收到 %(raw)s。"
            )
            % {**names, "raw": _shown(value)}
        )
    if len(value) < spec.min_years:
        return None, (
            _("%(label)s至少需要最近 %(n)s 年的数据（从早到晚排列，最后一项为最近一年），收到 %(got)s 年。")
            % {**names, "got": len(value)}
        )
    parsed: list[Any] = []
    bad: list[str] = []
    for position, item in enumerate(value, start=1):
        number = _decimal(item)
        if number is None or number < 0 or (spec.integer and not _integral(number)):
            bad.append(_("第%(n)s项 %(raw)s") % {"n": position, "raw": _shown(item)})
        else:
            parsed.append(int(number) if spec.integer else number)
    if bad:
        rule = _("不小于 0 的整数") if spec.integer else _("不小于 0 的数")
        return None, (
            _("%(label)s的每一项应为%(rule)s（%(unit)s）：%(bad)s 不符合。")
            % {**names, "rule": rule, "bad": "，".join(bad)}
        )
    return parsed, None


def parse_figures(criteria: Iterable[Mapping[str, Any]], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The figures the numeric criteria need, checked: numbers (not booleans or strings), not
    negative, shares 0–1, integers where the criterion says so, series long enough for the growth
    rule. Decimals for numbers and shares, ``int`` for integers, a list for a series.

    Raises :class:`EligibilityInputError` naming every missing or malformed figure; figures no
    criterion needs are ignored.
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
                    "unit": spec.unit,
                    "n": spec.min_years,
                }
            elif spec.share:
                message = _("缺少%(label)s（0 到 1 之间的数，如 0.85 表示 85%%）。") % {"label": spec.label}
            else:
                message = _("缺少%(label)s（%(unit)s）。") % {"label": spec.label, "unit": spec.unit}
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


# --- the result ----------------------------------------------------------------------------------


def _json_number(value: Decimal | int) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if _integral(value) else float(value)
    return value


def _plain(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if not _integral(value) else str(int(value))
    return str(value)


def _with_unit(value: Decimal | int, unit: str) -> str:
    if unit == SHARE_UNIT:
        return f"{_plain(Decimal(value) * 100)}%"
    return f"{_plain(value)} {unit}".rstrip()


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    article: str
    kind: str
    met: bool | None  # None: for the reviewer
    value: Any  # Decimal, int, a list of yearly figures (growth), or None (judgement)
    threshold: Decimal | int | None  # for growth: the number of years that must each rise
    unit: str
    description: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.met])

    @property
    def status(self) -> str:
        return {True: "met", False: "unmet", None: "reviewer"}[self.met]

    @property
    def value_display(self) -> str:
        """The figure as people read it: "49.99 万元", "64%", "70 → 80 → 90 家"."""
        if self.value is None:
            return ""
        if isinstance(self.value, list):
            shown = " → ".join(_plain(v) for v in self.value)
            return f"{shown} {self.unit}".rstrip()
        return _with_unit(self.value, self.unit)

    @property
    def threshold_display(self) -> str:
        """The requirement: "≥ 50 万元", "≥ 80%", "近2年逐年增长"."""
        if self.threshold is None:
            return ""
        if self.kind == GROWTH:
            return _("近%(n)s年逐年增长") % {"n": self.threshold}
        return f"≥ {_with_unit(self.threshold, self.unit)}"

    def as_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, list):
            value = [_json_number(v) for v in value]
        elif value is not None:
            value = _json_number(value)
        return {
            "key": self.key,
            "label": self.label,
            "article": self.article,
            "kind": self.kind,
            "met": self.met,
            "value": value,
            "threshold": None if self.threshold is None else _json_number(self.threshold),
            "unit": self.unit,
        }


@dataclass(frozen=True)
class EligibilityResult:
    scheme_code: str
    scheme_version: int
    eligible: bool  # every machine-checked criterion met; criteria for the reviewer do not count
    zone: str | None  # the innermost zone key (e.g. "yudongbei-yi"), None without zones
    zone_label: str  # "两翼 · 渝东北翼"
    criteria: list[CriterionResult] = field(default_factory=list)
    zone_keys: tuple[str, ...] = ()  # the zone and the zones holding it, innermost first

    @property
    def unmet(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.met is False]

    @property
    def for_reviewer(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.met is None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "zone": self.zone,
            "zone_label": self.zone_label,
            "scheme": {"code": self.scheme_code, "version": self.scheme_version},
            "criteria": [c.as_dict() for c in self.criteria],
        }


# --- evaluation ----------------------------------------------------------------------------------


def zone_chain(scheme: Scheme, district: Region | None) -> list[Zone]:
    """The district's zone in the scheme's grouping on the scheme's reference date, then the zones
    that hold it (渝东北翼, 两翼). Empty for a scheme without zones or a district outside them."""
    if not scheme.zone_grouping or district is None:
        return []
    from sme.regions.selectors import zone_of

    zone = zone_of(district, scheme.zone_grouping, on=scheme.zone_reference_date or dt.date.today())
    chain: list[Zone] = []
    while zone is not None and len(chain) < 10:
        chain.append(zone)
        zone = zone.parent
    return chain


def _zone_label(scheme: Scheme, district: Region | None, chain: Sequence[Zone]) -> str:
    if chain:
        return " · ".join(z.name for z in reversed(chain))
    if scheme.zone_grouping and district is not None:
        return _("不在本办法的分区内，按一般标准判断")
    return ""


def threshold_for(criterion: Mapping[str, Any], zone_keys: Sequence[str]) -> Decimal:
    """The criterion's threshold for a district in ``zone_keys`` (innermost first): the first zone
    with its own threshold wins, else the general one."""
    variants = criterion.get("zone_thresholds") or {}
    bound = next((variants[key] for key in zone_keys if key in variants), criterion["threshold"])
    return Decimal(repr(bound)) if isinstance(bound, float) else Decimal(bound)


def _judge(
    criterion: Mapping[str, Any], figures: Mapping[str, Any], zone_keys: Sequence[str]
) -> CriterionResult:
    kind = criterion["kind"]
    common = {
        "key": criterion["key"],
        "label": criterion["label"],
        "article": criterion.get("article", ""),
        "kind": kind,
        "unit": str(criterion.get("unit", "")) if kind != JUDGEMENT else "",
        "description": criterion.get("description", ""),
    }
    if kind == JUDGEMENT:
        return CriterionResult(met=None, value=None, threshold=None, **common)
    value = figures[criterion["figure"]]
    if kind == GROWTH:
        years = int(criterion["years"])
        used = list(value[-(years + 1) :])
        met = all(later > earlier for earlier, later in itertools.pairwise(used))
        return CriterionResult(met=met, value=used, threshold=years, **common)
    if kind == LATEST_AT_LEAST:
        value = value[-1]
    bound = threshold_for(criterion, zone_keys)
    threshold: Decimal | int = int(bound) if criterion.get("integer") and _integral(bound) else bound
    return CriterionResult(met=Decimal(value) >= bound, value=value, threshold=threshold, **common)


def evaluate(scheme: Scheme, *, district: Region | None, figures: Mapping[str, Any]) -> EligibilityResult:
    """Every criterion of ``scheme`` for an applicant in ``district`` with ``figures``.

    ``figures`` may be raw (JSON numbers) or already parsed: they are checked again, and a missing
    or malformed one raises :class:`EligibilityInputError`. ``eligible`` is true when every
    machine-checked criterion is met; judgement criteria stay ``met=None`` for the reviewer.
    """
    parsed = parse_figures(scheme.criteria, figures)
    chain = zone_chain(scheme, district)
    zone_keys = tuple(z.key for z in chain)
    results = [_judge(c, parsed, zone_keys) for c in scheme.criteria]
    return EligibilityResult(
        scheme_code=scheme.code,
        scheme_version=scheme.version,
        eligible=all(r.met is not False for r in results),
        zone=zone_keys[0] if zone_keys else None,
        zone_label=_zone_label(scheme, district, chain),
        criteria=results,
        zone_keys=zone_keys,
    )


# --- the whole check: district, date and figures ------------------------------------------------


def _date_text(day: dt.date) -> str:
    return day.isoformat()


def in_force_problem(scheme: Scheme, on: dt.date) -> str | None:
    """Why ``scheme`` does not apply on ``on`` (its dates), or None when it does."""
    if scheme.in_force(on):
        return None
    names = {
        "on": _date_text(on),
        "name": scheme.name,
        "document": scheme.document_number or scheme.code,
        "since": _date_text(scheme.effective_from),
    }
    if on < scheme.effective_from:
        return _("%(on)s 时《%(name)s》（%(document)s）尚未施行：自 %(since)s 起施行。") % names
    assert scheme.effective_until is not None
    return _("%(on)s 时《%(name)s》（%(document)s）已停止适用：施行期为 %(since)s 至 %(until)s（不含）。") % {
        **names,
        "until": _date_text(scheme.effective_until),
    }


def scope_region(scheme: Scheme) -> Region:
    """The division whose districts may apply: the scheme's region, or the platform's jurisdiction
    for a national scheme."""
    if scheme.region_id is not None:
        assert scheme.region is not None
        return scheme.region
    from sme.regions.selectors import platform_jurisdiction

    return platform_jurisdiction()


def _district_message(raw: str) -> str:
    return _("所在区县应为 6 位行政区划代码（如 500101），收到 %(raw)s。") % {"raw": _shown(raw)}


def resolve_district(scheme: Scheme, raw: Any, on: dt.date) -> Region:
    """The district a code (or, for a functional zone without a code, its key) names: one in the
    scheme's region, in force on ``on`` or, failing that, today. Raises :class:`EligibilityInputError`
    naming ``district``."""
    from sme.regions.models import Region
    from sme.regions.selectors import covered_region_ids

    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        if raw is None or isinstance(raw, str):
            message = _("缺少所在区县（6 位行政区划代码，如 500101）。")
        else:
            message = _district_message(raw)
        raise EligibilityInputError([("district", message)])
    text = raw.strip()
    if re.fullmatch(r"\d{6}", text):
        candidates = list(Region.objects.districts().filter(code=text).order_by("-valid_from"))
    elif re.fullmatch(r"[a-z][a-z0-9-]{0,39}", text):  # a functional zone's key
        candidates = list(Region.objects.districts().filter(key=text))
    else:
        raise EligibilityInputError([("district", _district_message(text))])
    if not candidates:
        raise EligibilityInputError([("district", _("没有代码为 %(code)s 的区县。") % {"code": text})])
    scope = scope_region(scheme)
    covered = covered_region_ids(scope.pk)
    inside = [r for r in candidates if r.pk in covered]
    if not inside:
        message = _("%(name)s（%(code)s）不在《%(scheme)s》的适用地区（%(scope)s）内。") % {
            "name": candidates[0].name,
            "code": text,
            "scheme": scheme.name,
            "scope": scope.name,
        }
        raise EligibilityInputError([("district", message)])
    for region in inside:
        if region.is_current(on):
            return region
    for region in inside:
        if region.is_current():
            return region
    region = inside[0]
    successor = region.successor
    message = _("%(name)s（%(code)s）在 %(on)s 时不是有效的区县，现在也已撤销。") % {
        "name": region.name,
        "code": text,
        "on": _date_text(on),
    }
    if successor is not None:
        message += _("请改选%(name)s（%(code)s）。") % {
            "name": successor.name,
            "code": successor.code or successor.key,
        }
    raise EligibilityInputError([("district", message)])


def check(scheme: Scheme, *, district_code: Any, on: dt.date, raw_figures: Any) -> EligibilityResult:
    """The public check: the district and the date first, then the figures, then :func:`evaluate`.

    Raises :class:`EligibilityInputError` naming every problem at once: ``district`` (unknown, or not
    a district of the scheme's region), ``on`` (the scheme is not in force that day; its dates are
    given) and each missing or malformed figure.
    """
    problems: list[tuple[str, str]] = []
    district: Region | None = None
    try:
        district = resolve_district(scheme, district_code, on)
    except EligibilityInputError as error:
        problems.extend(error.problems)
    date_problem = in_force_problem(scheme, on)
    if date_problem:
        problems.append(("on", date_problem))
    figures: dict[str, Any] = {}
    if not isinstance(raw_figures, Mapping):
        example = '{"staff": 25, "smes_served_by_year": [70, 80, 90]}'
        problems.append(("figures", _("figures 应为对象，如 %(example)s。") % {"example": example}))
    else:
        try:
            figures = parse_figures(scheme.criteria, raw_figures)
        except EligibilityInputError as error:
            problems.extend(error.problems)
    if problems:
        raise EligibilityInputError(problems)
    return evaluate(scheme, district=district, figures=figures)
