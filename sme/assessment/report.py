"""Everything the report page and its PDF show about one submitted response, gathered once.

Figures come from the result stored at submission (never re-scored), so a report reads the same
however the questionnaire data changes later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .charts import Series, radar_svg
from .instrument import Instrument, LevelRule
from .models import AssessmentResponse, VerifiedScore
from .peers import PeerComparison, peer_comparison
from .recommendations import Recommendation, recommendations_for
from .selectors import instrument_for, latest_verified_score, submitted_history

SELF_COLOR = "#0d6efd"
T0_COLOR = "#fd7e14"


@dataclass(frozen=True)
class Change:
    """A difference shown as "+3.5 分" or "平均等级 +0.4"; None when there is nothing to compare."""

    value: Decimal
    unit: str  # "points" or "level"

    @property
    def text(self) -> str:
        sign = "+" if self.value > 0 else ""
        shown = f"{sign}{_num(self.value)}"
        return _("%(v)s 分") % {"v": shown} if self.unit == "points" else _("平均等级 %(v)s") % {"v": shown}

    @property
    def direction(self) -> str:
        return "up" if self.value > 0 else "down" if self.value < 0 else "same"


@dataclass
class DimensionRow:
    key: str
    name: str
    score: Decimal
    max: Decimal
    percent: Decimal | None
    is_scenarios: bool
    sub_dimensions: list[dict[str, Any]]
    scenario_counts: dict[str, int] = field(default_factory=dict)
    mean_level: Decimal | None = None
    since_t0: Change | None = None
    since_previous: Change | None = None
    peer_means: list[tuple[str, str]] = field(default_factory=list)  # (kind label, "12.5" or "—")


@dataclass
class Report:
    response: AssessmentResponse
    instrument: Instrument
    rule: LevelRule | None
    dimensions: list[DimensionRow]
    peers: list[PeerComparison]
    recommendations: list[Recommendation]
    history: list[AssessmentResponse]
    t0: AssessmentResponse | None
    previous: AssessmentResponse | None
    total_since_t0: Change | None
    total_since_previous: Change | None
    verified: VerifiedScore | None
    radar_axes: list[str]
    radar_series: list[Series]

    @property
    def any_peer_shown(self) -> bool:
        return any(p.shown for p in self.peers)

    @property
    def is_t0(self) -> bool:
        return self.t0 is None

    def radar_svg(self) -> str:
        return radar_svg(self.radar_axes, self.radar_series, title=_("各维度得分率雷达图"))

    def radar_json(self) -> dict[str, Any]:
        return {
            "indicators": [{"name": name, "max": 100} for name in self.radar_axes],
            "series": [
                {"name": s.name, "value": list(s.values), "color": s.color} for s in self.radar_series
            ],
        }


def _num(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.001")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _dims(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["key"]: d for d in result.get("dimensions", [])}


def _change(now: dict[str, Any] | None, then: dict[str, Any] | None) -> Change | None:
    if not now or not then:
        return None
    if Decimal(now["max"]) > 0:
        return Change(Decimal(now["score"]) - Decimal(then["score"]), "points")
    if now.get("mean_level") is not None and then.get("mean_level") is not None:
        return Change(Decimal(now["mean_level"]) - Decimal(then["mean_level"]), "level")
    return None


def _total_change(now: AssessmentResponse, then: AssessmentResponse | None) -> Change | None:
    if then is None or now.total is None or then.total is None:
        return None
    return Change(now.total - then.total, "points")


def build_report(response: AssessmentResponse) -> Report:
    instrument = instrument_for(response.questionnaire_id)
    result = response.result
    history = submitted_history(response)
    earlier = [r for r in history if (r.submitted_at, r.pk) < (response.submitted_at, response.pk)]
    t0 = earlier[0] if earlier else None
    previous = earlier[-1] if earlier else None
    peers = peer_comparison(response)
    t0_dims = _dims(t0.result) if t0 else {}
    prev_dims = _dims(previous.result) if previous else {}
    rows = []
    for d in result.get("dimensions", []):
        dimension_max = Decimal(d["max"])
        peer_means = []
        for p in peers:
            if (
                p.shown
                and p.dimension_means is not None
                and d["key"] in p.dimension_means
                and dimension_max > 0
            ):
                peer_means.append((p.kind_label, _num(Decimal(str(p.dimension_means[d["key"]])))))
            else:
                peer_means.append((p.kind_label, "—"))
        rows.append(
            DimensionRow(
                key=d["key"],
                name=d["name"],
                score=Decimal(d["score"]),
                max=dimension_max,
                percent=None if d.get("percent") is None else Decimal(d["percent"]),
                is_scenarios=bool(d.get("scenario_counts")) and dimension_max == 0,
                sub_dimensions=d.get("sub_dimensions", []),
                scenario_counts=d.get("scenario_counts", {}),
                mean_level=None if d.get("mean_level") is None else Decimal(d["mean_level"]),
                since_t0=_change(d, t0_dims.get(d["key"])),
                since_previous=_change(d, prev_dims.get(d["key"])),
                peer_means=peer_means,
            )
        )
    charted = [r for r in rows if r.percent is not None]
    axes = [r.name + (_("（场景等级）") if r.is_scenarios else "") for r in charted]
    series = [Series(_("本次评测"), [float(r.percent or 0) for r in charted], SELF_COLOR)]
    if t0 is not None:
        t0_percent = {k: v.get("percent") for k, v in t0_dims.items()}
        series.append(
            Series(
                _("首次评测（T0）"),
                [float(t0_percent.get(r.key) or 0) for r in charted],
                T0_COLOR,
            )
        )
    return Report(
        response=response,
        instrument=instrument,
        rule=instrument.level_rule(response.level_rule_key),
        dimensions=rows,
        peers=peers,
        recommendations=recommendations_for(instrument, result),
        history=history,
        t0=t0,
        previous=previous,
        total_since_t0=_total_change(response, t0),
        total_since_previous=_total_change(response, previous),
        verified=latest_verified_score(response),
        radar_axes=axes,
        radar_series=series,
    )
