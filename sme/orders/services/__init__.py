"""Writes to orders, one module per seam:

- ``placing``: an order from the catalogue or from an accepted proposal (its creation rows);
- ``fulfilment``: every later move of the workflow, the delivery's files, completion;
- ``overdue``: the daily job (response deadlines, overdue flags);
- ``ratings``: rating, replying, and the officers' hiding of ratings and replies.

Every service checks role and scope, changes an order's status only through the workflow kernel
(``sme.core.workflow``: compare-and-set, transition log, audit row), and notifies the other side after
commit. Nothing here takes a request; reads are in ``selectors``, prices in ``pricing``, dates in
``deadlines``.
"""

from .fulfilment import order_transition
from .overdue import order_flag_overdue, orders_daily
from .placing import check_service_area, order_create, order_create_from_terms
from .ratings import (
    order_rate,
    rating_hide,
    rating_reply,
    rating_reply_hide,
    rating_unhide,
    recount_service_ratings,
)

__all__ = [
    "check_service_area",
    "order_create",
    "order_create_from_terms",
    "order_flag_overdue",
    "order_rate",
    "order_transition",
    "orders_daily",
    "rating_hide",
    "rating_reply",
    "rating_reply_hide",
    "rating_unhide",
    "recount_service_ratings",
]
