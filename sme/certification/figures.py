"""Numbers people type into certification records, and what they add up to. Pure functions (no I/O):
the services check input with them, the forms and selectors show and total with them.

- the application report's yearly figures (the three full years before it is filed) and the extra
  figures a scheme's criteria need, read with :mod:`sme.core.parsing`;
- the eligibility figures a report gives (named as the eligibility check names them);
- score sheets: the experts' form and the 年度运营情况测评表 of a re-review, each item scored from 0 to
  its maximum with one decimal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sme.core import parsing
from sme.core.parsing import Problems

from . import names
from .eligibility import SHARE_UNIT
from .models import ApplicationYear, Scheme

YEARS_REPORTED = 3
COUNT_FIGURES = ("smes_served", "staff_total", "staff_qualified")
MONEY_FIGURES = ("revenue_wan", "service_revenue_wan", "assets_wan")
# The figures the yearly table itself gives the eligibility check (see figures_from_values).
DERIVED_FIGURES = frozenset(
    {
        "years_operating",
        "total_assets_wan",
        "staff",
        "qualified_staff_share",
        "smes_served_by_year",
        "satisfaction",
    }
)


def report_years(today: dt.date) -> list[int]:
    """The three full years an application filed on ``today`` reports, oldest first."""
    return list(range(today.year - YEARS_REPORTED, today.year))


def plain(value: Any) -> Any:
    """A stored value as a form or a snapshot shows it: decimals without trailing zeros, ISO dates."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- shares ------------------------------------------------------------------------------------
#
# One rule for every share people type, :func:`sme.core.parsing.share`: "30%" or a fraction 0.3. What a
# bare number means depends on where it is typed, and each place says so:
# - a page's field labelled "%" takes a percent: "30" is 30 % (the page adds the sign, see
#   :func:`as_percent_text`), and "30%" reads the same;
# - the API and the services take a fraction 0–1 (0.3) or a string with its sign ("30%"); a bare 30
#   is refused with both ways of writing it, since it could mean either.

PERCENT_SIGNS = ("%", "％")


def as_percent_text(raw: Any) -> Any:
    """What was typed into a field labelled "%", as :func:`sme.core.parsing.share` reads a percent:
    a bare number gets its sign ("30" → "30%"); anything else is passed on as typed, for the parser to
    name."""
    if raw is None or not isinstance(raw, str | int | float | Decimal) or isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    if not text or text.endswith(PERCENT_SIGNS):
        return text
    probe = Problems()
    if parsing.number(text, "share", probe, places=12, minimum=None) is None:
        return text
    return f"{text}%"


def percent_typed(raw: Any, field: str, problems: Problems, *, label: Any) -> Decimal | None:
    """A share typed into a page's field labelled "%", as the fraction 0–1 it stands for ("30" and
    "30%" are 0.3); a problem names the field as the page labels it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    probe = Problems()
    value = parsing.share(as_percent_text(raw), field, probe, label=label, places=12)
    if probe:
        shown = str(raw).strip()
        problems.add(
            field,
            _("%(label)s应为 0 到 100 之间的百分数，收到“%(raw)s”。")
            % {"label": label, "raw": shown if len(shown) <= 40 else shown[:40] + "…"},
        )
        return None
    return value


def percent_of(share: Any) -> str:
    """A stored share (0.3, "0.3") as a field labelled "%" shows it: "30"."""
    try:
        number = Decimal(str(share))
    except InvalidOperation:
        return str(share)
    return plain((number * 100).normalize())


def long_date(day: dt.date) -> str:
    """A day as the reader's language writes it in a sentence: 2026年3月31日, March 31, 2026."""
    return date_format(day, "DATE_FORMAT")


def shown(value: Any) -> str:
    """A figure or a list of them as a message quotes it: "49.99", "70、80、90"."""
    if isinstance(value, list):
        return "、".join(shown(v) for v in value)
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


# --- the yearly table ---------------------------------------------------------------------------


def clean_years(
    rows: Sequence[Mapping[str, Any]], expected: Iterable[int], problems: Problems
) -> list[dict[str, Any]]:
    """The figures of each ``expected`` year from ``rows`` (``{"year": 2025, "smes_served": "90", …}``),
    as numbers; problems are named ``years.<year>.<figure>``. A year missing from ``rows`` is empty."""
    cleaned: list[dict[str, Any]] = []
    by_year = {int(row["year"]): row for row in rows if str(row.get("year", "")).isdigit()}
    for year in expected:
        row = by_year.get(year, {})
        prefix = f"years.{year}."

        def label(name: str, year: int = year) -> str:
            return _("%(year)s年%(figure)s") % {"year": year, "figure": ApplicationYear.figure_label(name)}

        values: dict[str, Any] = {"year": year}
        for name in COUNT_FIGURES:
            values[name] = parsing.integer(row.get(name), prefix + name, problems, label=label(name))
        for name in MONEY_FIGURES:
            values[name] = parsing.number(row.get(name), prefix + name, problems, label=label(name))
        # Typed into a column labelled "%": "92.5" and "92.5%" are both 92.5 %; stored as the percent.
        satisfaction = percent_typed(
            row.get("satisfaction_percent"),
            prefix + "satisfaction_percent",
            problems,
            label=label("satisfaction_percent"),
        )
        values["satisfaction_percent"] = _percent_with_two_places(
            satisfaction, prefix + "satisfaction_percent", problems, label("satisfaction_percent")
        )
        total, qualified = values["staff_total"], values["staff_qualified"]
        if total is not None and qualified is not None and qualified > total:
            problems.add(
                prefix + "staff_qualified",
                _("%(year)s年：大专及以上或中级及以上人数不能多于从业人员总数。") % {"year": year},
            )
        revenue, service = values["revenue_wan"], values["service_revenue_wan"]
        if revenue is not None and service is not None and service > revenue:
            problems.add(
                prefix + "service_revenue_wan", _("%(year)s年：服务收入不能高于营业收入。") % {"year": year}
            )
        cleaned.append(values)
    return cleaned


def _percent_with_two_places(
    share: Decimal | None, field: str, problems: Problems, label: str
) -> Decimal | None:
    if share is None:
        return None
    percent = share * 100
    if percent != percent.quantize(Decimal("0.01")):
        problems.add(field, _("%(label)s最多保留%(n)s位小数。") % {"label": label, "n": 2})
        return None
    return percent.quantize(Decimal("0.01"))


def extra_figure_specs(scheme: Scheme) -> list[dict[str, Any]]:
    """Numeric figures a scheme's criteria need beyond what the yearly table gives:
    ``[{"key", "label", "unit", "unit_label"}]``, each once, named in the reader's language."""
    extra = []
    for c in scheme.criteria:
        figure = c.get("figure")
        if c.get("kind") != "judgement" and figure and figure not in DERIVED_FIGURES:
            extra.append(
                {
                    "key": figure,
                    "label": names.local(c, "figure_label") or names.local(c),
                    "unit": c.get("unit", ""),
                    "unit_label": names.local(c, "unit"),
                }
            )
    return list({e["key"]: e for e in extra}.values())


def is_share(spec: Mapping[str, Any]) -> bool:
    return spec.get("unit") == SHARE_UNIT


def clean_extra_figures(scheme: Scheme, raw: Mapping[str, Any], problems: Problems) -> dict[str, str]:
    """The extra figures as stored (decimal text, up to four places; a share as its fraction 0–1,
    read by :func:`sme.core.parsing.share`: "30%" or 0.3); problems named ``extra.<key>``."""
    specs = {e["key"]: e for e in extra_figure_specs(scheme)}
    extras: dict[str, str] = {}
    for key, value in raw.items():
        spec = specs.get(key, {})
        field, label = f"extra.{key}", spec.get("label", "")
        if is_share(spec):
            number = parsing.share(value, field, problems, label=label, places=4)
        else:
            number = parsing.number(value, field, problems, label=label, places=4)
        if number is not None:
            extras[key] = str(number)
    return extras


# --- the eligibility figures of a report ----------------------------------------------------------


def figures_from_values(
    established_on: dt.date | None, years: Sequence[ApplicationYear], extra: Mapping[str, Any], on: dt.date
) -> dict[str, Any]:
    """The eligibility figures a report gives, named as the eligibility API names them.

    Years operating count from the founding date to ``on``; the other figures are the latest
    reported year's, with SMEs served for every reported year, oldest first. Figures the report
    leaves empty are left out, so the check names them as missing.
    """
    ordered = sorted(years, key=lambda y: y.year)
    figures: dict[str, Any] = {}
    if established_on:
        days = (on - established_on).days
        figures["years_operating"] = (Decimal(days) / Decimal("365.25")).quantize(
            Decimal("0.01"), rounding="ROUND_FLOOR"
        )
    if ordered:
        latest = ordered[-1]
        if latest.assets_wan is not None:
            figures["total_assets_wan"] = latest.assets_wan
        if latest.staff_total is not None:
            figures["staff"] = latest.staff_total
            if latest.staff_qualified is not None:
                share = (
                    Decimal(latest.staff_qualified) / Decimal(latest.staff_total)
                    if latest.staff_total
                    else Decimal(0)
                )
                figures["qualified_staff_share"] = share.quantize(Decimal("0.0001"), rounding="ROUND_FLOOR")
        if all(y.smes_served is not None for y in ordered):
            figures["smes_served_by_year"] = [y.smes_served for y in ordered]
        if latest.satisfaction_percent is not None:
            figures["satisfaction"] = latest.satisfaction_percent / Decimal(100)
    for key, value in extra.items():
        try:
            figures.setdefault(key, Decimal(str(value)))
        except InvalidOperation:  # left out: the check then names it as missing
            continue
    return figures


def as_json_numbers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Decimals as the JSON numbers the eligibility parser takes (it compares with Decimal again)."""

    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral() else float(value)
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return {k: convert(v) for k, v in raw.items()}


# --- score sheets -------------------------------------------------------------------------------


def clean_scores(
    items: Iterable[Mapping[str, Any]],
    raw: Mapping[str, Any] | None,
    *,
    prefix: str,
    problems: Problems,
    complete: bool,
) -> tuple[dict[str, Decimal], Decimal]:
    """Scores on a score sheet: each item 0..its ``max_score`` with one decimal, and their total.

    Problems are named ``<prefix>.<item key>``; with ``complete`` every item must be scored. Keys not
    on the sheet are ignored.
    """
    raw = raw or {}
    cleaned: dict[str, Decimal] = {}
    total = Decimal(0)
    for item in items:
        key = item["key"]
        name = f"{prefix}.{key}"
        had_problem = name in problems
        value = parsing.number(
            raw.get(key),
            name,
            problems,
            label=_("「%(item)s」") % {"item": names.local(item)},
            places=1,
            maximum=Decimal(str(item["max_score"])),
        )
        if value is None:
            if complete and (name in problems) == had_problem:
                problems.add(name, _("请为「%(item)s」打分。") % {"item": names.local(item)})
            continue
        cleaned[key] = value
        total += value
    return cleaned, total


def annual_form_items(scheme: Scheme) -> list[dict[str, Any]]:
    """The items of the scheme's 年度运营情况测评表: ``[{"key", "label", "max_score"}]``."""
    return list((scheme.annual_form or {}).get("items", []))


def annual_form_pass_score(scheme: Scheme) -> Decimal | None:
    value = (scheme.annual_form or {}).get("pass_score")
    return None if value is None else Decimal(str(value))


def annual_form_max_total(scheme: Scheme) -> Decimal:
    return sum((Decimal(str(i["max_score"])) for i in annual_form_items(scheme)), Decimal(0))


def scores_total(scheme: Scheme, scores: Mapping[str, Any]) -> Decimal:
    """The total of stored scores on the scheme's annual form (for display)."""
    total = Decimal(0)
    for item in annual_form_items(scheme):
        try:
            total += Decimal(str(scores.get(item["key"], 0) or 0))
        except InvalidOperation:
            continue
    return total


def running_total(items: Iterable[Mapping[str, Any]], raw: Mapping[str, Any]) -> Decimal:
    """The total of the scores typed so far (the page's live total): bad or too high ones count 0."""
    total = Decimal(0)
    for item in items:
        value = parsing.number(
            raw.get(item["key"]), "score", Problems(), places=1, maximum=Decimal(str(item["max_score"]))
        )
        if value is not None:
            total += value
    return total
