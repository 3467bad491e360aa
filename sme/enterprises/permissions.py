"""Who may do what with enterprise profiles and registry imports. Scope itself lives in selectors."""

from __future__ import annotations

from typing import Any

from sme.accounts.models import OFFICER_ROLES, Role
from sme.organizations.models import Organization, OrganizationKind
from sme.organizations.permissions import jurisdiction_district_ids, roles_for
from sme.organizations.workflow import ORG_MANAGER

from .models import EnterpriseImport
from .workflow import IMPORTER


def can_edit_enterprise(user: Any, organization: Organization) -> bool:
    """The owner or an administrator of the enterprise (as for the organization's own facts)."""
    return organization.kind == OrganizationKind.ENTERPRISE and ORG_MANAGER in roles_for(user, organization)


def can_browse_enterprises(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.role in OFFICER_ROLES or user.is_platform_admin
    )


def can_import(user: Any) -> bool:
    """District and city officers import registry files (within their jurisdiction)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.is_active
        and user.role in OFFICER_ROLES
        and user.jurisdiction_id is not None
    )


def import_region_ids(user: Any) -> frozenset[int]:
    """The divisions whose enterprises ``user`` may import: their jurisdiction (and what it replaced)."""
    return jurisdiction_district_ids(user) if can_import(user) else frozenset()


def import_district(user: Any) -> Any:
    """A district officer's own district (rows naming another are refused); None for a city officer."""
    return user.jurisdiction if user.role == Role.DISTRICT_OFFICER else None


def import_roles(user: Any, job: EnterpriseImport) -> set[str]:
    if getattr(user, "is_authenticated", False) and job.created_by_id == user.pk and can_import(user):
        return {IMPORTER}
    return set()
