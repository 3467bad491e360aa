"""Telling people about an order: in-app and by mail (event ``orders``), after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sme.core.messages import Message
from sme.notifications.services import notify

from ..models import Order

EVENT = "orders"


def tell(people: Iterable[Any], order: Order, *, title: Message, body: str | Message = "") -> None:
    notify(people, title=title, body=body, url=order.get_absolute_url(), event=EVENT)
