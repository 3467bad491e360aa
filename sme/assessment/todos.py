"""What assessment work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core.todos import Todo

from . import selectors
from .selectors import enterprises_of


def todos_for(user: Any) -> list[Todo]:
    if getattr(user, "role", None) != Role.ENTERPRISE:
        return []
    if not enterprises_of(user).exists():
        return []
    items: list[Todo] = []
    drafts = list(selectors.drafts_of_member(user))
    for draft in drafts:
        items.append(
            Todo(
                _("继续填写评测：%(q)s") % {"q": draft.questionnaire.name},
                reverse("assessment:fill", args=[draft.pk, 1]),
                detail=_("%(org)s，已答%(n)s题，草稿已保存")
                % {"org": draft.organization.name, "n": len(draft.answers)},
                level="warning",
            )
        )
    if not drafts and not selectors.has_submitted(user):
        items.append(
            Todo(
                _("开展数字化水平评测"),
                reverse("assessment:home"),
                detail=_("了解企业数字化水平、与同类企业的差距和适合的服务"),
                level="info",
            )
        )
    return items
