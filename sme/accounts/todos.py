from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from . import selectors


def todos_for(user: Any) -> list[Todo]:
    if not user.is_platform_admin:
        return []
    locked = selectors.locked_count()
    if not locked:
        return []
    return [
        Todo(
            _("登录锁定中的账号"),
            reverse("accounts:staff-list"),
            detail=_("连续输错密码被临时锁定"),
            count=locked,
            level="danger",
        )
    ]
