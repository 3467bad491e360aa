from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sme.core.messages import render


class Notification(models.Model):
    """An in-app message to one person; the same text also goes by email when they have an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # The title and body as message ids with parameters (sme.core.messages), shown in the reader's
    # language; ``title``/``body`` keep the Chinese text (and are all that rows written before have).
    message = models.JSONField(_("消息"), default=dict, blank=True)
    event = models.CharField(_("事件类别"), max_length=40, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        return render(self.message.get("title"), self.title)

    @property
    def body_text(self) -> str:
        return render(self.message.get("body"), self.body)


class Preference(models.Model):
    """How one person wants to be told: the language of their mail, and which kinds of event by mail.

    In-app notifications always arrive; only e-mail can be turned off, per event category.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(_("邮件语言"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    email_off = models.JSONField(_("不发邮件的事件类别"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return str(self.user)

    def wants_email(self, event: str) -> bool:
        return event not in (self.email_off or [])
