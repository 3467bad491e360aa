"""Types used only in annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from sme.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request a view behind ``@login_required`` receives: ``user`` is never AnonymousUser.

    For annotations only: Django still passes an ordinary ``HttpRequest``.
    """

    user: User
