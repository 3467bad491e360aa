"""Each role × each marketplace record × inside and outside its scope (issue 4).

The world: the enterprise owner's organization in 渝中区 (``yz``) ordered a published service of the
provider persona's organization in 万州区 (``wz``), posted an open demand (needed in 渝中区) and filed a
complaint about the order. The district officer is 万州区's (the provider's); the other district officer is
渝中区's (the enterprise's). Another enterprise and another provider stand for "someone else's data".
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from sme.catalog import services as catalog_services
from sme.catalog.tests.factories import draft_service
from sme.core.files import store_upload
from sme.demands.models import Demand, Proposal
from sme.demands.tests import factories as demand_factories
from sme.moderation import services as report_services
from sme.moderation.models import Report
from sme.orders import services as order_services
from sme.orders.models import OrderFile
from sme.orders.tests.factories import enterprise_with_owner, provider_with_owner, published_service
from sme.organizations.models import Organization
from sme.tickets.models import Ticket
from sme.tickets.tests.factories import file_order_complaint

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
RECORDS: list[tuple[str, dict[str, int | str]]] = [
    ("/catalog/services/{service}/", {"*": 200}),
    ("/catalog/providers/{provider}/", {"*": 200}),
    ("/api/v1/catalog/services/{service}", {"*": 200}),
    (
        "/catalog/mine/{service}/",
        {
            "anonymous": "login",
            "provider": 200,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "other_district_officer": 404,
            "*": 404,
        },
    ),
    (
        "/orders/{order}/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 200,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/api/v1/orders/{order}",
        {
            "anonymous": 403,
            "enterprise": 200,
            "provider": 200,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    # Stored files (sme.core.files): whoever may read the owning record, 404 to everyone else.
    ("/files/catalog.serviceattachment/{public_attachment}/", {"*": 200}),
    (
        "/files/catalog.serviceattachment/{draft_attachment}/",
        {
            "provider": 200,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/files/orders.orderfile/{order_file}/",
        {
            "enterprise": 200,
            "provider": 200,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/demands/{demand}/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 200,
            "other_provider": 200,  # open to all providers: that is what the demand asked for
            "other_district_officer": 200,  # the demand is needed in 渝中区
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/api/v1/demands/{demand}",
        {
            "anonymous": 403,
            "enterprise": 200,
            "provider": 200,
            "other_provider": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/tickets/{ticket}/",
        {
            "anonymous": "login",
            "enterprise": 200,
            "district_officer": 200,  # a complaint about a 万州 provider's order goes to 万州区
            "city_officer": 200,
            "admin": 200,
            "provider": 403,  # providers never see tickets
            "other_provider": 403,
            "expert": 403,
            "*": 404,
        },
    ),
    (
        "/demands/proposals/{proposal}/accept/",  # the provider persona's proposal on the demand
        {
            "anonymous": "login",
            "enterprise": 200,  # only the enterprise that posted the demand accepts
            "provider": 403,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "*": 404,
        },
    ),
    (
        "/moderation/report/demand/{demand}/",  # whoever may see the demand may report it
        {
            "anonymous": "login",
            "enterprise": 200,
            "provider": 200,
            "other_provider": 200,
            "other_district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,
        },
    ),
    (
        "/files/tickets.ticketattachment/{attachment}/",  # whoever may open the ticket, audited
        {
            "enterprise": 200,
            "district_officer": 200,
            "city_officer": 200,
            "admin": 200,
            "*": 404,  # everyone else, anonymous included: the file's existence is not confirmed
        },
    ),
]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")


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
    settings.MEDIA_ROOT = tmp_path
    yz = Organization.objects.get(memberships__user=enterprise_owner)
    wz = Organization.objects.get(memberships__user=provider_user)
    service = published_service(provider=wz, serves_all_districts=True)
    order = order_services.order_create(actor=enterprise_owner, enterprise=yz, service=service)
    demand = demand_factories.demand(enterprise_owner)
    order_file = store_upload(OrderFile, _pdf(), prefix="orders", actor=provider_user, order=order)
    public_attachment = catalog_services.attachment_add(
        actor=provider_user, service=service, kind="brochure", upload=_pdf()
    )
    draft_attachment = catalog_services.attachment_add(
        actor=provider_user, service=draft_service(provider_user), kind="brochure", upload=_pdf()
    )
    proposal = demand_factories.proposal(provider_user, demand)
    scan = SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    ticket = file_order_complaint(enterprise_owner, order, files=[scan])
    report = report_services.report_file(
        actor=provider_user, kind="demand", target_id=demand.pk, reason="advertising"
    )
    _other_enterprise, other_enterprise_owner = enterprise_with_owner("500103")
    _other_provider, other_provider_owner = provider_with_owner("500103")
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
        "order_file": order_file.pk,
        "public_attachment": public_attachment.pk,
        "draft_attachment": draft_attachment.pk,
        "proposal": proposal.pk,
        "attachment": ticket.attachments.get().pk,
        "report": report.pk,
    }
    return {"users": users, "ids": ids}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("template", "table"), RECORDS, ids=[r[0] for r in RECORDS])
def test_record_access(client, world, role, template, table):
    user = world["users"][role]
    if user is not None:
        login(client, user)
    url = template.format(**world["ids"])
    response = client.get(url)
    expected = table.get(role, table.get("*"))
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    else:
        assert response.status_code == expected, (role, url, response.status_code)


# Requests that would change a record (demands, 诉求, reports), tried by every role that must be
# refused: (url template, post data, {role: expected status}); roles that may do it are left out.
# "302" for a role in scope means the page refused it with a message and changed nothing.
Table = dict[str, int | str]


def _write(url: str, data: dict[str, str], table: Table) -> tuple[str, dict[str, str], Table]:
    return url, data, table


WRITES: list[tuple[str, dict[str, str], Table]] = [
    (
        "/demands/{demand}/proposal/",
        {"price": "1000", "delivery_workdays": "5", "approach": "x"},
        {
            "anonymous": "login",
            "enterprise": 403,
            "other_enterprise": 404,
            "district_officer": 404,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "expert": 404,
        },
    ),
    *[
        _write(
            f"/demands/{{demand}}/{action}/",
            {"reason": "广告"},
            {
                "anonymous": "login",
                "enterprise": 403,
                "other_enterprise": 404,
                "provider": 403,
                "other_provider": 403,
                "district_officer": 404,
                "expert": 404,
                **(
                    {"other_district_officer": 302, "city_officer": 302, "admin": 302}
                    if action == "unhide"
                    else {}
                ),
            },
        )
        for action in ("hide", "unhide")
    ],
    *[
        _write(
            f"/demands/{{demand}}/{action}/",
            {},
            {
                "anonymous": "login",
                "other_enterprise": 404,
                "provider": 403,
                "other_provider": 403,
                "district_officer": 404,
                "other_district_officer": 403,
                "city_officer": 403,
                "admin": 403,
                "expert": 404,
            },
        )
        for action in ("close", "withdraw")
    ],
    (
        "/demands/proposals/{proposal}/withdraw/",
        {},
        {
            "anonymous": "login",
            "enterprise": 403,
            "other_enterprise": 404,
            "other_provider": 404,
            "district_officer": 404,
            "other_district_officer": 403,
            "city_officer": 403,
            "admin": 403,
            "expert": 404,
        },
    ),
    *[
        _write(
            f"/demands/proposals/{{proposal}}/{action}/",
            {"shortlisted": "1", "version": "1"},
            {
                "anonymous": "login",
                "other_enterprise": 404,
                "provider": 403,
                "other_provider": 404,
                "district_officer": 404,
                "other_district_officer": 403,
                "city_officer": 403,
                "admin": 403,
                "expert": 404,
            },
        )
        for action in ("shortlist", "accept")
    ],
    *[
        _write(
            f"/tickets/{{ticket}}/{action}/",
            {"note": "说明", "version": ""},
            {
                "anonymous": "login",
                "other_enterprise": 404,
                "provider": 403,
                "other_provider": 403,
                "other_district_officer": 404,
                "expert": 403,
                **refused,
            },
        )
        for action, refused in (
            ("acknowledge", {"enterprise": 403, "city_officer": 403, "admin": 403}),
            # Not from 待受理: everyone in scope is told so (a conflict), nothing changes.
            ("answer", {"enterprise": 302, "district_officer": 302, "city_officer": 302, "admin": 302}),
            ("close", {"enterprise": 302, "district_officer": 302, "city_officer": 302, "admin": 302}),
            ("withdraw", {"district_officer": 403, "city_officer": 403, "admin": 403}),
        )
    ],
    (
        "/tickets/{ticket}/take_over/",
        {"note": "提级"},
        {
            "anonymous": "login",
            "enterprise": 403,
            "other_enterprise": 404,
            "provider": 403,
            "other_provider": 403,
            "district_officer": 403,
            "other_district_officer": 404,
            "admin": 403,
            "expert": 403,
        },
    ),
    (
        "/tickets/{ticket}/rate/",
        {"stars": "5", "satisfied": "yes"},
        {
            "anonymous": "login",
            "enterprise": 302,  # not closed yet: refused with a message
            "other_enterprise": 404,
            "provider": 403,
            "other_provider": 403,
            "district_officer": 403,
            "other_district_officer": 404,
            "city_officer": 403,
            "admin": 403,
            "expert": 403,
        },
    ),
    *[
        _write(
            f"/moderation/reports/{{report}}/{decision}/",
            {"reason": "广告"},
            {
                "anonymous": "login",
                "enterprise": 403,
                "other_enterprise": 403,
                "provider": 403,
                "other_provider": 403,
                "district_officer": 404,  # the demand is needed in 渝中区
                "expert": 403,
            },
        )
        for decision in ("hide", "dismiss")
    ],
]


def _state(ids):
    return (
        Demand.objects.filter(pk=ids["demand"]).values_list("status", "is_hidden", "version").get(),
        Proposal.objects.filter(pk=ids["proposal"]).values_list("status", "shortlisted", "version").get(),
        Ticket.objects.filter(pk=ids["ticket"]).values_list("status", "handling_level", "rated_at").get(),
        Report.objects.filter(pk=ids["report"]).values_list("status").get(),
    )


@pytest.mark.parametrize(
    ("template", "data", "role", "expected"),
    [(t, data, role, expected) for t, data, table in WRITES for role, expected in table.items()],
)
def test_refused_writes_change_nothing(client, world, template, data, role, expected):
    user = world["users"][role]
    if user is not None:
        login(client, user)
    before = _state(world["ids"])
    url = template.format(**world["ids"])
    response = client.post(url, data)
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    else:
        assert response.status_code == expected, (role, url, response.status_code)
    assert _state(world["ids"]) == before, (role, url)
