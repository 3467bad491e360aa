"""Who stands in which relation to a certification case. Scope for lists is enforced in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role
from sme.organizations.models import MANAGING_ROLES, Membership, MembershipStatus
from sme.organizations.permissions import jurisdiction_district_ids

from .models import Application, Scheme, SchemeLevel
from .workflow import APPLICANT, CITY_REVIEWER, DISTRICT_REVIEWER


def manages(user: Any, organization_id: int) -> bool:
    """An active owner or administrator of the organization."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, organization_id=organization_id, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    ).exists()


def is_member(user: Any, organization_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, organization_id=organization_id, status=MembershipStatus.ACTIVE
    ).exists()


def covers_district(user: Any, district_id: int) -> bool:
    return district_id in jurisdiction_district_ids(user)


def decides_under(user: Any, scheme: Scheme) -> bool:
    """Whether ``user`` is the deciding authority of ``scheme`` (the "city" steps).

    City and national schemes: a city officer whose jurisdiction covers the scheme's region (any city
    officer of this installation for a national scheme). District-level schemes (第十七条): the
    district officer of that district.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.jurisdiction_id is None:
        return False
    if scheme.level == SchemeLevel.DISTRICT:
        return user.role == Role.DISTRICT_OFFICER and scheme.region_id in jurisdiction_district_ids(user)
    if user.role != Role.CITY_OFFICER:
        return False
    return scheme.region_id is None or scheme.region_id in jurisdiction_district_ids(user)


def roles_for(user: Any, application: Application) -> set[str]:
    roles: set[str] = set()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return roles
    if manages(user, application.organization_id):
        roles.add(APPLICANT)
    if user.role == Role.DISTRICT_OFFICER and covers_district(user, application.district_id):
        roles.add(DISTRICT_REVIEWER)
    if decides_under(user, application.scheme):
        roles.add(CITY_REVIEWER)
    return roles
