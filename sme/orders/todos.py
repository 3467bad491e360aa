"""What order work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from . import selectors


def todos_for(user: Any) -> list[Todo]:
    counts = selectors.todo_counts(user)
    if not counts:
        return []
    base = reverse("orders:list")
    items: list[Todo] = []
    if counts.get("to_answer"):
        items.append(
            Todo(
                _("新订单待接单"),
                f"{base}?side=received&status=submitted",
                count=counts["to_answer"],
                level="warning",
            )
        )
    if counts.get("to_confirm"):
        items.append(
            Todo(_("服务已交付，待验收"), f"{base}?side=placed&status=delivered", count=counts["to_confirm"])
        )
    if counts.get("to_rate"):
        items.append(
            Todo(
                _("已完成的订单待评价"),
                f"{base}?side=placed&status=completed",
                detail=_("完成后30日内可评价"),
                count=counts["to_rate"],
                level="info",
            )
        )
    return items
