"""What demand work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core.todos import Todo

from . import selectors


def todos_for(user: Any) -> list[Todo]:
    """Enterprise: "N 条需求收到新方案" (open demands with proposals nobody there has looked at yet)."""
    if user.role != Role.ENTERPRISE:
        return []
    waiting = selectors.demands_with_new_proposals(user)
    if not waiting:
        return []
    return [
        Todo(
            _("%(n)d 条需求收到新方案") % {"n": waiting},
            reverse("demands:mine"),
            detail=_("比较报价和方案，选定一家即可生成订单"),
            count=waiting,
            level="warning",
        )
    ]
