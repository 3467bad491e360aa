"""Texts stored now and read later, in the reader's language.

A notification or an audit summary is written by one person (an English-speaking officer, say) and
read by another (a Chinese enterprise), possibly years later. So it is stored as a :class:`Message`:
the Chinese source text (the gettext message id) and its parameters, and rendered with
:meth:`Message.render` in whatever language is active when it is shown or mailed.

    notify(owners, title=msg("订单%(number)s已被服务机构接受", number=order.number), url=...)

``msg`` marks its first argument for ``makemessages`` (the project's command adds it as a keyword).
Parameters may be plain values, dates and decimals (formatted for the reader's language), lazy
translations such as a model's status label (stored as their message id, translated on reading) or
other messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

_MESSAGE = "m"
_CONTEXT = "c"
_PARAMS = "p"
_DATE = "d"
_DECIMAL = "n"


@dataclass(frozen=True)
class Message:
    """A translatable text and its parameters; ``context`` is a pgettext context when there is one."""

    text: str
    params: Mapping[str, Any] = field(default_factory=dict)
    context: str = ""

    def render(self) -> str:
        """The text in the active language, parameters filled in."""
        translated = pgettext(self.context, self.text) if self.context else gettext(self.text)
        if not self.params:
            return translated
        values = {key: _rendered(value) for key, value in self.params.items()}
        for text in (translated, self.text):
            try:
                return text % values
            except (KeyError, ValueError, TypeError):
                # A translation that lost a placeholder must not hide the message: try the source.
                continue
        return self.text

    def __str__(self) -> str:
        return self.render()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {_MESSAGE: self.text}
        if self.context:
            data[_CONTEXT] = self.context
        if self.params:
            data[_PARAMS] = {key: _stored(value) for key, value in self.params.items()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        return cls(
            text=str(data.get(_MESSAGE, "")),
            params={key: _loaded(value) for key, value in (data.get(_PARAMS) or {}).items()},
            context=str(data.get(_CONTEXT, "")),
        )


def msg(text: str, /, **params: Any) -> Message:
    """A message in Chinese (its gettext id) with named ``%(name)s`` parameters."""
    return Message(text, params)


def as_message(value: Any) -> Message:
    """``value`` as a message: a message stays one, a lazy translation keeps its id, anything else is
    a fixed text (shown as it is in every language)."""
    if isinstance(value, Message):
        return value
    if isinstance(value, Promise):
        lazy = _lazy_message(value)
        if lazy is not None:
            return lazy
    return Message("%(text)s", {"text": str(value)})


def render(stored: Mapping[str, Any] | None, fallback: str = "") -> str:
    """A stored message (``Message.to_json()``) in the active language; ``fallback`` when none is stored."""
    if not stored:
        return fallback
    return Message.from_json(stored).render()


def _lazy_message(value: Promise) -> Message | None:
    # gettext_lazy("x") and pgettext_lazy("ctx", "x") keep their arguments on the proxy.
    args = getattr(value, "_args", None)
    if not isinstance(args, tuple) or not all(isinstance(a, str) for a in args):
        return None
    if len(args) == 1:
        return Message(args[0])
    if len(args) == 2:
        return Message(args[1], context=args[0])
    return None


def _rendered(value: Any) -> Any:
    if isinstance(value, Message):
        return value.render()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    return value


def _stored(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, Promise):
        return as_message(value).to_json()
    if isinstance(value, dt.datetime):
        return {_DATE: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _loaded(value: Any) -> Any:
    if isinstance(value, dict):
        if _MESSAGE in value:
            return Message.from_json(value)
        if _DATE in value:
            text = value[_DATE]
            return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
        if _DECIMAL in value:
            return Decimal(value[_DECIMAL])
    return value
