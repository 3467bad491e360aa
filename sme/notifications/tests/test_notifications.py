"""Notifications: after commit, once per person, in the reader's language, mail from the worker with
preferences honoured and a failing mail server never breaking the page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from conftest import login
from sme.core.messages import msg
from sme.notifications import services
from sme.notifications.models import Notification, Preference
from sme.notifications.tasks import send_notification_mail
from sme.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _title() -> object:
    return msg("订单%(number)s：%(status)s", number="DD1", status=gettext_lazy("已提交"))


def test_nothing_is_sent_for_a_rolled_back_change(django_capture_on_commit_callbacks):
    person = UserFactory(email="a@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.notify([person], title="不会送达")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_each_person_once_and_inactive_people_never(django_capture_on_commit_callbacks):
    person = UserFactory(email="a@example.cn")
    gone = UserFactory(email="b@example.cn", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([person, person, gone], title=_title(), body="正文", url="/orders/1/")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [person.pk]
    assert [m.to for m in mail.outbox] == [["a@example.cn"]]
    assert Notification.objects.get().emailed_at is not None


def test_written_by_an_english_speaker_read_in_chinese_and_mailed_in_the_readers_language(
    django_capture_on_commit_callbacks,
):
    chinese = UserFactory(email="zh@example.cn")
    english = UserFactory(email="en@example.cn")
    Preference.objects.create(user=english, language="en")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.notify([chinese, english], title=_title())
    row = Notification.objects.get(recipient=chinese)
    assert row.title == "订单DD1：已提交"
    with translation.override("zh-hans"):
        assert row.title_text == "订单DD1：已提交"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "订单DD1：已提交" in subjects["zh@example.cn"]
    assert "Submitted" in subjects["en@example.cn"]


def test_an_event_muted_for_mail_still_arrives_in_app(django_capture_on_commit_callbacks):
    person = UserFactory(email="a@example.cn")
    services.preference_save(actor=person, language="zh-hans", email_off=["orders"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([person], title="订单消息", event="orders")
        services.notify([person], title="诉求消息", event="tickets")
    assert Notification.objects.filter(recipient=person).count() == 2
    assert [m.subject for m in mail.outbox] == [mail.outbox[0].subject]
    assert "诉求消息" in mail.outbox[0].subject


def test_an_unknown_event_is_a_programming_error():
    with pytest.raises(LookupError):
        services.notify([UserFactory()], title="x", event="nosuch")


def test_a_failing_mail_server_does_not_break_the_change_and_is_not_marked_sent(
    django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "sme.notifications.tests.test_notifications.FailingBackend"
    person = UserFactory(email="a@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([person], title="x")
    row = Notification.objects.get()
    assert row.emailed_at is None, "not marked sent, so a retry would send it"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_notification_mail.apply(args=[[row.pk]]).get() == {"sent": 1, "skipped": 0, "failed": 0}
    assert send_notification_mail.apply(args=[[row.pk]]).get()["sent"] == 0, "never twice"


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_preferences_page_and_badge(client):
    person = UserFactory()
    Notification.objects.create(recipient=person, title="一")
    Notification.objects.create(recipient=person, title="二")
    login(client, person)
    page = client.get("/notifications/settings/").content.decode()
    assert 'data-testid="notification-badge"' in page and ">2<" in page
    response = client.post("/notifications/settings/", {"language": "en", "email_off": ["orders", "tickets"]})
    assert response.status_code == 302
    preference = Preference.objects.get(user=person)
    assert (preference.language, preference.email_off) == ("en", ["orders", "tickets"])
    bad = client.post("/notifications/settings/", {"language": "fr"})
    assert bad.status_code == 400
    assert Preference.objects.get(user=person).language == "en", "a bad form changes nothing"
    client.post("/notifications/read/")
    assert ">2<" not in client.get("/notifications/").content.decode()


def test_a_person_sees_only_their_own_notifications(client):
    mine, theirs = UserFactory(), UserFactory()
    Notification.objects.create(recipient=theirs, title="别人的通知")
    login(client, mine)
    assert "别人的通知" not in client.get("/notifications/").content.decode()


def test_the_rows_are_in_the_callers_transaction_and_the_mail_waits_for_the_commit(
    django_capture_on_commit_callbacks,
):
    person = UserFactory(email="a@example.cn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify([person], title="同一事务")
        assert Notification.objects.filter(recipient=person).count() == 1, "written with the change"
        assert not mail.outbox, "no mail before the commit"
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
