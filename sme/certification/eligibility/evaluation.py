"""The eligibility result: each criterion judged for an applicant's district, zone and figures, and
the public check that first resolves the district and the date."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from sme.core import clock
from sme.regions.models import Region
from sme.regions.selectors import covered_region_ids, platform_jurisdiction, zone_of

from .. import names
from .criteria import (
    GROWTH,
    JUDGEMENT,
    LATEST_AT_LEAST,
    SHARE_UNIT,
    STATUS_LABELS,
    EligibilityInputError,
    is_integral,
    parse_figures,
    shown_input,
)

if TYPE_CHECKING:
    from sme.regions.models import Zone

    from ..models import Scheme

# --- the result ----------------------------------------------------------------------------------


def _json_number(value: Decimal | int) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if is_integral(value) else float(value)
    return value


def _plain(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if not is_integral(value) else str(int(value))
    return str(value)


def _with_unit(value: Decimal | int, unit: str, shown: str = "") -> str:
    if unit == SHARE_UNIT:
        return f"{_plain(Decimal(value) * 100)}%"
    return f"{_plain(value)} {shown or unit}".rstrip()


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    article: str
    kind: str
    met: bool | None  # None: for the reviewer
    value: Any  # Decimal, int, a list of yearly figures (growth), or None (judgement)
    threshold: Decimal | int | None  # for growth: the number of years that must each rise
    unit: str  # as the scheme data writes it ("%" marks a share), also in the API's answer
    description: str = ""
    unit_label: str = ""  # the unit in the reader's language, for the displays below

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
            return f"{shown} {self.unit_label or self.unit}".rstrip()
        return _with_unit(self.value, self.unit, self.unit_label)

    @property
    def threshold_display(self) -> str:
        """The requirement: "≥ 50 万元", "≥ 80%", "近2年逐年增长"."""
        if self.threshold is None:
            return ""
        if self.kind == GROWTH:
            return _("近%(n)s年逐年增长") % {"n": self.threshold}
        return f"≥ {_with_unit(self.threshold, self.unit, self.unit_label)}"

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
    zone = zone_of(district, scheme.zone_grouping, on=scheme.zone_reference_date or clock.today())
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
    # Names in the reader's language (the data's *_en in English); the rule reads the data as it is.
    common = {
        "key": criterion["key"],
        "label": names.local(criterion),
        "article": names.local(criterion, "article"),
        "kind": kind,
        "unit": str(criterion.get("unit", "")) if kind != JUDGEMENT else "",
        "description": names.local(criterion, "description"),
        "unit_label": names.local(criterion, "unit") if kind != JUDGEMENT else "",
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
    threshold: Decimal | int = int(bound) if criterion.get("integer") and is_integral(bound) else bound
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
    shown = {
        "on": _date_text(on),
        "name": scheme.display_name,
        "document": scheme.document_number or scheme.code,
        "since": _date_text(scheme.effective_from),
    }
    if on < scheme.effective_from:
        return _("%(on)s 时《%(name)s》（%(document)s）尚未施行：自 %(since)s 起施行。") % shown
    assert scheme.effective_until is not None
    return _("%(on)s 时《%(name)s》（%(document)s）已停止适用：施行期为 %(since)s 至 %(until)s（不含）。") % {
        **shown,
        "until": _date_text(scheme.effective_until),
    }


def scope_region(scheme: Scheme) -> Region:
    """The division whose districts may apply: the scheme's region, or the platform's jurisdiction
    for a national scheme."""
    if scheme.region_id is not None:
        assert scheme.region is not None
        return scheme.region
    return platform_jurisdiction()


def _district_message(raw: str) -> str:
    return _("所在区县应为 6 位行政区划代码（如 500101），收到 %(raw)s。") % {"raw": shown_input(raw)}


def resolve_district(scheme: Scheme, raw: Any, on: dt.date) -> Region:
    """The district a code (or, for a functional zone without a code, its key) names: one in the
    scheme's region, in force on ``on`` or, failing that, today. Raises :class:`EligibilityInputError`
    naming ``district``."""
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
            "scheme": scheme.display_name,
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


def check(
    scheme: Scheme,
    *,
    district_code: Any,
    on: dt.date,
    raw_figures: Any,
    shares_typed_in_percent: bool = False,
) -> EligibilityResult:
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
            figures = parse_figures(
                scheme.criteria, raw_figures, shares_typed_in_percent=shares_typed_in_percent
            )
        except EligibilityInputError as error:
            problems.extend(error.problems)
    if problems:
        raise EligibilityInputError(problems)
    return evaluate(scheme, district=district, figures=figures)
