"""The provider's writes: a new service and its drafts, the first submission, and changes to a service
that has been public (a change of the fee or the time waits for the officer, any other is published
at once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import Message, msg
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import PROVIDER_KINDS, Organization, VerificationStatus

from ..disclosures import REVISION_FIELDS, changed_fields, clean_revision_data, fill_revision, revision_values
from ..models import Service, ServiceRevision, ServiceStatus
from ..permissions import acts_for, reviewers_of, roles_for
from ..selectors import current_draft, latest_revision
from ..workflow import APPROVAL_FIELDS, PROVIDER, REVISION, SERVICE
from .publication import EVENT, bump_version, check_version, make_public


def _check_provider(actor: Any, provider: Organization) -> None:
    if not acts_for(actor, provider.pk):
        raise NotAllowed(_("只有本机构的成员可以管理本机构的服务。"))
    if provider.kind not in PROVIDER_KINDS:
        raise NotAllowed(_("只有服务机构可以发布服务。"))
    if provider.verification_status != VerificationStatus.VERIFIED:
        raise InvalidInput(_("机构信息通过区县审核后才能发布服务。"))


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values, problems = clean_revision_data(data)
    if problems:
        raise InvalidInput(_("请更正标出的项目。"), problems)
    return values


def _tell_reviewers(service: Service, revision: ServiceRevision, *, title: Message, body: Message) -> None:
    notify(
        reviewers_of(service.provider_district_id),
        title=title,
        body=body,
        url=reverse("catalog:review-revision", args=[revision.pk]),
        event=EVENT,
    )


@transaction.atomic
def service_create(*, actor: Any, provider: Organization, data: Mapping[str, Any]) -> Service:
    """Start a service of ``provider`` with its first draft revision (may still be incomplete)."""
    _check_provider(actor, provider)
    values = _clean(data)
    service = Service.objects.create(
        provider=provider, provider_district_id=provider.district_id, status=ServiceStatus.DRAFT
    )
    revision = ServiceRevision(service=service, number=1, created_by=actor, needs_approval=True)
    fill_revision(revision, values)
    revision.changed_fields = list(REVISION_FIELDS)
    revision.save()
    audit.record(
        "catalog_service.create",
        actor=actor,
        obj=service,
        object_label=revision.title,
        summary=msg("新建服务草稿：%(title)s", title=revision.title),
    )
    return service


@transaction.atomic
def service_save_draft(
    *, actor: Any, service: Service, data: Mapping[str, Any], version: int | None
) -> ServiceRevision:
    """Save the draft of a service not yet public (new, or returned by the officer)."""
    if PROVIDER not in roles_for(actor, service):
        raise NotAllowed(_("只有本机构的成员可以修改本机构的服务。"))
    if service.status != ServiceStatus.DRAFT:
        raise Conflict(_("服务已提交或已发布，不能再按草稿修改。"))
    check_version(service, version)
    values = _clean(data)
    draft = current_draft(service)
    before: dict[str, Any] = {}
    if draft is None:  # the last one was returned: the next attempt is a new revision
        previous = latest_revision(service)
        before = revision_values(previous) if previous else {}
        draft = ServiceRevision(
            service=service, number=(previous.number + 1) if previous else 1, created_by=actor
        )
    else:
        before = revision_values(draft)
    changes = changed_fields(before, values) if before else list(REVISION_FIELDS)
    fill_revision(draft, values)
    draft.needs_approval = True
    draft.changed_fields = changes
    draft.save()
    bump_version(service, version)
    audit.record(
        "catalog_service.save_draft",
        actor=actor,
        obj=service,
        object_label=draft.title,
        summary=msg("保存服务草稿（第 %(n)s 版）", n=draft.number),
        changes={"fields": changes},
    )
    return draft


@transaction.atomic
def service_submit(*, actor: Any, service: Service, version: int | None = None) -> Service:
    """Send the draft for first publication; refused, naming each missing disclosure, while any of
    the five disclosures (or the category and districts) is empty (the revision's guard)."""
    roles = roles_for(actor, service)
    check_version(service, version)
    draft = current_draft(service)
    if draft is None:
        raise Conflict(_("没有可提交的草稿。"))
    apply_transition(
        workflow=REVISION,
        obj=draft,
        action="submit",
        actor=actor,
        roles=roles,
        updates={"submitted_at": clock.now(), "needs_approval": True},
    )
    apply_transition(
        workflow=SERVICE,
        obj=service,
        action="submit",
        actor=actor,
        roles=roles,
        updates={"version": F("version") + 1},
    )
    _tell_reviewers(
        service,
        draft,
        title=msg("新的服务发布申请待审核：%(title)s", title=draft.title),
        body=msg(
            "%(provider)s 提交了服务“%(title)s”的发布申请。",
            provider=service.provider.name,
            title=draft.title,
        ),
    )
    return service


@transaction.atomic
def service_revise(
    *, actor: Any, service: Service, data: Mapping[str, Any], version: int | None
) -> ServiceRevision:
    """Change a service that has been public. A change to the fee or the time waits for the officer
    (the public page keeps the approved version); any other change is published at once. Refused
    while another change waits (the revision's guard)."""
    roles = roles_for(actor, service)
    if PROVIDER not in roles:
        raise NotAllowed(_("只有本机构的成员可以修改本机构的服务。"))
    if service.published_revision_id is None or service.status in (
        ServiceStatus.DRAFT,
        ServiceStatus.PENDING,
    ):
        raise Conflict(_("服务尚未发布，请在草稿中修改。"))
    check_version(service, version)
    values = _clean(data)
    published = ServiceRevision.objects.select_related("category").get(pk=service.published_revision_id)
    changes = changed_fields(revision_values(published), values)
    if not changes:
        raise InvalidInput(_("没有任何修改。"))
    needs_approval = bool(APPROVAL_FIELDS & set(changes))
    last = latest_revision(service)
    revision = ServiceRevision(
        service=service,
        number=(last.number if last else 0) + 1,
        created_by=actor,
        needs_approval=needs_approval,
        changed_fields=changes,
    )
    fill_revision(revision, values)
    revision.save()
    bump_version(service, version)
    now = clock.now()
    if needs_approval:
        apply_transition(
            workflow=REVISION,
            obj=revision,
            action="submit",
            actor=actor,
            roles=roles,
            updates={"submitted_at": now},
        )
        _tell_reviewers(
            service,
            revision,
            title=msg("服务收费或时间变更待审核：%(title)s", title=revision.title),
            body=msg(
                "%(provider)s 修改了服务“%(title)s”的收费或时间，需审核后生效。",
                provider=service.provider.name,
                title=revision.title,
            ),
        )
    else:
        apply_transition(
            workflow=REVISION,
            obj=revision,
            action="publish_directly",
            actor=actor,
            roles=roles,
            updates={"submitted_at": now, "decided_at": now},
        )
        if service.status in (ServiceStatus.PUBLISHED, ServiceStatus.SUSPENDED, ServiceStatus.WITHDRAWN):
            make_public(service, revision, actor)
    return revision
