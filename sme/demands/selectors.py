"""Reads of demands and proposals, always within the caller's scope.

- enterprises (active members of the posting enterprise): their own demands, hidden ones included,
  and every proposal on them;
- providers (active members of a verified provider): open, unhidden demands before their deadline —
  "certified only" ones only with a certification in force — plus any demand they have answered, and
  their own proposals only, never a competitor's;
- officers: demands of the districts they cover (read-only), hidden ones included;
- administrators: everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import Http404

from sme.accounts.models import Role
from sme.core import clock
from sme.core.workflow import HistoryEntry, history
from sme.organizations.permissions import jurisdiction_district_ids

from .models import Demand, DemandStatus, DemandVisibility, Proposal, ProposalStatus
from .permissions import certified_provider_ids, enterprises_of, providers_of
from .workflow import DEMAND

# Proposals arrived (or were revised) since someone of the enterprise last opened the demand.
_NEW_PROPOSALS = Q(last_proposal_at__isnull=False, proposals_seen_at__isnull=True) | Q(
    last_proposal_at__gt=F("proposals_seen_at")
)


def _base() -> QuerySet[Demand]:
    return Demand.objects.select_related("enterprise", "category", "district")


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _officer_scope(user: Any) -> frozenset[int] | None:
    """The district ids an officer reads; ``None`` when the user is no officer."""
    if user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):
        return jurisdiction_district_ids(user)
    return None


def _open_to_providers_q(user: Any, provider_ids: list[int]) -> Q:
    """Open, unhidden demands still before their deadline that ``provider_ids`` may see."""
    q = Q(status=DemandStatus.OPEN, is_hidden=False, deadline__gte=clock.today())
    if not certified_provider_ids(provider_ids):
        q &= Q(visibility=DemandVisibility.ALL)
    return q


def demands_open_for_provider(
    user: Any, *, category_id: int | None = None, district_id: int | None = None
) -> QuerySet[Demand]:
    """The provider's list: demands it may answer now, newest first."""
    if not _active(user):
        return Demand.objects.none()
    provider_ids = [p.pk for p in providers_of(user)]
    if not provider_ids:
        return Demand.objects.none()
    qs = _base().filter(_open_to_providers_q(user, provider_ids))
    if category_id:
        qs = qs.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if district_id:
        qs = qs.filter(district_id=district_id)
    return qs.order_by("-created_at", "-id")


def demands_of_enterprise(user: Any, *, status: str = "") -> QuerySet[Demand]:
    """The enterprise's own demands with their live proposal counts, newest first."""
    enterprise_ids = [e.pk for e in enterprises_of(user)] if _active(user) else []
    if not enterprise_ids:
        return Demand.objects.none()
    qs = _base().filter(enterprise_id__in=enterprise_ids)
    if status in DemandStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(
        proposal_count=Count("proposals", filter=~Q(proposals__status=ProposalStatus.WITHDRAWN)),
        has_new_proposals=ExpressionWrapper(Q(status=DemandStatus.OPEN) & _NEW_PROPOSALS, BooleanField()),
    ).order_by("-created_at", "-id")


def demands_in_scope(
    user: Any,
    *,
    status: str = "",
    category_id: int | None = None,
    district_id: int | None = None,
) -> QuerySet[Demand]:
    """An officer's (or administrator's) read-only list, newest first."""
    if not _active(user):
        return Demand.objects.none()
    qs = _base()
    if not user.is_platform_admin:
        scope = _officer_scope(user)
        if scope is None:
            return Demand.objects.none()
        qs = qs.filter(district_id__in=scope)
    if status == "hidden":
        qs = qs.filter(is_hidden=True)
    elif status in DemandStatus.values:
        qs = qs.filter(status=status)
    if category_id:
        qs = qs.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if district_id:
        qs = qs.filter(district_id=district_id)
    return qs.annotate(
        proposal_count=Count("proposals", filter=~Q(proposals__status=ProposalStatus.WITHDRAWN))
    ).order_by("-created_at", "-id")


def demands_visible_to(user: Any) -> QuerySet[Demand]:
    """Every demand ``user`` may open (the detail page and the API)."""
    if not _active(user):
        return Demand.objects.none()
    qs = _base()
    if user.is_platform_admin:
        return qs
    scope = _officer_scope(user)
    if scope is not None:
        return qs.filter(district_id__in=scope)
    visible = Q(pk__in=[])
    enterprise_ids = [e.pk for e in enterprises_of(user)]
    if enterprise_ids:
        visible |= Q(enterprise_id__in=enterprise_ids)
    provider_ids = [p.pk for p in providers_of(user)]
    if provider_ids:
        answered = Exists(Proposal.objects.filter(demand=OuterRef("pk"), provider_id__in=provider_ids))
        visible |= _open_to_providers_q(user, provider_ids) | Q(answered)
    return qs.filter(visible)


def demand_for(user: Any, pk: int) -> Demand:
    """One demand in ``user``'s scope, or 404 (out-of-scope records do not exist for the caller)."""
    demand = demands_visible_to(user).filter(pk=pk).first()
    if demand is None:
        raise Http404
    return demand


def proposals_on(user: Any, demand: Demand) -> QuerySet[Proposal]:
    """The proposals on ``demand`` that ``user`` may read: all of them for the enterprise and the
    officers, the user's own providers' only for a provider."""
    qs = Proposal.objects.filter(demand=demand).select_related("provider", "submitted_by", "order")
    if not _active(user):
        return qs.none()
    if user.is_platform_admin or _officer_scope(user) is not None:
        return qs.order_by("created_at", "id")
    if demand.enterprise_id in {e.pk for e in enterprises_of(user)}:
        return qs.order_by("-shortlisted", "created_at", "id")
    return qs.filter(provider_id__in=[p.pk for p in providers_of(user)]).order_by("created_at", "id")


def proposal_for(user: Any, pk: int) -> Proposal:
    """A proposal ``user`` may read (its demand in scope, and for a provider its own), or 404."""
    proposal = Proposal.objects.select_related("demand", "provider").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    demand = demand_for(user, proposal.demand_id)
    if not proposals_on(user, demand).filter(pk=pk).exists():
        raise Http404
    proposal.demand = demand
    return proposal


def live_proposal(demand: Demand, provider: Any) -> Proposal | None:
    """``provider``'s proposal on ``demand`` still in the running (the one a new form revises)."""
    proposal = (
        Proposal.objects.select_related("demand", "provider")
        .filter(demand=demand, provider=provider, status=ProposalStatus.SUBMITTED)
        .first()
    )
    if proposal is not None:
        proposal.demand = demand
    return proposal


def demand_history(demand: Demand) -> list[HistoryEntry]:
    """The demand's moves, oldest first (posted, then awarded, closed or withdrawn)."""
    return history(DEMAND, demand)


def proposals_of_provider(user: Any) -> QuerySet[Proposal]:
    """The proposals the user's providers sent, newest first (their "my proposals" list)."""
    provider_ids = [p.pk for p in providers_of(user)] if _active(user) else []
    if not provider_ids:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(provider_id__in=provider_ids)
        .select_related("demand", "demand__enterprise", "demand__category", "provider", "order")
        .order_by("-created_at", "-id")
    )


def demands_with_new_proposals(user: Any) -> int:
    """How many of the enterprise's open demands got proposals since someone there last looked."""
    enterprise_ids = [e.pk for e in enterprises_of(user)] if _active(user) else []
    if not enterprise_ids:
        return 0
    return (
        Demand.objects.filter(enterprise_id__in=enterprise_ids, status=DemandStatus.OPEN)
        .filter(_NEW_PROPOSALS)
        .count()
    )
