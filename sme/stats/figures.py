"""Figure functions for the landing page that belong to apps this app does not own.

Each reads its app's models, read-only, in the app's own scope rule (which district a record is
filed under), and counts per district and part; ``apps.py`` registers them with
``sme.core.figures``. They live here until their apps register figures of their own (a move of a
function and one ``register`` line each):

- ``sme.organizations``: organizations by district (``Organization.district``)
- ``sme.enterprises``: the size class on ``EnterpriseProfile``
- ``sme.catalog``: ``Service`` by ``provider_district`` (the officer who reviews it)
- ``sme.orders``: ``Order`` by ``provider_district`` (the officer who watches it)
- ``sme.tickets``: ``Ticket`` by ``district`` (where it is handled)
- ``sme.certification``: ``Certification`` by ``district``
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from sme.core.figures import Row

UNCLASSIFIED = "unclassified"


def _counts(qs: Any, district: str, part: str | None = None) -> Iterator[Row]:
    fields = [district] if part is None else [district, part]
    for row in qs.values(*fields).annotate(n=Count("pk")).order_by():
        yield row[district], ("" if part is None else row[part] or ""), row["n"]


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def enterprises_by_size_class(*, today: dt.date) -> Iterator[Row]:
    """Enterprises (every enterprise organization, imported ones too) by their stored size class."""
    from sme.organizations.models import Organization, OrganizationKind

    qs = Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    for district_id, size_class, n in _counts(qs, "district_id", "enterprise_profile__size_class"):
        yield district_id, size_class or UNCLASSIFIED, n


def size_class_parts() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    from sme.enterprises.models import SizeClass

    return {**dict(SizeClass.choices), UNCLASSIFIED: _("未划型")}


def verified_organizations_by_kind(*, today: dt.date) -> Iterator[Row]:
    from sme.organizations.models import Organization, VerificationStatus

    yield from _counts(
        Organization.objects.filter(verification_status=VerificationStatus.VERIFIED), "district_id", "kind"
    )


def organization_kind_parts() -> dict[str, Any]:
    from sme.organizations.models import OrganizationKind

    return dict(OrganizationKind.choices)


def services_published(*, today: dt.date) -> Iterator[Row]:
    from sme.catalog.models import Service, ServiceStatus

    yield from _counts(Service.objects.filter(status=ServiceStatus.PUBLISHED), "provider_district_id")


def orders_this_month(*, today: dt.date) -> Iterator[Row]:
    """Orders placed from the first of ``today``'s month to the end of ``today``."""
    from sme.orders.models import Order

    qs = Order.objects.filter(
        submitted_at__gte=_start_of(today.replace(day=1)),
        submitted_at__lt=_start_of(today + dt.timedelta(days=1)),
    )
    yield from _counts(qs, "provider_district_id")


def tickets_on_time_this_year(*, today: dt.date) -> Iterator[Row]:
    """诉求 closed from 1 January to ``today``: on time (within the rule's working days) or late."""
    from sme.tickets.models import Ticket, TicketStatus

    qs = (
        Ticket.objects.filter(
            status=TicketStatus.CLOSED,
            closed_at__gte=_start_of(today.replace(month=1, day=1)),
            closed_at__lt=_start_of(today + dt.timedelta(days=1)),
        )
        .values("district_id")
        .annotate(on_time=Count("pk", filter=Q(closed_on_time=True)), all=Count("pk"))
        .order_by()
    )
    for row in qs:
        yield row["district_id"], "on_time", row["on_time"]
        yield row["district_id"], "late", row["all"] - row["on_time"]


def certifications_in_force(*, today: dt.date) -> Iterator[Row]:
    from sme.certification.models.titles import IN_FORCE, Certification

    yield from _counts(Certification.objects.filter(status__in=IN_FORCE), "district_id")
