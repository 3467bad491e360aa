"""Chinese keyword search: segmentation, the index kept in step, the page and the API."""

from __future__ import annotations

import pytest

from sme.catalog import search, selectors, services
from sme.catalog.models import Service
from sme.catalog.selectors import public_catalogue
from sme.catalog.tests.factories import published_service
from sme.core.search import query_terms, segment, segment_for_index


def test_segment_lowercases_and_drops_punctuation():
    words = segment("ERP 系统、云服务！")
    assert "erp" in words and "系统" in words
    assert not any(w.strip() == "" or w in ("、", "！") for w in words)


def test_segment_for_index_holds_the_short_words_of_long_ones():
    words = segment_for_index("财务管理软件").split()
    assert "财务" in words and "财务管理" in words


def test_query_of_punctuation_only_has_no_terms():
    assert query_terms("，。！") == []


@pytest.fixture
def finance(provider_user, district_officer):
    return published_service(provider_user, district_officer, title="财务管理软件")


@pytest.fixture
def other(provider_user, district_officer):
    return published_service(
        provider_user,
        district_officer,
        title="工业设计打样",
        summary="",
        content="产品外观设计与样机制作",
        category="industrial-design",
    )


def ids(q):
    return set(search.filter_by_keyword(Service.objects.all(), q).values_list("pk", flat=True))


def test_partial_word_finds_the_service(finance, other):
    assert ids("财务") == {finance.pk}
    assert ids("工业设计") == {other.pk}


def test_all_terms_must_match(finance, other):
    assert ids("财务 样机") == set()
    assert ids("万州 样机") == {other.pk}


def test_provider_name_or_part_of_it_finds_its_services(finance, other):
    assert ids("重庆万州测试服务有限公司") == {finance.pk, other.pk}
    assert ids("万州测试") == {finance.pk, other.pk}


def test_withdrawn_service_leaves_the_index(provider_user, finance):
    services.service_withdraw(actor=provider_user, service=finance)
    assert ids("财务") == set()
    assert search.indexed_words(finance.pk) is None
    finance.refresh_from_db()
    services.service_republish(actor=provider_user, service=finance)
    assert ids("财务") == {finance.pk}


def test_renamed_provider_is_found_under_the_new_name(finance):
    provider = finance.provider
    provider.name = "重庆江南数智科技有限公司"
    provider.save()
    assert ids("数智") == {finance.pk}
    assert ids("万州测试") == set()


def test_index_services_is_bulk_and_idempotent(finance, other, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        search.index_services([finance.pk, other.pk, finance.pk])
    assert ids("财务") == {finance.pk}


def test_page_and_api_find_by_chinese_keyword(client, finance, other):
    page = client.get("/catalog/", {"q": "财务"}).content.decode()
    assert "财务管理软件" in page and "工业设计打样" not in page
    body = client.get("/api/v1/catalog/services", {"q": "财务"}).json()
    assert [r["title"] for r in body["results"]] == ["财务管理软件"]
    row = body["results"][0]
    assert row["provider"]["name"] == "重庆万州测试服务有限公司"
    assert row["category"]["key"] == "finance-management"
    assert row["fee"]["type"] == "fixed" and row["fee"]["amount"] == "8000.00"
    by_provider = client.get("/api/v1/catalog/services", {"q": "万州测试"}).json()
    assert by_provider["count"] == 2


# --- counting a keyword search ------------------------------------------------------------------


def catalogue_count(**query):
    params, errors = selectors.parse_catalogue_params(query)
    assert errors == {}
    page = selectors.catalogue(params).page
    return page.count, page.count_capped


def test_keyword_count_leaves_out_unpublished_services(provider_user, district_officer, finance, other):
    second = published_service(provider_user, district_officer, title="财务共享")
    services.service_withdraw(actor=provider_user, service=second)
    assert catalogue_count(q="财务") == (1, False)
    assert catalogue_count(q="万州测试") == (2, False)
    assert catalogue_count(q="万州测试", category="industrial-design") == (1, False)


def test_catalogue_offers_no_more_than_its_cap(monkeypatch, provider_user, district_officer, finance):
    for title in ("财务外包", "财务咨询"):
        published_service(provider_user, district_officer, title=title)
    monkeypatch.setattr(public_catalogue, "COUNT_CAP", 2)
    assert catalogue_count(q="财务") == (2, True)
    assert catalogue_count(q="财务", district="500101") == (2, True)
    assert catalogue_count() == (2, True)
    monkeypatch.setattr(public_catalogue, "COUNT_CAP", 3)
    assert catalogue_count(q="财务") == (3, False)
    assert catalogue_count(q="财务", fee_type="fixed") == (3, False)


def test_punctuation_only_keyword_counts_like_no_keyword(finance, other):
    assert catalogue_count(q="，。！") == catalogue_count() == (2, False)


@pytest.mark.parametrize("query", [{"q": "财务"}, {"q": "财务", "district": "500101", "sort": "price_asc"}])
def test_rare_and_common_keyword_plans_find_the_same_services(
    monkeypatch, provider_user, district_officer, finance, other, query
):
    for title in ("财务外包", "工业设计咨询", "财务咨询"):
        published_service(provider_user, district_officer, title=title)

    def found():
        params, _errors = selectors.parse_catalogue_params({**query, "page": "1"})
        page = selectors.catalogue(params, per_page=2).page
        return [s.pk for s in page.items], page.count, page.count_capped

    expected = len(ids("财务"))
    rare = found()  # few matches: looked up in the index first
    monkeypatch.setattr(public_catalogue, "FEW_MATCHES", expected - 1)
    common = found()  # checked along the sort order, one page ahead
    assert rare == common
    assert len(rare[0]) == 2 and rare[1:] == (expected, False)
