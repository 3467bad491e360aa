"""Peers: where an enterprise stands against enterprises of the same industry group, size class
and district.

Each submitted response stores its peer keys at submission (:func:`peer_keys_for`). The averages
live in a pre-aggregated table (:class:`~sme.assessment.models.PeerStat`) that
:func:`rebuild_peer_stats` recomputes with the database's GROUP BY (``manage.py
rebuild_assessment_peers`` or the Celery task); a report reads one row per peer group and never
aggregates live rows. A group's average is shown only when it holds at least :data:`MIN_PEERS`
enterprises (this one included), so nobody can work out another enterprise's score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Avg, Count, FloatField, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.core import clock
from sme.enterprises.selectors import rules_on
from sme.enterprises.size_class import SIZE_LABELS
from sme.regions.selectors import name_for_code

from .models import AssessmentResponse, Dimension, PeerKind, PeerStat, Questionnaire, ResponseStatus

MIN_PEERS = 5

# kind → the response field holding its key, and the "unknown" value left out of the groups.
KIND_FIELDS: dict[str, tuple[str, Any]] = {
    PeerKind.INDUSTRY_GROUP: ("size_group", None),
    PeerKind.SIZE_CLASS: ("size_class", ""),
    PeerKind.DISTRICT: ("district_code", ""),
}


@dataclass(frozen=True)
class PeerKeys:
    district_code: str = ""
    size_class: str = ""
    size_group: int | None = None
    industry_code: str = ""

    def key_for(self, kind: str) -> str:
        value = getattr(self, KIND_FIELDS[kind][0])
        return "" if value in (None, "") else str(value)


def _profile(organization: Any) -> Any:
    """The enterprise profile (sme.enterprises), or None when there is none yet."""
    try:
        return getattr(organization, "enterprise_profile", None)
    except ObjectDoesNotExist:
        return None


def peer_keys_for(organization: Any) -> PeerKeys:
    """The peer keys of an organization now: its district's code, and the size class, size-standard
    group and industry code of its enterprise profile (empty when it has no profile)."""
    district = getattr(organization, "district", None)
    profile = _profile(organization)
    size_group = getattr(profile, "size_group", None)
    return PeerKeys(
        district_code=(getattr(district, "code", "") or "")[:6],
        size_class=(getattr(profile, "size_class", "") or "")[:10],
        size_group=int(size_group) if size_group not in (None, "") else None,
        industry_code=(getattr(profile, "industry_code", "") or "")[:4],
    )


# --- the rebuild ---------------------------------------------------------------------------------


def _aggregates(dimension_keys: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {"respondents": Count("pk"), "mean_total": Avg("total")}
    for i, key in enumerate(dimension_keys):
        values[f"dim_{i}"] = Avg(Cast(KT(f"dimension_scores__{key}"), FloatField()))
    return values


def rebuild_peer_stats(now: dt.datetime | None = None) -> dict[str, int]:
    """Recompute every peer group's averages from the latest submitted response of each
    organization; replaces the table in one transaction (running it twice changes nothing).
    Returns the number of groups per kind."""
    now = now or clock.now()
    latest = AssessmentResponse.objects.filter(status=ResponseStatus.SUBMITTED, is_latest=True)
    rows: list[PeerStat] = []
    counts = {str(kind): 0 for kind in KIND_FIELDS}
    dimension_keys: dict[int, list[str]] = {}
    for questionnaire_id, key in Dimension.objects.order_by("questionnaire_id", "sort_order").values_list(
        "questionnaire_id", "key"
    ):
        dimension_keys.setdefault(questionnaire_id, []).append(key)
    for questionnaire_id in Questionnaire.objects.values_list("pk", flat=True):
        keys = dimension_keys.get(questionnaire_id, [])
        of_questionnaire = latest.filter(questionnaire_id=questionnaire_id)
        for kind, (field, unknown) in KIND_FIELDS.items():
            unknown_filter = Q(**{f"{field}__isnull": True}) if unknown is None else Q(**{field: unknown})
            grouped = (
                of_questionnaire.exclude(unknown_filter)
                .order_by()
                .values(field)
                .annotate(**_aggregates(keys))
                .order_by()
            )
            for group in grouped:
                means = {
                    key: round(group[f"dim_{i}"], 3)
                    for i, key in enumerate(keys)
                    if group[f"dim_{i}"] is not None
                }
                rows.append(
                    PeerStat(
                        questionnaire_id=questionnaire_id,
                        kind=kind,
                        key=str(group[field]),
                        respondents=group["respondents"],
                        mean_total=Decimal(group["mean_total"]).quantize(Decimal("0.001")),
                        dimension_means=means,
                        rebuilt_at=now,
                    )
                )
                counts[str(kind)] += 1
    with transaction.atomic():
        PeerStat.objects.all().delete()
        PeerStat.objects.bulk_create(rows, batch_size=1000)
    return counts


# --- the comparison in a report ------------------------------------------------------------------


@dataclass(frozen=True)
class PeerComparison:
    kind: str
    kind_label: str
    group_label: str  # e.g. "工业", "小型", "万州区"; "" when the key is unknown
    shown: bool
    message: str  # why nothing is shown, or how many enterprises the average covers
    respondents: int = 0
    mean_total: Decimal | None = None
    own_total: Decimal | None = None
    dimension_means: dict[str, float] | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.mean_total is None or self.own_total is None:
            return None
        return (self.own_total - self.mean_total).quantize(Decimal("0.1"))


def group_label(kind: str, key: str) -> str:
    if not key:
        return ""
    if kind == PeerKind.SIZE_CLASS:
        return str(SIZE_LABELS.get(key, key))
    if kind == PeerKind.DISTRICT:
        return name_for_code(key) or key
    try:
        group = rules_on(clock.today()).groups.get(int(key))
        return group.name if group else key
    except Exception:  # the size standard not loaded: the group number is still meaningful
        return _("第%(n)s组") % {"n": key}


def peer_comparison(response: AssessmentResponse) -> list[PeerComparison]:
    """For each peer kind: the group's averages when it has at least MIN_PEERS enterprises."""
    keys = PeerKeys(
        district_code=response.district_code,
        size_class=response.size_class,
        size_group=response.size_group,
        industry_code=response.industry_code,
    )
    wanted = Q(pk__in=[])
    for kind in KIND_FIELDS:
        key = keys.key_for(kind)
        if key:
            wanted |= Q(kind=kind, key=key)
    stats = {s.kind: s for s in PeerStat.objects.filter(wanted, questionnaire_id=response.questionnaire_id)}
    result = []
    for kind in KIND_FIELDS:
        kind_label = str(PeerKind(kind).label)
        key = keys.key_for(kind)
        label = group_label(kind, key)
        stat = stats.get(kind)
        if not key:
            message = (
                _("提交评测时尚无所在区县的代码，无法与同区县企业比较。")
                if kind == PeerKind.DISTRICT
                else _("提交评测时企业档案中还没有行业和规模信息，无法与同类企业比较。")
            )
            result.append(PeerComparison(kind, kind_label, "", False, message))
        elif stat is None or stat.respondents < MIN_PEERS:
            n = stat.respondents if stat else 0
            message = _("同组企业不足%(min)s家（目前%(n)s家），暂不显示平均水平。") % {
                "min": MIN_PEERS,
                "n": n,
            }
            result.append(PeerComparison(kind, kind_label, label, False, message, respondents=n))
        else:
            result.append(
                PeerComparison(
                    kind,
                    kind_label,
                    label,
                    True,
                    _("同组共%(n)s家企业（各取最近一次评测），统计于%(at)s。")
                    % {
                        "n": stat.respondents,
                        "at": timezone.localtime(stat.rebuilt_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    respondents=stat.respondents,
                    mean_total=stat.mean_total,
                    own_total=response.total,
                    dimension_means=stat.dimension_means,
                )
            )
    return result
