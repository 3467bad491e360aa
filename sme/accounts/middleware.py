"""Ends a session after ``SESSION_IDLE_TIMEOUT`` without a request (等保 2.0 三级)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sme.core import audit
from sme.core.messages import msg

SESSION_KEY = "last_activity"
# Re-saving the session on every request would write on every page view; a minute's slack is harmless.
TOUCH_INTERVAL_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY)
            idle_limit = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            if last is not None and now - last > idle_limit:
                audit.record(
                    "auth.session_expired", actor=user, obj=user, summary=msg("会话空闲超时，自动退出")
                )
                logout(request)
                messages.info(
                    request,
                    _("您已超过%(minutes)d分钟未操作，为保护账号安全已自动退出，请重新登录。")
                    % {"minutes": int(idle_limit // 60)},
                )
            elif last is None or now - last > TOUCH_INTERVAL_SECONDS:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
