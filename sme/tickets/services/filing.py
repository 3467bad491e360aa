"""Filing a 诉求: checked, routed to a district, the type's limits and due dates copied onto it, the
attachments stored (``sme.core.files.store_upload``), the district's officers told."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import clock
from sme.core.errors import InvalidInput, NotAllowed
from sme.core.files import store_upload
from sme.core.messages import msg
from sme.core.uploads import inspect_upload
from sme.core.workflow import start_transition
from sme.notifications.services import notify
from sme.organizations.models import PROVIDER_KINDS, Organization, OrganizationKind
from sme.workdays.calendar import CalendarNotCovered

from .. import permissions, selectors
from ..models import Ticket, TicketAttachment, TicketKind, TicketType
from ..workflow import TICKET
from .common import EVENT

MAX_ATTACHMENTS = 5
SUBJECT_MAX = 120
DESCRIPTION_MAX = 5000


def _route(
    *, kind: str, enterprise: Organization, order: Any, provider: Organization | None
) -> tuple[Any, Organization | None, int]:
    """(order, provider, district id) for a new ticket, or InvalidInput naming the field."""
    if kind == TicketKind.ORDER_COMPLAINT:
        if order is None:
            raise InvalidInput(_("请选择所投诉的订单。"), {"order": [_("投诉订单时必须选择订单。")]})
        if order.enterprise_id != enterprise.pk:
            raise InvalidInput(_("只能投诉本企业的订单。"), {"order": [_("该订单不是本企业的订单。")]})
        return order, order.provider, order.provider_district_id
    if kind == TicketKind.PROVIDER_COMPLAINT:
        if provider is None:
            raise InvalidInput(
                _("请选择所投诉的服务机构。"), {"provider": [_("投诉服务机构时必须选择服务机构。")]}
            )
        if provider.kind not in PROVIDER_KINDS or provider.pk == enterprise.pk:
            raise InvalidInput(_("所选机构不是服务机构。"), {"provider": [_("所选机构不是服务机构。")]})
        return None, provider, provider.district_id
    return None, None, enterprise.district_id


@transaction.atomic
def ticket_file(
    *,
    actor: Any,
    enterprise: Organization,
    ticket_type: TicketType,
    subject: str,
    description: str,
    order: Any = None,
    provider: Organization | None = None,
    files: Iterable[File] = (),
) -> Ticket:
    """File a ticket for ``enterprise``: routed, with the type's limits and due dates copied onto it."""
    if getattr(actor, "role", None) != Role.ENTERPRISE or not permissions.is_member_of(actor, enterprise.pk):
        raise NotAllowed(_("只有企业用户可以为本企业提出诉求。"))
    if enterprise.kind != OrganizationKind.ENTERPRISE:
        raise NotAllowed(_("只有企业可以提出诉求。"))
    now = clock.now()
    today = timezone.localdate(now)
    problems: dict[str, list[str]] = {}
    subject = (subject or "").strip()
    description = (description or "").strip()
    if not subject:
        problems["subject"] = [_("请填写标题。")]
    elif len(subject) > SUBJECT_MAX:
        problems["subject"] = [_("标题不能超过%(n)s个字。") % {"n": SUBJECT_MAX}]
    if not description:
        problems["description"] = [_("请填写诉求内容。")]
    elif len(description) > DESCRIPTION_MAX:
        problems["description"] = [_("诉求内容不能超过%(n)s个字。") % {"n": DESCRIPTION_MAX}]
    if not TicketType.objects.in_force(today).filter(pk=ticket_type.pk).exists():
        problems["ticket_type"] = [_("该诉求类型当前不可选用。")]
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        problems["files"] = [_("附件最多%(n)s个。") % {"n": MAX_ATTACHMENTS}]
    if problems:
        raise InvalidInput(_("请修改标红的项目后再提交。"), problems)
    order, provider, district_id = _route(
        kind=ticket_type.kind, enterprise=enterprise, order=order, provider=provider
    )
    checked = [(f, inspect_upload(f, field="files")) for f in files]
    try:
        due = selectors.due_dates(ticket_type, today)
    except CalendarNotCovered as exc:
        raise InvalidInput(str(exc)) from exc

    ticket = Ticket.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:20]}",
        ticket_type=ticket_type,
        kind=ticket_type.kind,
        enterprise=enterprise,
        filed_by=actor,
        order=order,
        provider=provider,
        subject=subject,
        description=description,
        district_id=district_id,
        rule_version=ticket_type.rule_label,
        acknowledge_workdays=ticket_type.acknowledge_workdays,
        answer_workdays=ticket_type.answer_workdays,
        close_workdays=ticket_type.close_workdays,
        filed_at=now,
        acknowledge_due=due.acknowledge,
        answer_due=due.answer,
        close_due=due.close,
    )
    ticket.number = f"SQ{today.year}{ticket.pk:07d}"
    Ticket.objects.filter(pk=ticket.pk).update(number=ticket.number)
    for upload, info in checked:
        store_upload(TicketAttachment, upload, prefix="tickets", actor=actor, info=info, ticket=ticket)
    start_transition(
        workflow=TICKET,
        obj=ticket,
        action="file",
        actor=actor,
        roles=permissions.roles_for(actor, ticket),
        changes={
            "district": ticket.district_id,
            "rule_version": ticket.rule_version,
            "due": [due.acknowledge.isoformat(), due.answer.isoformat(), due.close.isoformat()],
        },
    )
    notify(
        permissions.district_officers_of(ticket),
        title=msg("新的企业诉求待受理：%(number)s", number=ticket.number),
        body=msg("请于%(day)s前受理。", day=due.acknowledge),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket
