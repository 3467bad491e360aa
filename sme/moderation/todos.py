"""Reports waiting for an officer, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from . import selectors
from .permissions import is_moderator


def todos_for(user: Any) -> list[Todo]:
    if not is_moderator(user):
        return []
    n = selectors.open_count(user)
    if not n:
        return []
    return [Todo(_("内容举报待处理"), reverse("moderation:queue"), count=n, level="warning")]
