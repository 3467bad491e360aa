"""Authentication by username or mobile number, with account lock-out (等保 2.0 三级).

The lock-out lives here rather than in the login view so that every way in (the login page, the
API token endpoint, the admin) counts failures against the same account, whichever identifier
was typed.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from sme.core import audit
from sme.core.messages import Message, msg
from sme.core.models import AuditLog

from .models import User

USERNAME_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{2,29}")
MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}")


def find_user(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return User.objects.filter(Q(username=identifier) | Q(mobile=identifier)).first()


def register_failure(user: User) -> User:
    """Count one failed attempt; lock the account when the limit is reached. Returns the fresh row."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.locked_until is not None and not locked.is_locked():
            # The previous lock has run out: counting starts again, as the form promises.
            locked.failed_login_count, locked.locked_until = 0, None
        locked.failed_login_count += 1
        just_locked = locked.failed_login_count >= settings.LOGIN_FAILURE_LIMIT
        if just_locked:
            locked.locked_until = timezone.now() + settings.LOGIN_LOCKOUT
        locked.save(update_fields=["failed_login_count", "locked_until"])
        audit.record(
            "auth.login_failed",
            actor=locked,
            obj=locked,
            summary=msg("密码错误（连续第%(n)s次）", n=locked.failed_login_count),
            result=AuditLog.Result.FAILURE,
        )
        if just_locked:
            audit.record(
                "auth.locked",
                actor=locked,
                obj=locked,
                summary=msg(
                    "连续%(n)s次登录失败，账号锁定至%(until)s",
                    n=locked.failed_login_count,
                    until=f"{timezone.localtime(locked.locked_until):%H:%M}",
                ),
                result=AuditLog.Result.DENIED,
            )
    return locked


def _loggable(identifier: str) -> str | Message:
    """What was typed as the login name, unless it does not look like one (people do type their
    password into the wrong box, and the audit log must not keep it)."""
    text = identifier.strip()
    if USERNAME_SHAPE.fullmatch(text) or MOBILE_SHAPE.fullmatch(text):
        return text
    return msg("（不像用户名或手机号的输入，未记录原文）")


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            audit.record(
                "auth.login_failed",
                summary=msg("账号不存在：%(login)s", login=_loggable(username)),
                result=AuditLog.Result.FAILURE,
            )
            return None
        if user.is_locked():
            User().set_password(password)  # nor whether it is locked
            audit.record(
                "auth.login_refused_locked",
                actor=user,
                obj=user,
                summary=msg("账号锁定期间尝试登录"),
                result=AuditLog.Result.DENIED,
            )
            return None
        if not self.user_can_authenticate(user):
            audit.record(
                "auth.login_failed",
                actor=user,
                obj=user,
                summary=msg("账号已停用"),
                result=AuditLog.Result.DENIED,
            )
            return None
        if not user.check_password(password):
            register_failure(user)
            return None
        if user.failed_login_count or user.locked_until:
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
            user.failed_login_count, user.locked_until = 0, None
        return user
