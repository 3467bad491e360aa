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
scheme may add a criterion on a new figure without code. The application (``selectors.applications``)
and the public self-check (``views.selfcheck``, ``api``) both call this package.

- :mod:`.criteria`: the kinds of criterion, the figures they need, checking the scheme data and the
  figures given;
- :mod:`.evaluation`: the result, zones and thresholds, the district and the date.
"""

from .criteria import (
    AT_LEAST,
    FIGURE_LABELS,
    GROWTH,
    JUDGEMENT,
    KINDS,
    LATEST_AT_LEAST,
    NUMERIC_KINDS,
    SERIES_KINDS,
    SHARE_UNIT,
    STATUS_LABELS,
    EligibilityInputError,
    FigureSpec,
    figure_specs,
    parse_figures,
    validate_criteria,
)
from .evaluation import (
    CriterionResult,
    EligibilityResult,
    check,
    evaluate,
    in_force_problem,
    resolve_district,
    scope_region,
    threshold_for,
    zone_chain,
)

__all__ = [
    "AT_LEAST",
    "FIGURE_LABELS",
    "GROWTH",
    "JUDGEMENT",
    "KINDS",
    "LATEST_AT_LEAST",
    "NUMERIC_KINDS",
    "SERIES_KINDS",
    "SHARE_UNIT",
    "STATUS_LABELS",
    "CriterionResult",
    "EligibilityInputError",
    "EligibilityResult",
    "FigureSpec",
    "check",
    "evaluate",
    "figure_specs",
    "in_force_problem",
    "parse_figures",
    "resolve_district",
    "scope_region",
    "threshold_for",
    "validate_criteria",
    "zone_chain",
]
