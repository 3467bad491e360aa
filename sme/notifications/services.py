"""Sending notifications: in-app rows plus email, both after the surrounding transaction commits,
so nobody is told about a change that was rolled back."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


def notify(recipients: Iterable[Any], *, title: str, body: str = "", url: str = "") -> None:
    people = [
        r for r in {getattr(r, "pk", None): r for r in recipients}.values() if r is not None and r.is_active
    ]
    if not people:
        return

    def deliver() -> None:
        Notification.objects.bulk_create(
            [Notification(recipient=p, title=title[:200], body=body, url=url[:300]) for p in people]
        )
        addresses = [p.email for p in people if p.email]
        if addresses:
            try:
                send_mail(
                    f"[{settings.PLATFORM_NAME}] {title}",
                    f"{body}\n\n{url}".strip(),
                    None,
                    addresses,
                    fail_silently=False,
                )
            except Exception:  # mail trouble must not undo the change the mail is about
                log.exception("notification email failed: %s", title)

    transaction.on_commit(deliver)


def notification_mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
