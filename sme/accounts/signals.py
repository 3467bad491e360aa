from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from sme.core import audit
from sme.core.messages import msg


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", actor=user, obj=user, summary=msg("登录成功"))


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", actor=user, obj=user, summary=msg("退出登录"))
