"""Reads of the catalogue, scoped and shaped for the pages and the API (few queries each), one module
per seam:

- ``categories``: the category tree, kept per process for a minute;
- ``public_catalogue``: the public catalogue's query parameters and one page of it;
- ``services``: one service, a provider's page, the provider's own list;
- ``review``: the officers' queue, one revision to decide, price-at-cap flags;
- ``diff``: what changed between two revisions.
"""

from .categories import categories_by_key, category_by_id, category_tree, forget_categories
from .diff import diff_rows, field_display, history_rows
from .public_catalogue import (
    COUNT_CAP,
    FEW_MATCHES,
    PER_PAGE,
    SORTS,
    CatalogueParams,
    CatalogueResult,
    ListedDistrict,
    catalogue,
    catalogue_queryset,
    listing_rows,
    parse_catalogue_params,
)
from .review import (
    caps_in_force,
    price_at_cap_flags,
    queue_count,
    review_queue,
    reviewable_revision,
    services_in_scope,
)
from .services import (
    PROVIDER_SERVICES_PER_PAGE,
    ProviderPage,
    attachment_readable,
    current_attachment,
    current_attachments,
    current_draft,
    latest_revision,
    managed_service,
    orderable_service,
    provider_is_certified,
    provider_page,
    public_service,
    published_revision_of,
    revision_districts,
    revisions_of,
    service_districts,
    services_of,
    visible_ratings,
)

__all__ = [
    "COUNT_CAP",
    "FEW_MATCHES",
    "PER_PAGE",
    "PROVIDER_SERVICES_PER_PAGE",
    "SORTS",
    "CatalogueParams",
    "CatalogueResult",
    "ListedDistrict",
    "ProviderPage",
    "attachment_readable",
    "caps_in_force",
    "catalogue",
    "catalogue_queryset",
    "categories_by_key",
    "category_by_id",
    "category_tree",
    "current_attachment",
    "current_attachments",
    "current_draft",
    "diff_rows",
    "field_display",
    "forget_categories",
    "history_rows",
    "latest_revision",
    "listing_rows",
    "managed_service",
    "orderable_service",
    "parse_catalogue_params",
    "price_at_cap_flags",
    "provider_is_certified",
    "provider_page",
    "public_service",
    "published_revision_of",
    "queue_count",
    "review_queue",
    "reviewable_revision",
    "revision_districts",
    "revisions_of",
    "service_districts",
    "services_in_scope",
    "services_of",
    "visible_ratings",
]
