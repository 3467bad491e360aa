"""Who stands in which relation to a ticket. Scope for lists is enforced in ``selectors``.

Providers never see tickets, not even complaints about themselves: the authority handles them and the
answer goes to the enterprise (docs/workflows/ticket.md).
"""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role, User
from sme.certification.permissions import district_officers_covering, organization_people
from sme.organizations.models import Membership, MembershipStatus, Organization, OrganizationKind
from sme.organizations.permissions import jurisdiction_district_ids

from .models import HandlingLevel, Ticket
from .workflow import CITY, FILER, HANDLER


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def enterprises_of(user: Any) -> list[Organization]:
    """The enterprises ``user`` acts for (active membership), for filing and for the own-tickets scope."""
    if not _active(user) or user.role != Role.ENTERPRISE:
        return []
    return list(
        Organization.objects.filter(
            kind=OrganizationKind.ENTERPRISE,
            memberships__user=user,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("district")
        .order_by("pk")
    )


def oversees_tickets(user: Any) -> bool:
    """District and city officers and administrators: they handle and watch 诉求 (and export the
    list in their scope)."""
    return _active(user) and (
        user.is_platform_admin or user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    )


def is_member_of(user: Any, organization_id: int) -> bool:
    if not _active(user):
        return False
    return Membership.objects.filter(
        user=user, organization_id=organization_id, status=MembershipStatus.ACTIVE
    ).exists()


def covers(user: Any, district_id: int) -> bool:
    return district_id in jurisdiction_district_ids(user)


def roles_for(user: Any, ticket: Ticket) -> set[str]:
    roles: set[str] = set()
    if not _active(user):
        return roles
    if user.role == Role.ENTERPRISE and is_member_of(user, ticket.enterprise_id):
        roles.add(FILER)
    if user.role == Role.CITY_OFFICER and covers(user, ticket.district_id):
        roles.add(CITY)
        if ticket.handling_level == HandlingLevel.CITY:
            roles.add(HANDLER)
    if (
        user.role == Role.DISTRICT_OFFICER
        and ticket.handling_level == HandlingLevel.DISTRICT
        and covers(user, ticket.district_id)
    ):
        roles.add(HANDLER)
    return roles


def may_file(user: Any) -> bool:
    return bool(enterprises_of(user))


# --- who is told --------------------------------------------------------------------------------


def enterprise_people(ticket: Ticket) -> list[User]:
    return organization_people(ticket.enterprise_id, managers_only=False)


def district_officers_of(ticket: Ticket) -> list[User]:
    return district_officers_covering(ticket.district_id)


def city_officers_of(ticket: Ticket) -> list[User]:
    officers = User.objects.filter(role=Role.CITY_OFFICER, is_active=True, jurisdiction__isnull=False)
    return [u for u in officers if covers(u, ticket.district_id)]


def handlers_of(ticket: Ticket) -> list[User]:
    if ticket.assigned_officer_id is not None and ticket.assigned_officer is not None:
        return [ticket.assigned_officer]
    if ticket.handling_level == HandlingLevel.CITY:
        return city_officers_of(ticket)
    return district_officers_of(ticket)
