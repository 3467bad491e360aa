"""Sending notifications: in-app rows written in the caller's transaction (an outbox: they commit or
roll back with the change they are about, so nobody is told of a change that was rolled back and no
change is left without its notification), then e-mail after the commit from the worker
(``tasks.send_notification_mail``), so a slow or failing mail server never slows or breaks a page.

A title and body are best given as :class:`~sme.core.messages.Message` (``msg("…%(x)s…", x=…)``): the
row keeps the message id and its parameters and shows it in the reader's language; the mail goes out
in the language of the recipient's preference. ``event`` is the category the recipient may mute for
e-mail (:func:`register_events`); in-app notifications always arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sme.core.messages import Message, as_message

from .models import Notification, Preference
from .selectors import forget_unread

log = logging.getLogger(__name__)

GENERAL = "general"
_EVENTS: dict[str, Any] = {GENERAL: _("其他通知")}


def register_events(events: Mapping[str, Any]) -> None:
    """Event categories people may turn e-mail off for, with their labels (apps call this in ready)."""
    _EVENTS.update(events)


def event_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in _EVENTS.items()]


def _stored(text: str | Message) -> tuple[str, dict[str, Any]]:
    from django.conf import settings
    from django.utils import translation

    if isinstance(text, Message):
        with translation.override(settings.LANGUAGE_CODE):
            return text.render(), text.to_json()
    if not text:
        return "", {}
    return str(text), as_message(text).to_json() if not isinstance(text, str) else {}


def notify(
    recipients: Iterable[Any],
    *,
    title: str | Message,
    body: str | Message = "",
    url: str = "",
    event: str = GENERAL,
) -> None:
    """Tell each active recipient (once, however often listed): the in-app rows in the caller's
    transaction, the mail after it commits."""
    if event not in _EVENTS:
        raise LookupError(f"notification event {event!r} is not registered (register_events)")
    people = [
        r for r in {getattr(r, "pk", None): r for r in recipients}.values() if r is not None and r.is_active
    ]
    if not people:
        return
    title_text, title_message = _stored(title)
    body_text, body_message = _stored(body)
    message = {k: v for k, v in (("title", title_message), ("body", body_message)) if v}

    # The rows are written now, in the caller's transaction (an outbox): they exist exactly when the
    # change they are about does. Only the mail waits for the commit, and goes from the worker.
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=p,
                title=title_text[:200],
                body=body_text,
                url=url[:300],
                message=message,
                event=event,
            )
            for p in people
        ]
    )
    mailed = [row.pk for row, person in zip(rows, people, strict=True) if person.email]
    recipient_ids = [p.pk for p in people]

    def after_commit() -> None:
        forget_unread(recipient_ids)
        if not mailed:
            return
        from .tasks import send_notification_mail

        try:
            send_notification_mail.delay(mailed)
        except Exception:  # a broker that is down must not undo the change the mail is about
            log.exception("could not queue notification mail %s", mailed)

    transaction.on_commit(after_commit)


def notification_mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    changed = qs.update(read_at=timezone.now())
    forget_unread([actor.pk])
    return changed


def preference_for(user: Any) -> Preference:
    """The user's preference, or the defaults (Chinese, every event by mail) when never saved."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def preference_save(*, actor: Any, language: str, email_off: Iterable[str]) -> Preference:
    from django.conf import settings
    from django.utils.translation import gettext

    from sme.core.errors import InvalidInput

    languages = {code for code, _label in settings.LANGUAGES}
    if language not in languages:
        raise InvalidInput(gettext("请选择邮件语言。"), {"language": [gettext("无效的选择")]})
    muted = sorted(set(email_off))
    unknown = [key for key in muted if key not in _EVENTS]
    if unknown:
        raise InvalidInput(gettext("无效的事件类别。"), {"email_off": [", ".join(unknown)]})
    preference, _created = Preference.objects.update_or_create(
        user=actor, defaults={"language": language, "email_off": muted}
    )
    return preference
