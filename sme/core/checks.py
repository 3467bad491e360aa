"""System checks that catch a broken installation at start-up rather than on the first request."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def argon2_available(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher"):
        return []
    try:
        import argon2  # noqa: F401
    except ImportError:
        return [Error("argon2-cffi is not installed but Argon2 is the password hasher.", id="sme.E001")]
    return []
