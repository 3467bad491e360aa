"""Authentication by username or mobile number, with account lock-out (等保 2.0 三级).

The lock-out lives here rather than in the login view so that every way in (the login page, the
API token endpoint, the admin) counts failures against the same account, whichever identifier
was typed.
"""

from __future__ import annotations

import hashlib
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

from .models import LoginThrottle, User

USERNAME_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{2,29}")
MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}")


def find_user(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return User.objects.filter(Q(username=identifier) | Q(mobile=identifier)).first()


def throttle_key(identifier: str) -> str:
    return hashlib.sha256((identifier or "").strip().lower().encode()).hexdigest()


def login_state(identifier: str) -> User | LoginThrottle:
    """What counts the failures of the name typed: its account, or the throttle row of a name no
    account has (a fresh, unsaved one when it never failed). Both have ``failed_login_count``,
    ``locked_until`` and ``is_locked()``, so the answers are built alike."""
    user = find_user(identifier)
    if user is not None:
        return user
    return LoginThrottle.objects.filter(key=throttle_key(identifier)).first() or LoginThrottle()


def _count_failure(row: Any) -> bool:
    """One more failure on ``row`` (locked for update by the caller); True when it locks now."""
    if row.locked_until is not None and not row.is_locked():
        # The previous lock has run out: counting starts again, as the form promises.
        row.failed_login_count, row.locked_until = 0, None
    row.failed_login_count += 1
    just_locked = row.failed_login_count >= settings.LOGIN_FAILURE_LIMIT
    if just_locked:
        row.locked_until = timezone.now() + settings.LOGIN_LOCKOUT
    row.save(update_fields=["failed_login_count", "locked_until"])
    return just_locked


def register_unknown_failure(identifier: str) -> LoginThrottle:
    """Count a failure of a login name no account has, exactly as an account's would be counted."""
    key = throttle_key(identifier)
    with transaction.atomic():
        LoginThrottle.objects.get_or_create(key=key)
        row = LoginThrottle.objects.select_for_update().get(key=key)
        _count_failure(row)
    return row


def register_failure(user: User) -> User:
    """Count one failed attempt; lock the account when the limit is reached. Returns the fresh row."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        just_locked = _count_failure(locked)
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
            # The same work and the same counting as for an account, so that neither the answer nor
            # its timing says whether the name exists.
            User().set_password(password)
            throttle = login_state(username)
            if throttle.is_locked():
                audit.record(
                    "auth.login_refused_locked",
                    summary=msg("锁定期间尝试登录（账号不存在）：%(login)s", login=_loggable(username)),
                    result=AuditLog.Result.DENIED,
                )
                return None
            register_unknown_failure(username)
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
