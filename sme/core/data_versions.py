"""A version number per kind of rules-as-data, kept in the shared cache.

Each loader bumps its counter after applying its data files; anything cached from that data puts the
counter in its key, so every web process starts afresh after a ``migrate``.
"""

from __future__ import annotations

from typing import cast

from django.core.cache import cache


def _key(name: str) -> str:
    return f"{name}:data-version"


def data_version(name: str) -> int:
    return cast(int, cache.get_or_set(_key(name), 1, timeout=None))


def bump_data_version(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # the counter was evicted or never set
        cache.set(_key(name), 2, timeout=None)
