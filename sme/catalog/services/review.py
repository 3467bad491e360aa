"""The officer's decisions (approve or return a revision, suspend and resume a service) and the
provider's withdrawal and re-publication of a public service."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sme.core import clock
from sme.core.errors import Conflict, NotAllowed
from sme.core.messages import msg
from sme.core.workflow import apply_transition

from .. import search
from ..models import RevisionStatus, Service, ServiceRevision, ServiceStatus
from ..permissions import roles_for
from ..workflow import REVIEWER, REVISION, SERVICE
from .publication import check_version, make_public, tell_provider


def _reviewer_roles(actor: Any, service: Service) -> set[str]:
    roles = roles_for(actor, service)
    if REVIEWER not in roles:
        raise NotAllowed(_("只有服务机构所在区县的主管部门可以审核。"))
    return roles


def _pending(revision: ServiceRevision) -> None:
    if revision.status != RevisionStatus.PENDING:
        raise Conflict(_("该版本已审核过（%(status)s）。") % {"status": revision.get_status_display()})


def _decision(actor: Any, note: str) -> dict[str, Any]:
    return {"decided_by": actor, "decided_at": clock.now(), "decision_note": (note or "").strip()}


@transaction.atomic
def revision_approve(*, actor: Any, revision: ServiceRevision, note: str = "") -> ServiceRevision:
    """Approve a first publication or a fee/time change: the revision becomes the public one."""
    service = Service.objects.select_related("provider").get(pk=revision.service_id)
    roles = _reviewer_roles(actor, service)
    _pending(revision)
    apply_transition(
        workflow=REVISION,
        obj=revision,
        action="approve",
        actor=actor,
        roles=roles,
        note=note,
        updates=_decision(actor, note),
    )
    first = service.status == ServiceStatus.PENDING
    if first:
        apply_transition(workflow=SERVICE, obj=service, action="approve", actor=actor, roles=roles, note=note)
    make_public(service, revision, actor)
    if first:
        title = msg("服务已通过审核并发布：%(title)s", title=revision.title)
    else:
        title = msg("服务变更已通过审核：%(title)s", title=revision.title)
    tell_provider(service, title=title, body=note)
    return revision


@transaction.atomic
def revision_return(*, actor: Any, revision: ServiceRevision, note: str) -> ServiceRevision:
    """Return a submission with a reason; a returned change leaves the public version as it was."""
    service = Service.objects.get(pk=revision.service_id)
    roles = _reviewer_roles(actor, service)
    _pending(revision)
    apply_transition(
        workflow=REVISION,
        obj=revision,
        action="return",
        actor=actor,
        roles=roles,
        note=note,
        updates=_decision(actor, note),
    )
    if service.status == ServiceStatus.PENDING:
        apply_transition(
            workflow=SERVICE,
            obj=service,
            action="return",
            actor=actor,
            roles=roles,
            note=note,
            updates={"version": F("version") + 1},
        )
    tell_provider(service, title=msg("服务审核被退回：%(title)s", title=revision.title), body=note)
    return revision


def _service_transition(
    *, actor: Any, service: Service, action: str, note: str = "", version: int | None = None, **updates: Any
) -> Service:
    roles = roles_for(actor, service)
    if not roles:
        raise NotAllowed(_("您无权处理该服务。"))
    check_version(service, version)
    apply_transition(
        workflow=SERVICE,
        obj=service,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={"version": F("version") + 1, **updates},
    )
    search.index_services([service.pk])
    return service


@transaction.atomic
def service_suspend(*, actor: Any, service: Service, note: str, version: int | None = None) -> Service:
    """An officer takes a published service off the catalogue, with a reason the provider sees."""
    _service_transition(
        actor=actor,
        service=service,
        action="suspend",
        note=note,
        version=version,
        suspension_reason=note.strip(),
    )
    tell_provider(service, title=msg("服务已被主管部门暂停：%(title)s", title=service.title), body=note)
    return service


@transaction.atomic
def service_resume(*, actor: Any, service: Service, note: str = "", version: int | None = None) -> Service:
    """An officer puts a suspended service back on the catalogue."""
    _service_transition(
        actor=actor, service=service, action="resume", note=note, version=version, suspension_reason=""
    )
    tell_provider(service, title=msg("服务已恢复：%(title)s", title=service.title), body=note)
    return service


@transaction.atomic
def service_withdraw(*, actor: Any, service: Service, note: str = "", version: int | None = None) -> Service:
    """The provider takes its service off the catalogue (orders already placed go on)."""
    return _service_transition(actor=actor, service=service, action="withdraw", note=note, version=version)


@transaction.atomic
def service_republish(*, actor: Any, service: Service, version: int | None = None) -> Service:
    """The provider puts a withdrawn service back, as last approved."""
    return _service_transition(actor=actor, service=service, action="republish", version=version)
