"""Writes of the public notice (第十条): publishing it, objections anyone files while it runs, and the
deciding authority's resolution of each (``workflow.OBJECTION``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import InvalidInput
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify
from sme.workdays.calendar import CalendarNotCovered

from ..models import Application, Notice, NoticeOutcome, Objection, ObjectionStatus
from ..permissions import roles_for
from ..selectors import notices as selectors
from ..workflow import APPLICATION, OBJECTION, PUBLIC
from . import people


def notice_publish(*, actor: Any, application: Application, published_on: dt.date) -> Notice:
    """The notice of an application the city has just approved (``application_city_decide``), its
    period counted on the working-day calendar. Called inside the approval's transaction."""
    try:
        starts_on, ends_on = selectors.notice_dates(application.scheme, published_on)
    except CalendarNotCovered as error:
        raise InvalidInput(str(error)) from error
    notice = Notice.objects.create(
        application=application,
        scheme=application.scheme,
        published_on=published_on,
        starts_on=starts_on,
        ends_on=ends_on,
        workdays=application.scheme.notice_workdays,
        published_by=actor,
    )
    audit.record(
        "certification_notice.publish",
        actor=actor,
        obj=notice,
        summary=msg("公示 %(start)s 至 %(end)s", start=starts_on.isoformat(), end=ends_on.isoformat()),
    )
    return notice


def _objection_problems(name: str, contact: str, text: str) -> Problems:
    problems = Problems()
    if not name:
        problems.add("name", _("请填写异议人姓名或单位名称。"))
    elif len(name) > 50:
        problems.add("name", _("最多50个字。"))
    if not contact:
        problems.add("contact", _("请留下联系方式（电话或邮箱），以便核实和答复。"))
    elif len(contact) > 100:
        problems.add("contact", _("最多100个字。"))
    if len(text) < 10:
        problems.add("text", _("请具体说明异议内容（至少10个字）。"))
    elif len(text) > 5000:
        problems.add("text", _("最多5000个字。"))
    return problems


@transaction.atomic
def objection_file(
    *, notice: Notice, name: str, contact: str, text: str, actor: Any = None, client_ip: str | None = None
) -> Objection:
    """Anyone files an objection while the notice is open (the table's guard); the deciding authority
    is told."""
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    _objection_problems(name, contact, text).raise_if_any(_("异议内容有误，请按提示修改。"))
    notice = Notice.objects.select_related("application", "scheme").get(pk=notice.pk)
    objection = Objection.objects.create(
        notice=notice,
        name=name,
        contact=contact,
        text=text,
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_ip=client_ip,
    )
    start_transition(
        workflow=OBJECTION,
        obj=objection,
        action="file",
        actor=actor,
        roles={PUBLIC},
        changes={"name": [None, name]},
    )
    notify(
        people.deciders(notice.scheme),
        title=msg("公示异议：%(name)s", name=notice.application.platform_name),
        body=text[:200],
        url=people.application_url(notice.application),
        event="certification",
    )
    return objection


@transaction.atomic
def objection_resolve(*, actor: Any, objection: Objection, uphold: bool, resolution: str) -> Objection:
    """The deciding authority resolves an objection, giving its reasons. Upheld: the notice ends and
    the application goes back to city review. Dismissed: the notice runs on."""
    notice = objection.notice
    application = notice.application
    roles = roles_for(actor, application)
    resolution = (resolution or "").strip()
    objection = apply_transition(
        workflow=OBJECTION,
        obj=objection,
        action="uphold" if uphold else "dismiss",
        actor=actor,
        roles=roles,
        note=resolution,
        updates={"resolution": resolution, "resolved_at": clock.now(), "resolved_by": actor},
    )
    if objection.status == ObjectionStatus.UPHELD:
        apply_transition(
            workflow=APPLICATION,
            obj=application,
            action="uphold_objection",
            actor=actor,
            roles=roles,
            note=resolution,
        )
        Notice.objects.filter(pk=notice.pk, closed_at__isnull=True).update(
            closed_at=clock.now(), outcome=NoticeOutcome.WITHDRAWN
        )
        notify(
            people.applicant_people(application),
            title=msg("公示期间的异议经核实成立，申请退回市级评审"),
            body=resolution,
            url=people.application_url(application),
            event="certification",
        )
    return objection
