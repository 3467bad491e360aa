"""Who may order a catalogue service, told by the app that takes orders: ``sme.orders`` registers its
rule (``sme.orders.permissions.may_order``) in its ``ready``, so the service page offers
「订购此服务」 to exactly the people the order service accepts. The catalogue never imports the orders
app; without a registered rule nobody is offered the button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (user) -> whether they may order catalogue services for at least one organization
MayOrder = Callable[[Any], bool]

_rule: list[MayOrder] = []


def register(*, may_order: MayOrder) -> None:
    _rule[:] = [may_order]


def may_order(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(_rule) and _rule[0](user)
