from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from .models import Notification


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: Any) -> int:
    """The navbar badge's count, kept in the cache (every page shows it) and forgotten whenever a
    notification arrives or is read (:func:`forget_unread`)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return int(count)


def forget_unread(user_ids: Iterable[int]) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])


def todos_for(user: Any) -> list[Todo]:
    unread = unread_count(user)
    if not unread:
        return []
    return [Todo(_("未读通知"), reverse("notifications:inbox"), count=unread, level="info")]
