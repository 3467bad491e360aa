"""Shared REST helpers: service errors become JSON with the right status and a Chinese message."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import InvalidInput, ServiceError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {"detail": exc.message}
        if isinstance(exc, InvalidInput) and exc.field_errors:
            body["errors"] = exc.field_errors
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)


def error_response(message: str, code: int = status.HTTP_400_BAD_REQUEST, **extra: Any) -> Response:
    return Response({"detail": message, **extra}, status=code)
