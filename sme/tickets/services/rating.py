"""The enterprise's rating of the handling of its closed ticket."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, NotAllowed
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.versioning import update_versioned
from sme.notifications.services import notify

from .. import permissions
from ..models import RATING_WINDOW_DAYS, Ticket, TicketStatus
from ..workflow import FILER
from .common import EVENT


@transaction.atomic
def ticket_rate(*, actor: Any, ticket: Ticket, stars: int, satisfied: bool, comment: str = "") -> Ticket:
    """The enterprise rates the handling of its closed ticket, once, within 30 days of closing."""
    if FILER not in permissions.roles_for(actor, ticket):
        raise NotAllowed(_("只有提出诉求的企业可以评价办理情况。"))
    if ticket.status != TicketStatus.CLOSED or ticket.closed_at is None:
        raise Conflict(_("诉求办结后才能评价。"))
    if ticket.rated_at is not None:
        raise Conflict(_("您已评价过该诉求，每件诉求只能评价一次。"))
    if clock.now() > ticket.closed_at + dt.timedelta(days=RATING_WINDOW_DAYS):
        raise Conflict(_("已超过办结后%(n)s天的评价期限。") % {"n": RATING_WINDOW_DAYS})
    problems = Problems()
    given = parsing.integer(
        stars, "stars", problems, label=_("办理评价"), minimum=1, maximum=5, required=True
    )
    problems.raise_if_any(_("请选择1至5星。"))
    comment = (comment or "").strip()
    # The ticket was closed when read and nothing but the rating changes a closed ticket, so a
    # version moved since means someone of the enterprise rated it first.
    update_versioned(
        ticket,
        conflict_message=_("您已评价过该诉求，每件诉求只能评价一次。"),
        satisfaction_stars=given,
        satisfied=bool(satisfied),
        satisfaction_comment=comment,
        rated_at=clock.now(),
        rated_by=actor,
    )
    audit.record(
        "ticket.rate",
        actor=actor,
        obj=ticket,
        summary=msg(
            "评价办理情况：%(stars)s星，%(satisfied)s",
            stars=given,
            satisfied=msg("满意") if satisfied else msg("不满意"),
        ),
        changes={"satisfaction_stars": [None, given], "satisfied": [None, bool(satisfied)]},
    )
    notify(
        permissions.handlers_of(ticket),
        title=msg("企业已评价诉求办理：%(number)s", number=ticket.number),
        url=ticket.get_absolute_url(),
        event=EVENT,
    )
    return ticket
