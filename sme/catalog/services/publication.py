"""What the draft and review services share: making an approved revision the public one, the
version check of an edit, and telling the provider."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core import clock
from sme.core.errors import Conflict
from sme.core.messages import Message
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition
from sme.notifications.services import notify

from .. import search
from ..disclosures import price_bounds
from ..models import RevisionStatus, Service, ServiceDistrict, ServiceRevision
from ..permissions import provider_people
from ..workflow import REVISION, SYSTEM

EVENT = "catalog"


def stale_message() -> str:
    return _("该服务刚刚已被修改（可能是您在另一个窗口或同事的操作），您的修改未保存。请刷新页面后重试。")


def check_version(service: Service, version: int | None) -> None:
    """Refuse an edit made on a form read at another version than the service has now."""
    if version is not None and int(version) != service.version:
        raise Conflict(stale_message())


def bump_version(service: Service, version: int | None) -> None:
    """Compare-and-set the service's version: a revision saved by someone else since fails."""
    expected = service.version if version is None else int(version)
    update_versioned(service, expected_version=expected, conflict_message=stale_message())


def service_url(service: Service) -> str:
    return reverse("catalog:manage", args=[service.pk])


def tell_provider(service: Service, *, title: Message, body: str = "") -> None:
    notify(
        provider_people(service.provider_id), title=title, body=body, url=service_url(service), event=EVENT
    )


def _listing_columns(revision: ServiceRevision) -> dict[str, Any]:
    low, high = price_bounds(revision)
    category = revision.category
    return {
        "published_revision": revision,
        "title": revision.title,
        "category": category,
        "top_category_id": category.parent_id or category.pk,
        "fee_type": revision.fee_type,
        "price_low": low,
        "price_high": high,
        "serves_all_districts": revision.serves_all_districts,
    }


def _copy_districts(service: Service, revision: ServiceRevision) -> None:
    ServiceDistrict.objects.filter(service=service).delete()
    if not revision.serves_all_districts:
        ServiceDistrict.objects.bulk_create(
            [ServiceDistrict(service=service, district_id=d) for d in revision.district_ids]
        )


def _supersede_previous(service: Service, keep: ServiceRevision, actor: Any) -> None:
    for old in ServiceRevision.objects.filter(service=service, status=RevisionStatus.APPROVED).exclude(
        pk=keep.pk
    ):
        apply_transition(workflow=REVISION, obj=old, action="supersede", actor=actor, roles={SYSTEM})


def make_public(service: Service, revision: ServiceRevision, actor: Any) -> None:
    """Copy the approved ``revision`` onto the listing (the service already moved by its transition),
    replace the districts it is listed in, supersede the previous approved revision, reindex."""
    columns = _listing_columns(revision)
    if service.published_at is None:
        columns["published_at"] = clock.now()
    update_versioned(service, conflict_message=stale_message(), **columns)
    _copy_districts(service, revision)
    _supersede_previous(service, revision, actor)
    search.index_services([service.pk])
