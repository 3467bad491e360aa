"""Mail for notifications, sent by the worker (eager in-process when no broker is configured)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation

log = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task(name="notifications.send_mail", bind=True, max_retries=MAX_RETRIES, acks_late=True)
def send_notification_mail(self: Any, notification_ids: list[int]) -> dict[str, int]:
    """One mail per notification not mailed yet, in the recipient's language, unless they turned
    mail off for its event. A failing mail server is retried with backoff (1, 2, 4, 8, 16 minutes);
    without a worker (eager) it is logged, never raised into the page that caused it."""
    from .models import Notification
    from .services import preference_for

    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    )
    sent = skipped = 0
    failed: list[int] = []
    for row in rows:
        person = row.recipient
        preference = preference_for(person)
        if not person.email or not person.is_active or not preference.wants_email(row.event):
            skipped += 1
            continue
        with translation.override(preference.language):
            subject = f"[{settings.PLATFORM_NAME}] {row.title_text}"
            text = f"{row.body_text}\n\n{row.url}".strip()
        try:
            send_mail(subject, text, None, [person.email], fail_silently=False)
        except Exception:
            log.exception("notification mail %s failed", row.pk)
            failed.append(row.pk)
            continue
        Notification.objects.filter(pk=row.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        sent += 1
    if failed and not self.request.is_eager and self.request.retries < MAX_RETRIES:
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)
    return {"sent": sent, "skipped": skipped, "failed": len(failed)}
