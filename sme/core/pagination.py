"""Pagination for lists that may hold millions of rows.

An exact ``COUNT(*)`` over a large filtered table costs more than fetching the page itself, so
counts stop at ``COUNT_CAP`` and are shown as "10,000+". Pages past the cap are not offered:
people narrow the filter instead, and programs use the API's cursor pagination.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

COUNT_CAP = 10_000


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(count, capped)``: the exact count when it is at most ``cap``, else ``(cap, True)``."""
    # Only the keys: lets PostgreSQL answer from an index (index-only scan) without visiting rows.
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    count: int
    count_capped: bool

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def count_display(self) -> str:
        return f"{self.count:,}+" if self.count_capped else f"{self.count:,}"

    @property
    def page_range(self) -> list[int]:
        low = max(1, self.number - 3)
        high = min(self.num_pages, self.number + 3)
        return list(range(low, high + 1))


def paginate(
    queryset: QuerySet,
    page: Any,
    per_page: int = 20,
    *,
    count: tuple[int, bool] | None = None,
    fetch: Callable[[list[Any]], Iterable[Any]] | None = None,
) -> Page:
    """Page ``page`` (1-based; junk or out-of-range values fall back to the nearest valid page).

    ``count`` is ``(count, capped)`` when the caller has a cheaper way to count than
    :func:`capped_count` over ``queryset``; ``fetch`` reads the page's rows by key (see
    :func:`page_rows`)."""
    total, capped = count if count is not None else capped_count(queryset)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    last = max(1, -(-total // per_page))
    number = min(max(1, number), last)
    start = (number - 1) * per_page
    items = page_rows(queryset, start, per_page, fetch=fetch)
    return Page(items=items, number=number, per_page=per_page, count=total, count_capped=capped)


def paginate_ahead(
    queryset: QuerySet,
    page: Any,
    per_page: int = 20,
    *,
    cap: int = COUNT_CAP,
    ahead: int | None = None,
    fetch: Callable[[list[Any]], Iterable[Any]] | None = None,
) -> Page:
    """Page ``page`` without a count query, for lists whose count costs more than their page: one
    query reads the keys of the page and of the rows after it up to a horizon (``ahead`` rows past
    the page; by default at least 100, rounded to hundreds; never past ``cap``). The count is exact
    when the list ends before the horizon, else the horizon with ``count_capped`` ("200+"). Pages
    past ``cap`` are not offered; a page past the end falls back to the last one."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    number = min(number, max(1, cap // per_page))
    start = (number - 1) * per_page
    end = start + per_page
    horizon = min(cap, end + ahead if ahead is not None else (end // 100 + 2) * 100)
    keys = list(queryset.values_list("pk", flat=True)[start : horizon + 1])
    if not keys and number > 1:
        total, _capped = capped_count(queryset, cap=start)
        number = max(1, -(-total // per_page))
        start = (number - 1) * per_page
        keys = list(queryset.values_list("pk", flat=True)[start : horizon + 1])
    seen = start + len(keys)
    capped = seen > horizon
    items = rows_by_key(queryset, keys[:per_page], fetch)
    return Page(
        items=items, number=number, per_page=per_page, count=horizon if capped else seen, count_capped=capped
    )


def rows_by_key(
    queryset: QuerySet, keys: list[Any], fetch: Callable[[list[Any]], Iterable[Any]] | None = None
) -> list[Any]:
    """The rows of ``keys``, in that order (see :func:`page_rows` for ``fetch``)."""
    if not keys:
        return []
    rows = fetch(keys) if fetch is not None else queryset.filter(pk__in=keys).order_by()
    by_key = {row.pk: row for row in rows}
    return [by_key[k] for k in keys if k in by_key]


def page_rows(
    queryset: QuerySet,
    start: int,
    size: int,
    fetch: Callable[[list[Any]], Iterable[Any]] | None = None,
) -> list[Any]:
    """The rows of one page, found by key first: the keys of a filtered, sorted page can come from an
    index alone (PostgreSQL index-only scan), and only ``size`` rows are then read in full.

    By default the rows are read through ``queryset`` again (its filters and annotations apply);
    ``fetch(keys)`` reads them some cheaper way instead, e.g. by key alone when re-applying costly
    filters would only repeat the first query."""
    return rows_by_key(queryset, list(queryset.values_list("pk", flat=True)[start : start + size]), fetch)


class CappedCountPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self._count,
                "count_capped": self._capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def paginate_queryset(self, queryset: QuerySet, request: Any, view: Any = None) -> list[Any] | None:
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        self._count, self._capped = capped_count(queryset)
        self.request = request
        try:
            self._number = max(1, int(request.query_params.get(self.page_query_param, 1)))
        except ValueError:
            self._number = 1
        last = max(1, -(-self._count // page_size))
        if self._number > last:
            from rest_framework.exceptions import NotFound

            raise NotFound(_("页码超出范围。"))
        start = (self._number - 1) * page_size
        self._page_size = page_size
        return list(queryset[start : start + page_size])

    def get_next_link(self) -> str | None:
        from rest_framework.utils.urls import replace_query_param

        if self._number * self._page_size >= self._count:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self._number + 1)

    def get_previous_link(self) -> str | None:
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        if self._number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self._number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self._number - 1)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        base = super().get_paginated_response_schema(schema)
        base["properties"]["count_capped"] = {"type": "boolean"}
        return base


class NewestFirstCursorPagination(CursorPagination):
    """Keyset pagination for large lists read by programs: stable under inserts, no counts."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
