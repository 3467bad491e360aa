"""Errors that services raise and that views, forms and the API turn into messages for people.

Every message is already translated (gettext) and says what is wrong in terms the user knows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ServiceError(Exception):
    """A write was refused; nothing was changed."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    """Bad input. ``field_errors`` maps a field name (or ``__all__``) to its messages."""

    def __init__(self, message: str, field_errors: Mapping[str, Sequence[str]] | None = None):
        super().__init__(message)
        self.field_errors = {k: list(v) for k, v in (field_errors or {}).items()}


class NotAllowed(ServiceError):
    """The actor may not do this to this record (role or scope)."""

    status_code = 403


class Conflict(ServiceError):
    """Someone else changed the record first; the caller's change was not applied."""

    status_code = 409
