"""The marketplace's forms and actions for each role (the records' pages are in
test_permission_matrix_marketplace.py).

The world: the enterprise owner's organization in 渝中区 (``yz``) ordered a published service of the
provider persona's organization in 万州区 (``wz``), posted an open demand (needed in 渝中区) and filed a
complaint about the order. The district officer is 万州区's (the provider's); the other district officer is
渝中区's (the enterprise's). Another enterprise and another provider stand for "someone else's data".
Beside it: a completed order waiting for its rating, a rated one (replied to by nobody yet) that another
enterprise reported, the provider's proposal on the demand, a service waiting for review, and a file on
the service, the order and the complaint.

``ACTIONS`` are the forms and actions, with the harness of ``test_permission_matrix_records.py``
(outcomes "login", "refused" or a status). Files are served by ``files:download`` (its rows are in
test_permission_matrix_marketplace.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from sme.catalog.models import RevisionStatus, ServiceAttachment, ServiceRevision
from sme.catalog.tests.factories import pending_service
from sme.demands.tests import factories as demand_factories
from sme.moderation import services as moderation_services
from sme.moderation.tests.factories import public_rating
from sme.orders import services as order_services
from sme.orders.tests.factories import (
    completed_order,
    enterprise_with_owner,
    provider_with_owner,
    published_service,
)
from sme.organizations.models import Organization
from sme.tickets.tests.factories import file_order_complaint

from .test_permission_matrix import Row, check_row, row_id

ROLES = [
    "anonymous",
    "enterprise",
    "other_enterprise",
    "provider",
    "other_provider",
    "district_officer",
    "other_district_officer",
    "city_officer",
    "expert",
    "admin",
]

# (url template, {role: expected status}); "login" means a redirect to the login page.


# Who sees an order of the enterprise persona with the provider persona: both parties and the officers of
# the provider's district and the city; the enterprise's district does not (orders go to the provider's).
ORDER_PARTIES = {
    "anonymous": "login",
    "enterprise": 200,
    "provider": 200,
    "district_officer": 200,
    "city_officer": 200,
    "admin": 200,
    "*": 404,
}
PROVIDER_SIDE = {  # a provider's own service: its organization and the officers over it
    "anonymous": "login",
    "provider": 200,
    "district_officer": 200,
    "city_officer": 200,
    "admin": 200,
    "*": 404,
}
REVIEWERS = {"anonymous": "login", "district_officer": 200, "city_officer": 200, "admin": 200, "*": 403}

ACTIONS: list[Row] = [
    # --- catalogue: the provider's side and the review ---------------------------------------------
    ("get", "/catalog/mine/new/", {"anonymous": "login", "provider": 200, "other_provider": 200, "*": 403}),
    (
        "get",
        "/catalog/mine/{service}/edit/",
        {**PROVIDER_SIDE, "district_officer": 403, "city_officer": 403, "admin": 403},
    ),
    ("get", "/catalog/mine/{service}/revisions/", PROVIDER_SIDE),
    (
        "post",
        "/catalog/mine/{service}/attachments/",
        {**PROVIDER_SIDE, "provider": "refused", "district_officer": 403, "city_officer": 403, "admin": 403},
    ),
    (
        "post",
        "/catalog/mine/{service}/attachments/{attachment}/remove/",
        {**PROVIDER_SIDE, "provider": 302, "district_officer": 403, "city_officer": 403, "admin": 403},
    ),
    (
        "post",
        "/catalog/mine/{service}/withdraw/",
        {**PROVIDER_SIDE, "provider": 302, "district_officer": 403, "city_officer": 403, "admin": 403},
        {"note": "暂停接单"},
    ),
    (
        "post",
        "/catalog/mine/{service}/suspend/",
        {**PROVIDER_SIDE, "provider": 403, "district_officer": 302, "city_officer": 302, "admin": 302},
        {"note": "核查投诉"},
    ),
    ("get", "/catalog/review/revisions/{revision}/", {**REVIEWERS, "other_district_officer": 404}),
    # --- orders ----------------------------------------------------------------------------------
    (
        "get",
        "/orders/new/{service}/",
        {"anonymous": "login", "enterprise": 200, "other_enterprise": 200, "*": 403},
    ),
    (
        "post",
        "/orders/{order}/act/",
        {
            **ORDER_PARTIES,
            "enterprise": "refused",
            "provider": "refused",
            "district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
        },  # no version sent
    ),
    (
        "post",
        "/orders/{done}/rate/",
        {
            **ORDER_PARTIES,
            "enterprise": 302,
            "provider": 403,
            "district_officer": 403,
            "city_officer": 403,
            "admin": 403,
        },
        {"quality": 5, "timeliness": 4, "attitude": 5, "satisfied": "yes", "comment": "按时交付"},
    ),
    (
        "post",
        "/orders/{rated}/reply/",
        {
            **ORDER_PARTIES,
            "enterprise": 403,
            "provider": 302,
            "district_officer": 403,
            "city_officer": 403,
            "admin": 403,
        },
        {"reply": "感谢反馈，我们已改进交付流程。"},
    ),
    (
        "post",
        "/api/v1/orders/{done}/rating",
        {
            **ORDER_PARTIES,
            "anonymous": 403,
            "enterprise": 201,
            "provider": 403,
            "district_officer": 403,
            "city_officer": 403,
            "admin": 403,
        },
        {"quality": 5, "timeliness": 4, "attitude": 5, "satisfied": True, "comment": "按时交付"},
    ),
    ("get", "/api/v1/providers/{provider}/figures", {"*": 200}),
    # --- demands and proposals -------------------------------------------------------------------
    (
        "post",
        "/demands/{demand}/proposal/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "provider": 302,
            "other_provider": 400,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
        # as the persona's organization: its owner revises its proposal, another provider may not use it
        {"provider": "{provider}", "price": "52000", "delivery_workdays": "20", "approach": "分三阶段实施"},
    ),
    (
        "post",
        "/demands/{demand}/hide/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "provider": 403,
            "other_provider": 403,
            "other_district_officer": 302,
            "city_officer": 302,
            "admin": 302,
            "*": 404,
        },
        {"reason": "内容不实"},
    ),
    (
        "post",
        "/demands/{demand}/unhide/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "provider": 403,
            "other_provider": 403,
            "other_district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
            "*": 404,
        },
    ),
    (
        "post",
        "/demands/{demand}/close/",
        {
            "anonymous": "login",
            "enterprise": 302,
            "provider": 403,
            "other_provider": 403,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "post",
        "/demands/proposals/{proposal}/withdraw/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "provider": 302,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "post",
        "/demands/proposals/{proposal}/shortlist/",
        {
            "anonymous": "login",
            "enterprise": 302,
            "provider": 403,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "get",
        "/demands/proposals/{proposal}/accept/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 403,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    # --- tickets (诉求) ---------------------------------------------------------------------------
    (
        "post",
        "/tickets/{ticket}/acknowledge/",
        {
            "anonymous": "login",
            "enterprise": 403,
            "district_officer": 302,
            "city_officer": 403,
            "admin": 403,
            "provider": 403,
            "other_provider": 403,
            "expert": 403,
            "*": 404,
        },
    ),
    (
        "post",
        "/tickets/{ticket}/rate/",
        {
            "anonymous": "login",
            "enterprise": "refused",
            "district_officer": "refused",
            "city_officer": "refused",
            "admin": "refused",
            "provider": 403,
            "other_provider": 403,
            "expert": 403,
            "*": 404,
        },  # not answered
    ),
    # --- moderation ------------------------------------------------------------------------------
    ("get", "/moderation/report/rating/{rated_rating}/", {"anonymous": "login", "*": 200}),
    (
        "post",
        "/moderation/reports/{report}/hide/",
        {
            "anonymous": "login",
            "district_officer": 302,
            "city_officer": 302,
            "admin": 302,
            "other_district_officer": 404,
            "*": 403,
        },
        {"reason": "侮辱性言论"},
    ),
]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _stored(model, path: str, uploaded_by, **owner):
    """A stored-file row with its bytes on the (temporary) storage."""
    name = default_storage.save(path, ContentFile(PDF))
    return model.objects.create(
        file=name,
        label="说明.pdf",
        file_kind="pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=uploaded_by,
        **owner,
    )


@pytest.fixture
def world(
    settings,
    tmp_path,
    enterprise_owner,
    provider_user,
    district_officer,
    other_district_officer,
    city_officer,
    expert,
    admin_user,
):
    yz = Organization.objects.get(memberships__user=enterprise_owner)
    wz = Organization.objects.get(memberships__user=provider_user)
    service = published_service(provider=wz, serves_all_districts=True)
    order = order_services.order_create(actor=enterprise_owner, enterprise=yz, service=service)
    demand = demand_factories.demand(enterprise_owner)
    ticket = file_order_complaint(enterprise_owner, order)
    _other_enterprise, other_enterprise_owner = enterprise_with_owner("500103")
    _other_provider, other_provider_owner = provider_with_owner("500103")
    settings.MEDIA_ROOT = str(tmp_path)
    attachment = _stored(
        ServiceAttachment, "catalog/matrix.pdf", provider_user, service=service, kind="other", is_current=True
    )
    done = completed_order(
        enterprise=yz, provider=wz, service=service, completed_at=timezone.now() - dt.timedelta(days=2)
    )
    rating = public_rating(enterprise_owner, provider_user, comment="交付延误，沟通不畅。")
    report = moderation_services.report_file(
        actor=other_enterprise_owner, kind="rating", target_id=rating.pk, reason="abuse"
    )
    proposal = demand_factories.proposal(provider_user, demand)
    waiting = pending_service(provider_user)
    revision = ServiceRevision.objects.get(service=waiting, status=RevisionStatus.PENDING)
    users = {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "other_enterprise": other_enterprise_owner,
        "provider": provider_user,
        "other_provider": other_provider_owner,
        "district_officer": district_officer,
        "other_district_officer": other_district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }
    ids = {
        "service": service.pk,
        "provider": wz.pk,
        "order": order.pk,
        "demand": demand.pk,
        "ticket": ticket.pk,
        "attachment": attachment.pk,
        "done": done.pk,
        "rated": rating.order_id,
        "rated_rating": rating.pk,
        "report": report.pk,
        "proposal": proposal.pk,
        "revision": revision.pk,
    }
    return {"users": users, "ids": ids}


@pytest.mark.parametrize("row", ACTIONS, ids=row_id)
def test_action_access(client, world, row):
    check_row(client, world, ROLES, row)
