"""What the ticket services share: the notification event and the version checks of the handling."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from sme.core.errors import Conflict

from ..models import Ticket

EVENT = "tickets"  # the notification category people may mute for e-mail


def check_version(ticket: Ticket, version: int | None) -> None:
    if version is not None and int(version) != ticket.version:
        raise Conflict(_("该诉求刚刚已被他人处理，您的操作未生效。请刷新页面查看最新状态。"))


def next_version() -> dict[str, Any]:
    return {"version": F("version") + 1}
