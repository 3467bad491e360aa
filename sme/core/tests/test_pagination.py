"""Pagination of large lists: capped counts (``paginate``) and counting ahead (``paginate_ahead``)."""

from __future__ import annotations

import pytest

from sme.accounts.models import User
from sme.core.pagination import paginate, paginate_ahead

pytestmark = pytest.mark.django_db


def people(n: int) -> list[int]:
    User.objects.bulk_create(User(username=f"p{i:04d}", mobile=f"138{i:08d}") for i in range(n))
    return list(
        User.objects.filter(username__startswith="p").order_by("username").values_list("pk", flat=True)
    )


def listed():
    return User.objects.filter(username__startswith="p").order_by("username")


def keys(page) -> list[int]:
    return [row.pk for row in page.items]


def test_paginate_takes_a_count_the_caller_has():
    pks = people(5)
    page = paginate(listed(), 2, per_page=2, count=(5, False))
    assert (keys(page), page.count, page.num_pages) == (pks[2:4], 5, 3)


def test_fetch_reads_the_rows_of_the_keys_in_order():
    pks = people(4)
    asked = []

    def fetch(ks):
        asked.append(list(ks))
        return User.objects.filter(pk__in=ks).order_by("-pk")

    page = paginate_ahead(listed(), 1, per_page=3, fetch=fetch)
    assert asked == [pks[:3]] and keys(page) == pks[:3]


def test_count_is_exact_when_the_end_is_within_the_horizon():
    pks = people(7)
    page = paginate_ahead(listed(), 2, per_page=3)
    assert (keys(page), page.count, page.count_capped, page.num_pages) == (pks[3:6], 7, False, 3)


def test_count_stops_at_the_horizon_past_the_page():
    people(230)
    first = paginate_ahead(listed(), 1, per_page=20)
    assert (first.count, first.count_capped, first.count_display) == (200, True, "200+")
    assert first.page_range == [1, 2, 3, 4]
    # the horizon moves with the page: at least 100 rows past it, in hundreds
    ninth = paginate_ahead(listed(), 9, per_page=20)
    assert (ninth.count, ninth.count_capped, len(ninth.items)) == (230, False, 20)


def test_no_page_past_the_cap():
    pks = people(9)
    page = paginate_ahead(listed(), 4, per_page=2, cap=4)
    assert (page.number, keys(page), page.count, page.count_capped) == (2, pks[2:4], 4, True)
    assert not page.has_next


def test_a_page_past_the_end_falls_back_to_the_last_one():
    pks = people(7)
    page = paginate_ahead(listed(), 9, per_page=2)
    assert (page.number, keys(page), page.count, page.count_capped) == (4, pks[6:], 7, False)


@pytest.mark.parametrize("raw", ["", "x", None, "-3", "0"])
def test_junk_page_numbers_read_as_the_first_page(raw):
    pks = people(3)
    page = paginate_ahead(listed(), raw, per_page=2)
    assert (page.number, keys(page)) == (1, pks[:2])


def test_an_empty_list_has_one_empty_page():
    page = paginate_ahead(listed(), 3, per_page=2)
    assert (page.number, page.items, page.count, page.count_capped) == (1, [], 0, False)
