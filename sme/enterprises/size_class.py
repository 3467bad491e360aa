"""Enterprise size class by 《中小企业划型标准规定》 (工信部联企业〔2011〕300号), as a pure function.

``classify`` works on a :class:`Rules` snapshot (one version of the standard plus the GB/T 4754-2017
code list), built from the data files (:func:`rules_from_data`) or from the loaded rows
(``selectors.rules_on``). Nothing here touches the database.

The rule, as standards.md section 1 states it: each band (大型, 中型, 小型) has a lower bound for every
indicator its group lists; the class is the highest band whose every lower bound is met ("N及以上" is
``>= N``, "N人以下" is ``< N``), and 微型 when even one 小型 bound is missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sme.core.messages import Message, as_message, msg

from . import industry_codes, reasons
from .reasons import INDICATOR_NAMES, INDICATOR_UNITS, SIZE_LABELS, DataText

BANDS = ("large", "medium", "small")  # highest first; below "small" is "micro"
SIZES = (*BANDS, "micro")
INDICATORS = ("employees", "revenue", "assets")

Figure = int | Decimal


class SizeInputError(ValueError):
    """The input cannot be classified as given: each problem is ``(field, message)``, a message
    (``sme.core.messages``) or text; ``errors`` are the texts in the active language."""

    def __init__(self, problems: Sequence[tuple[str, Message | str]]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(self.errors))

    @property
    def errors(self) -> list[str]:
        return [str(message) for _field, message in self.problems]

    @property
    def messages(self) -> list[Message]:
        return [as_message(message) for _field, message in self.problems]

    @property
    def fields(self) -> set[str]:
        return {name for name, _message in self.problems}


@dataclass(frozen=True)
class Group:
    number: int
    name: str
    indicators: tuple[str, ...]
    thresholds: Mapping[str, Mapping[str, Decimal]]  # band -> indicator -> lower bound


@dataclass(frozen=True)
class MapEntry:
    group: int | None
    reason: str = ""
    exact: bool = False  # applies to the code exactly as given, not to the codes below it
    reason_en: str = ""

    @property
    def reason_text(self) -> DataText:
        return DataText(self.reason, self.reason_en)


@dataclass(frozen=True)
class Industry:
    code: str
    level: str  # section / division / group / class
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Rules:
    version: str
    name: str
    document: str
    effective_from: dt.date
    effective_to: dt.date | None
    groups: Mapping[int, Group]
    industry_map: Mapping[str, MapEntry]
    unmapped_reason: str
    industries: Mapping[str, Industry] = field(default_factory=dict)
    unmapped_reason_en: str = ""

    def unmapped(self, industry: Industry) -> DataText:
        """Why ``industry`` cannot be classified by this standard (it is in none of its groups)."""
        return DataText(
            self.unmapped_reason.format(code=industry.code, name=industry.name),
            self.unmapped_reason_en.format(code=industry.code, name=industry.name),
        )

    def refusal(self, entry: MapEntry | None, industry: Industry) -> DataText:
        """Why ``industry`` is not classified: its map entry's reason, or the general one."""
        return entry.reason_text if entry is not None else self.unmapped(industry)

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "document": self.document,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
        }


@dataclass(frozen=True)
class SizeResult:
    size: str | None  # large / medium / small / micro, or None when the standard does not apply
    industry: Industry
    group: Group | None
    figures: Mapping[str, Figure]  # the figures the group uses
    reasons: list[str]
    rules: Rules

    @property
    def label(self) -> str:
        return str(SIZE_LABELS[self.size]) if self.size else _("不能按本标准划型")

    def as_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "label": self.label,
            "industry": {"code": self.industry.code, "name": self.industry.name},
            "group": {"number": self.group.number, "name": self.group.name} if self.group else None,
            "reasons": list(self.reasons),
            "figures": {k: _json_number(v) for k, v in self.figures.items()},
            "rule": self.rules.as_dict(),
        }


# --- building a snapshot ------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def rules_from_data(standard: Mapping[str, Any], codes: Iterable[Mapping[str, Any]] = ()) -> Rules:
    """A snapshot from one entry of a size-standard data file and the industry code rows.

    Checks the data's consistency (known bands and indicators, a bound for every listed indicator in
    every band, mapped groups that exist) and raises ``ValueError`` naming the mistake.
    """
    groups: dict[int, Group] = {}
    for row in standard["groups"]:
        number = int(row["number"])
        indicators = tuple(row["indicators"])
        if not indicators or set(indicators) - set(INDICATORS):
            raise ValueError(f"group {number}: unknown or no indicators {indicators}")
        thresholds: dict[str, dict[str, Decimal]] = {}
        if set(row["thresholds"]) != set(BANDS):
            raise ValueError(f"group {number}: thresholds must give exactly the bands {BANDS}")
        for band in BANDS:
            bounds = row["thresholds"][band]
            if set(bounds) != set(indicators):
                raise ValueError(f"group {number}, {band}: a bound for each of {indicators} is required")
            thresholds[band] = {k: Decimal(str(bounds[k])) for k in indicators}
        groups[number] = Group(number, row["name"], indicators, thresholds)
    industry_map: dict[str, MapEntry] = {}
    for entry in standard["industry_map"]:
        group = entry.get("group")
        if group is not None and group not in groups:
            raise ValueError(f"industry map names group {group}, which the standard does not have")
        if group is None and not entry.get("reason"):
            raise ValueError(f"industry map entry {entry['codes']} without a group needs a reason")
        for code in entry["codes"]:
            if code in industry_map:
                raise ValueError(f"industry code {code} is mapped twice")
            industry_map[code] = MapEntry(
                group, entry.get("reason", ""), bool(entry.get("exact")), entry.get("reason_en", "")
            )
    industries = {
        row["code"]: Industry(row["code"], row["level"], row["name"], row.get("parent")) for row in codes
    }
    effective_from = _date(standard["effective_from"])
    if effective_from is None:
        raise ValueError("effective_from is required")
    return Rules(
        version=str(standard["version"]),
        name=standard["name"],
        document=standard["document"],
        effective_from=effective_from,
        effective_to=_date(standard.get("effective_to")),
        groups=groups,
        industry_map=industry_map,
        unmapped_reason=standard.get("unmapped_reason", ""),
        industries=industries,
        unmapped_reason_en=standard.get("unmapped_reason_en", ""),
    )


# --- industry code resolution -------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    industry: Industry  # the code as given, as loaded
    chain: tuple[str, ...]  # the code as stored, then its ancestors up to its 门类
    entry: MapEntry | None
    matched: str | None  # the code on the chain whose mapping applied


def resolve_industry(raw: str, rules: Rules) -> Resolution:
    """The chain of a GB/T 4754-2017 code (e.g. 5920 → 592 → 59 → G, or I6513 → 6513 → 651 → 65 → I)
    and the mapping that applies: the most specific code on the chain that the standard's industry
    map names. The code is read by ``industry_codes.parse_industry_code``, as everywhere."""
    try:
        parsed = industry_codes.parse_industry_code(raw, rules.industries)
    except industry_codes.IndustryCodeError as exc:
        raise SizeInputError([("industry", exc.message)]) from exc
    chain = parsed.chain
    industry = rules.industries[parsed.code]
    matched = next(
        (c for c in chain if c in rules.industry_map and (c == chain[0] or not rules.industry_map[c].exact)),
        None,
    )
    entry = rules.industry_map[matched] if matched else None
    return Resolution(industry, tuple(chain), entry, matched)


# --- classification -----------------------------------------------------------------------------


def _fmt(value: Figure) -> str:
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    return str(value)


def _json_number(value: Figure) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def indicator_names(indicators: Sequence[str]) -> Message:
    """The group's indicators, joined: "从业人员和营业收入"."""
    return reasons.indicator_list(indicators)


def _check_figures(group: Group, figures: Mapping[str, Figure | None]) -> dict[str, Figure]:
    problems: list[tuple[str, Message | str]] = []
    used: dict[str, Figure] = {}
    for indicator in group.indicators:
        value = figures.get(indicator)
        name = INDICATOR_NAMES[indicator]
        if value is None:
            problems.append(
                (
                    indicator,
                    msg(
                        reasons.MISSING,
                        name=name,
                        unit=INDICATOR_UNITS[indicator],
                        number=group.number,
                        group=group.name,
                        indicators=indicator_names(group.indicators),
                    ),
                )
            )
        elif isinstance(value, Decimal) and not value.is_finite():
            problems.append((indicator, msg(reasons.NOT_FINITE, name=name)))
        elif value < 0:
            problems.append((indicator, msg(reasons.NEGATIVE, name=name)))
        elif indicator == "employees" and not (isinstance(value, int) or value == int(value)):
            problems.append((indicator, msg(reasons.NOT_WHOLE)))
        else:
            used[indicator] = value
    if problems:
        raise SizeInputError(problems)
    return used


def header_fact(code: str, industry: Industry, group: Group) -> list[Any]:
    """ "行业代码 3411（…）属于第2组“工业”，按从业人员和营业收入划型。" as a stored fact."""
    return ["group", code, industry.name, group.number, group.name, list(group.indicators)]


def band_facts(group: Group, figures: Mapping[str, Figure], size: str) -> list[list[Any]]:
    """Each band tried from the top: the figures below its bounds, then the band whose every bound
    is met (or why 微型), as stored facts (``reasons``)."""
    said: list[list[Any]] = []
    for band in BANDS:
        bounds = group.thresholds[band]
        if band == size:
            said.append(["reached", band, [[k, _fmt(figures[k]), _fmt(b)] for k, b in bounds.items()]])
            break
        said.append(
            ["below", band, [[k, _fmt(figures[k]), _fmt(b)] for k, b in bounds.items() if figures[k] < b]]
        )
    if size == "micro":
        said.append(["micro"])
    return said


def band_of(group: Group, figures: Mapping[str, Figure]) -> str:
    """The highest band whose every lower bound ``figures`` meet, else ``"micro"``."""
    for band in BANDS:
        if all(figures[k] >= bound for k, bound in group.thresholds[band].items()):
            return band
    return "micro"


def classify(
    industry_code: str,
    employees: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
    on: dt.date | None = None,
    *,
    standard: Rules,
) -> SizeResult:
    """The size class of an enterprise in ``industry_code`` with the given yearly figures, by
    ``standard`` (``selectors.size_class_on`` takes the standard in force on a day).

    Figures the industry's group does not use are ignored; a missing or negative figure it needs
    raises :class:`SizeInputError` listing every problem, as does an unknown industry code. An
    industry the standard does not cover gives ``size=None`` with the reason, never a guess.
    """
    if on is not None and not standard.in_force(on):
        raise SizeInputError(
            [
                (
                    "on",
                    _("%(date)s 时《%(name)s》（%(document)s）不在施行期内。")
                    % {"date": on.isoformat(), "name": standard.name, "document": standard.document},
                )
            ]
        )
    resolution = resolve_industry(industry_code, standard)
    industry = resolution.industry
    entry = resolution.entry
    if entry is None or entry.group is None:
        return SizeResult(None, industry, None, {}, [standard.refusal(entry, industry).render()], standard)

    group = standard.groups[entry.group]
    given: dict[str, Figure | None] = {
        "employees": employees,
        "revenue": revenue_wan,
        "assets": assets_wan,
    }
    figures = _check_figures(group, given)
    size = band_of(group, figures)
    said = [header_fact(resolution.chain[0], industry, group), *band_facts(group, figures, size)]
    ignored = [k for k in INDICATORS if k not in group.indicators and given[k] is not None]
    if ignored:
        said.append(["ignored", ignored])
    explained = [reasons.render_reason(fact) for fact in said]
    return SizeResult(size, industry, group, figures, explained, standard)
