"""What 诉求 work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import clock
from sme.core.todos import Todo

from . import selectors


def todos_for(user: Any) -> list[Todo]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    items: list[Todo] = []
    today = clock.today()
    url = reverse("tickets:list")
    if user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):
        waiting, overdue = selectors.pending_for_officer(user, today)
        if waiting:
            items.append(
                Todo(
                    _("%(n)s 件诉求待处理（%(m)s 件已超时）") % {"n": waiting, "m": overdue},
                    f"{url}?status=open",
                    count=waiting,
                    level="danger" if overdue else "warning",
                )
            )
    elif user.role == Role.ENTERPRISE:
        unrated = selectors.unrated_for_enterprise(user)
        if unrated:
            items.append(
                Todo(
                    _("诉求已办结，请评价办理情况"),
                    f"{url}?status=closed",
                    count=unrated,
                    level="info",
                )
            )
    return items
