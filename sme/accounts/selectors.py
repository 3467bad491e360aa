"""Reads of accounts: the administrators' list, locked accounts, token holders."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Role, User


def staff_list(*, role: str = "", q: str = "") -> QuerySet[User]:
    """Every account for the administrators' list, by role then username; ``role`` (if a known one)
    and ``q`` (part of the username or name, or the whole mobile number) narrow it."""
    qs = User.objects.select_related("jurisdiction").order_by("role", "username")
    if role in Role.values:
        qs = qs.filter(role=role)
    q = q.strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(real_name__icontains=q) | Q(mobile=q))
    return qs


def account(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def locked_count() -> int:
    """Accounts locked out right now (too many wrong passwords)."""
    return User.objects.filter(locked_until__gt=timezone.now()).count()


def holder_of_token(key: str) -> User:
    """The user an API token was issued to."""
    return User.objects.get(auth_token__key=key)
