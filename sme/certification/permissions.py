"""Who stands in which relation to a certification case. Scope for lists is enforced in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import Role, User
from sme.organizations.models import MANAGING_ROLES, Membership, MembershipStatus
from sme.organizations.permissions import (  # noqa: F401 - re-exported for the app's callers
    district_officers_covering,
    jurisdiction_district_ids,
    organization_people,
)

from .models import Application, Certification, Scheme, SchemeLevel
from .workflow import APPLICANT, CITY_REVIEWER, DISTRICT_REVIEWER, SYSTEM


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


def roles_toward(user: Any, *, organization_id: int, district_id: int, scheme: Scheme) -> set[str]:
    """The workflow roles ``user`` holds towards a case of ``organization_id`` in ``district_id``
    decided under ``scheme`` (an application, or a title granted on one)."""
    roles: set[str] = set()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return roles
    if manages(user, organization_id):
        roles.add(APPLICANT)
    if user.role == Role.DISTRICT_OFFICER and covers_district(user, district_id):
        roles.add(DISTRICT_REVIEWER)
    if decides_under(user, scheme):
        roles.add(CITY_REVIEWER)
    return roles


def roles_for(user: Any, application: Application) -> set[str]:
    return roles_toward(
        user,
        organization_id=application.organization_id,
        district_id=application.district_id,
        scheme=application.scheme,
    )


def certification_roles_for(user: Any, certification: Certification) -> set[str]:
    """The roles ``user`` holds towards a granted title (and its re-reviews and spot checks);
    ``None`` stands for the scheduled job and holds ``system`` only."""
    if user is None:
        return {SYSTEM}
    return roles_toward(
        user,
        organization_id=certification.organization_id,
        district_id=certification.district_id,
        scheme=certification.scheme,
    )


# --- who is told: the people behind each role, for notifications ------------------------------


def deciders_of(scheme: Scheme) -> list[User]:
    candidates = User.objects.filter(
        role__in=[Role.CITY_OFFICER, Role.DISTRICT_OFFICER], is_active=True, jurisdiction__isnull=False
    )
    return [u for u in candidates if decides_under(u, scheme)]
