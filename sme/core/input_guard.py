"""Refuse request parameters no person types: a NUL byte (PostgreSQL cannot store one in text, so a
query reaching the database would fail with a server error). Answered 400 naming the field, before
any view runs: a JSON body for the API, the error page for the rest."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

FORBIDDEN = "\x00"


def _bad_fields(request: HttpRequest) -> list[str]:
    fields = [
        key for key, values in request.GET.lists() if FORBIDDEN in key or any(FORBIDDEN in v for v in values)
    ]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields += [
            key
            for key, values in request.POST.lists()
            if FORBIDDEN in key or any(FORBIDDEN in v for v in values)
        ]
    return [f.replace(FORBIDDEN, "\\0") for f in fields]


class ControlCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = _bad_fields(request)
        if not bad:
            return self.get_response(request)
        message = _("参数含有不可见的控制字符（NUL），请删除后重试：%(fields)s") % {"fields": "、".join(bad)}
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "errors": {f: [_("含有控制字符")] for f in bad}}, status=400
            )
        return render(request, "400.html", {"message": message}, status=400)
