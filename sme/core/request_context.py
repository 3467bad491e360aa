"""Who is acting and from where, for the current request or command.

Services take no ``request`` (design rule 1), yet every audit row needs the client's address and
user agent. The middleware below puts them into a context variable for the duration of a request;
the audit writer reads it. Management commands and tasks leave it empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""


_NO_REQUEST = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("sme_request_context", default=_NO_REQUEST)


def current() -> RequestContext:
    return _current.get()


def client_ip(request: HttpRequest) -> str | None:
    """The client address; behind the reverse proxy (see README) nginx sets X-Real-IP."""
    from django.conf import settings

    if getattr(settings, "TRUST_X_REAL_IP", False):
        real = request.META.get("HTTP_X_REAL_IP")
        if real:
            return real.strip()
    return request.META.get("REMOTE_ADDR") or None


@contextmanager
def bound(ctx: RequestContext) -> Iterator[None]:
    token = _current.set(ctx)
    try:
        yield
    finally:
        _current.reset(token)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = RequestContext(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:500])
        with bound(ctx):
            return self.get_response(request)
