"""What a report can point at, resolved through the owning apps; the only module that knows them.

Each kind says where its record lives, which district's officers decide about it, a short excerpt for
the queue, where it is shown, and how it is hidden — always through the owner's service
(``sme.orders.services.rating_hide``, ``sme.demands.services.demand_hide``), never by writing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from sme.core.errors import InvalidInput
from sme.demands import selectors as demand_selectors
from sme.demands import services as demand_services
from sme.demands.models import Demand
from sme.orders import services as order_services
from sme.orders.models import Rating

from .models import TargetKind

EXCERPT_LENGTH = 200


@dataclass(frozen=True)
class Target:
    kind: str
    obj: Any
    district_id: int
    excerpt: str
    url: str
    is_hidden: bool


class TargetMissing(LookupError):
    """No record of that kind and id (or one the reporter cannot see)."""


def _url(name: str, pk: int | None) -> str:
    if pk is None:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _cut(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _rating(target_id: int) -> Any:
    rating = Rating.objects.select_related("order").filter(pk=target_id).first()
    if rating is None:
        raise TargetMissing(target_id)
    return rating


def resolve(kind: str, target_id: int, *, viewer: Any = None) -> Target:
    """The target of a report, or :class:`TargetMissing`. With ``viewer``, a demand the viewer cannot
    see does not exist for them (no guessing ids to learn what exists)."""
    if kind == TargetKind.RATING:
        rating = _rating(target_id)
        return Target(
            kind=kind,
            obj=rating,
            district_id=rating.order.provider_district_id,
            excerpt=_cut(rating.comment) or _("（无文字评价）"),
            url=_url("catalog:service", rating.service_id),
            is_hidden=rating.is_hidden,
        )
    if kind == TargetKind.RATING_REPLY:
        rating = _rating(target_id)
        if not rating.reply:
            raise TargetMissing(target_id)
        return Target(
            kind=kind,
            obj=rating,
            district_id=rating.order.provider_district_id,
            excerpt=_cut(rating.reply),
            url=_url("catalog:service", rating.service_id),
            is_hidden=bool(getattr(rating, "reply_hidden", False)) or rating.is_hidden,
        )
    if kind == TargetKind.DEMAND:
        if viewer is not None:
            try:
                demand = demand_selectors.demand_for(viewer, target_id)
            except Http404 as exc:
                raise TargetMissing(target_id) from exc
        else:
            found = Demand.objects.filter(pk=target_id).first()
            if found is None:
                raise TargetMissing(target_id)
            demand = found
        return Target(
            kind=kind,
            obj=demand,
            district_id=demand.district_id,
            excerpt=_cut(_("%(title)s：%(text)s") % {"title": demand.title, "text": demand.description}),
            url=_url("demands:detail", demand.pk),
            is_hidden=demand.is_hidden,
        )
    raise TargetMissing(target_id)


def hide(target: Target, *, actor: Any, reason: str) -> None:
    """Hide the target through its owner's service (which checks scope, audits and tells the owner)."""
    if target.kind == TargetKind.RATING:
        order_services.rating_hide(actor=actor, rating=target.obj, reason=reason)
    elif target.kind == TargetKind.RATING_REPLY:
        order_services.rating_reply_hide(actor=actor, rating=target.obj, reason=reason)
    elif target.kind == TargetKind.DEMAND:
        demand_services.demand_hide(actor=actor, demand=target.obj, reason=reason)
    else:  # pragma: no cover - kinds are choices
        raise InvalidInput(_("未知的举报对象类型。"))
