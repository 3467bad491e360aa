"""Reads of one service (its public page, the provider's and the officers' management page) and of
a provider's public page and own list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from sme.certification.models import Certification
from sme.certification.selectors.titles import certified_provider_ids
from sme.core import clock
from sme.core.pagination import Page, paginate
from sme.organizations.models import PROVIDER_KINDS, Organization
from sme.regions.models import Region

from .. import reputation
from ..models import (
    RevisionStatus,
    Service,
    ServiceAttachment,
    ServiceDistrict,
    ServiceRevision,
    ServiceStatus,
)
from ..permissions import roles_for

PROVIDER_SERVICES_PER_PAGE = 20
RATINGS_SHOWN = 20
# A provider's page shows the measured figures of this many calendar years (this one included).
FIGURE_YEARS = 3


def public_service(pk: int) -> Service | None:
    """A published service with its approved revision, or None."""
    return (
        Service.objects.filter(pk=pk, status=ServiceStatus.PUBLISHED)
        .select_related(
            "published_revision",
            "category",
            "top_category",
            "provider",
            "provider__district",
            "provider_district",
        )
        .first()
    )


def orderable_service(pk: int) -> Service | None:
    """A published service with its approved revision and what an order copies from it, or None."""
    return (
        Service.objects.select_related(
            "provider", "provider_district", "published_revision__category", "category"
        )
        .filter(pk=pk, status=ServiceStatus.PUBLISHED, published_revision__isnull=False)
        .first()
    )


def provider_is_certified(provider_id: int) -> bool:
    """Whether the provider holds a certification in force (认定的公共服务平台)."""
    return bool(certified_provider_ids([provider_id]))


def service_districts(service: Service) -> list[Region]:
    if service.serves_all_districts:
        return []
    return list(
        Region.objects.filter(pk__in=ServiceDistrict.objects.filter(service=service).values("district_id"))
        .only("id", "name", "code", "sort_order")
        .order_by("sort_order", "code")
    )


def revision_districts(revision: ServiceRevision) -> list[Region]:
    if revision.serves_all_districts or not revision.district_ids:
        return []
    return list(Region.objects.filter(pk__in=revision.district_ids).order_by("sort_order", "code"))


def current_attachments(service: Service) -> list[ServiceAttachment]:
    return list(
        ServiceAttachment.objects.filter(service=service, is_current=True).order_by("kind", "-uploaded_at")
    )


def current_attachment(service: Service, pk: int) -> ServiceAttachment | None:
    return ServiceAttachment.objects.filter(pk=pk, service=service).first()


def attachment_readable(user: Any, attachment: ServiceAttachment) -> bool:
    """The read rule of attachments (``sme.core.files``): a current attachment of a published service
    is public; any other only to the service's provider and the officers in its scope."""
    service = attachment.service
    if service.status == ServiceStatus.PUBLISHED and attachment.is_current:
        return True
    return bool(roles_for(user, service))


def visible_ratings(service: Service, limit: int = RATINGS_SHOWN) -> list[Any]:
    """The service's visible ratings, newest first (kept by the orders app)."""
    return reputation.service_ratings(service.pk, limit)


# --- the provider's public page ---------------------------------------------------------------


@dataclass
class ProviderPage:
    organization: Organization
    services: Page
    certifications: list[Any]
    figures: list[Any]


def provider_page(
    org_id: int, page: Any = 1, per_page: int = PROVIDER_SERVICES_PER_PAGE
) -> ProviderPage | None:
    """A provider's public page: one page of its published services (newest first), its titles and
    its measured figures (pre-aggregated yearly rows of the last three years) — six queries."""
    org = Organization.objects.select_related("district").filter(pk=org_id).first()
    if org is None:
        return None
    services = paginate(
        Service.objects.filter(provider_id=org_id, status=ServiceStatus.PUBLISHED)
        .select_related("category")
        .order_by("-published_at", "-id"),
        page,
        per_page=per_page,
    )
    certifications = list(
        Certification.objects.filter(organization_id=org_id)
        .only(
            "id", "number", "title", "platform_name", "status", "granted_on", "valid_until", "organization_id"
        )
        .order_by("-granted_on", "-id")
    )
    figures = reputation.provider_figures(org_id, clock.today().year - (FIGURE_YEARS - 1))
    if not services.count and not certifications and not figures and org.kind not in PROVIDER_KINDS:
        return None
    return ProviderPage(organization=org, services=services, certifications=certifications, figures=figures)


# --- the provider's own list and one service to manage ----------------------------------------


def services_of(organization_ids: list[int]) -> QuerySet[Service]:
    """The services of the provider's organizations, with their latest revision's title and whether a
    change waits for approval."""
    latest = ServiceRevision.objects.filter(service=OuterRef("pk")).order_by("-number")
    return (
        Service.objects.filter(provider_id__in=organization_ids)
        .select_related("provider", "category")
        .annotate(
            latest_title=Subquery(latest.values("title")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            has_pending_change=Exists(
                ServiceRevision.objects.filter(service=OuterRef("pk"), status=RevisionStatus.PENDING)
            ),
        )
        .order_by("-updated_at", "-id")
    )


def managed_service(user: Any, pk: int) -> tuple[Service, set[str]] | None:
    """The service with ``user``'s roles towards it, if they are its provider or an officer in its
    scope; None otherwise (the page answers 404)."""
    service = (
        Service.objects.select_related("provider", "provider_district", "category").filter(pk=pk).first()
    )
    if service is None:
        return None
    roles = roles_for(user, service)
    return (service, roles) if roles else None


def revisions_of(service: Service) -> list[ServiceRevision]:
    return list(
        ServiceRevision.objects.filter(service=service)
        .select_related("category", "created_by", "decided_by")
        .order_by("-number")
    )


def current_draft(service: Service) -> ServiceRevision | None:
    return (
        ServiceRevision.objects.filter(service=service, status=RevisionStatus.DRAFT)
        .order_by("-number")
        .first()
    )


def latest_revision(service: Service) -> ServiceRevision | None:
    return ServiceRevision.objects.filter(service=service).order_by("-number").first()


def published_revision_of(service: Service) -> ServiceRevision | None:
    """The revision the public sees (for the officer's comparison), with its category."""
    if service.published_revision_id is None:
        return None
    return ServiceRevision.objects.select_related("category").filter(pk=service.published_revision_id).first()
