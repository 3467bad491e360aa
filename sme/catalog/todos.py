"""What catalogue work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from . import selectors
from .permissions import is_reviewer


def todos_for(user: Any) -> list[Todo]:
    if not is_reviewer(user):
        return []
    waiting = selectors.queue_count(user)
    if not waiting:
        return []
    return [
        Todo(
            _("%(n)s 项服务待审核") % {"n": waiting},
            reverse("catalog:review"),
            detail=_("首次发布及收费、时间变更"),
            count=waiting,
            level="warning",
        )
    ]
