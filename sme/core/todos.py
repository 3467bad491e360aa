"""The to-do list on each user's landing page, gathered from every app.

An app registers a function ``(user) -> list[Todo]`` in its ``AppConfig.ready``; the dashboard asks
them all. Each function reads through the app's own selectors, so scope rules apply here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Todo:
    title: str
    url: str = ""
    detail: str = ""
    count: int | None = None
    level: str = "primary"  # Bootstrap contextual colour: primary, warning, danger, info


TodoProvider = Callable[[Any], list[Todo]]
_providers: list[TodoProvider] = []


def register(provider: TodoProvider) -> TodoProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todos_for(user: Any) -> list[Todo]:
    items: list[Todo] = []
    for provider in _providers:
        items.extend(provider(user))
    return items
