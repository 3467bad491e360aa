from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from .models import Notification


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def todos_for(user: Any) -> list[Todo]:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    if not unread:
        return []
    return [Todo(_("未读通知"), reverse("notifications:inbox"), count=unread, level="info")]
