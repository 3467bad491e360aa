"""What the demand services share: the notification event, the version bump of status moves, how
an input problem is raised, and the "not selected" notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils.formats import date_format

from sme.core.messages import Message, msg
from sme.core.parsing import Problems
from sme.notifications.services import notify

from ..models import Demand, Proposal
from ..permissions import provider_people

EVENT = "demands"  # the notification category people may mute for e-mail


# Status moves bump the version too, so that an edit read before the move is refused after it.
def next_version() -> dict[str, Any]:
    return {"version": F("version") + 1}


def day_text(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def with_note(text: Message, note: str) -> Message:
    """``text`` and, on the next line, what the person wrote (shown as written)."""
    return msg("%(text)s\n%(note)s", text=text, note=note) if note else text


def raise_first(problems: Problems) -> None:
    """Every bad field at once; the first problem found is the message on top."""
    if problems:
        problems.raise_if_any(next(iter(problems.by_field.values()))[0])


def tell_not_selected(proposals: list[Proposal], demand: Demand, *, body: Message) -> None:
    """The providers whose proposals were not selected hear why, each in their own language."""
    people = provider_people(sorted({p.provider_id for p in proposals}))
    for members in people.values():
        notify(
            members,
            title=msg("未中选：%(title)s", title=demand.title),
            body=body,
            url=demand.get_absolute_url(),
            event=EVENT,
        )
