"""Writes to the service catalogue, one module per seam:

- ``drafts``: a new service, its drafts, the first submission, changes to a public service;
- ``review``: the officer's decisions and suspensions, the provider's withdrawal;
- ``attachments``: brochures and sample reports;
- ``listing``: the listing's counts kept for the orders app, the search index.

Every service checks role and scope, moves state only through the workflow kernel (compare-and-set,
transition log, audit row) or ``update_versioned`` on ``Service.version``, keeps the search index in
step and notifies the people concerned after commit. Nothing here takes a request; reads are in
``selectors``, the reading of the five disclosures in ``disclosures``.
"""

from .attachments import attachment_add, attachment_remove
from .drafts import service_create, service_revise, service_save_draft, service_submit
from .listing import reindex_all, service_order_completed, service_ratings_set
from .review import (
    revision_approve,
    revision_return,
    service_republish,
    service_resume,
    service_suspend,
    service_withdraw,
)

__all__ = [
    "attachment_add",
    "attachment_remove",
    "reindex_all",
    "revision_approve",
    "revision_return",
    "service_create",
    "service_order_completed",
    "service_ratings_set",
    "service_republish",
    "service_resume",
    "service_revise",
    "service_save_draft",
    "service_submit",
    "service_suspend",
    "service_withdraw",
]
