"""The public catalogue: its query as the URL (and the API) carries it, read with a Chinese message
for each bad parameter (``parse_catalogue_params``), and one page of it (``catalogue``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.certification.models import IN_FORCE as CERTIFICATION_IN_FORCE
from sme.certification.models import Certification
from sme.certification.selectors.titles import certified_provider_ids
from sme.core import parsing
from sme.core.pagination import Page, paginate_ahead
from sme.regions.selectors import DistrictChoice, district_choices

from .. import search
from ..models import FeeType, Service, ServiceCategory, ServiceDistrict, ServiceStatus
from .categories import categories_by_key

PER_PAGE = 20
# The catalogue offers no more than this many results (50 pages): a common word such as 财务 or a
# whole function matches tens of thousands of services, and nobody pages that far; they add a word or
# a facet instead. It is not counted either: a page reads its keys and those of the next hundred or
# more rows in one query (``paginate_ahead``), so the count reads "200+" until the end is in sight.
# Counting every match is what made a filtered page slow (issue 4, "Speed").
COUNT_CAP = 1_000
# A keyword in at most this many services (about 1 % of a large catalogue) is looked up in the search
# index first and its services sorted; a commoner one is checked along the sort order, where its
# services come often enough. Each plan is slow where the other is fast (bench/, catalog_search).
FEW_MATCHES = 2_000
SORTS: dict[str, Any] = {
    "newest": gettext_lazy("最新发布"),
    "price_asc": gettext_lazy("价格从低到高"),
    "price_desc": gettext_lazy("价格从高到低"),
    "rating": gettext_lazy("评分最高"),
    "orders": gettext_lazy("成交最多"),
}
_ORDERINGS: dict[str, tuple[Any, ...]] = {
    "newest": ("-published_at", "-id"),
    "price_asc": ("price_low", "id"),
    "price_desc": ("-price_high", "-id"),
    "rating": (F("rating_average").desc(nulls_last=True), "-id"),
    "orders": ("-orders_completed", "-id"),
}
MAX_RATING = Decimal(5)


@dataclass
class CatalogueParams:
    q: str = ""
    category: ServiceCategory | None = None
    district: DistrictChoice | None = None
    fee_type: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    free: bool = False
    certified: bool = False
    min_rating: Decimal | None = None
    sort: str = "newest"
    page: int = 1

    def as_query(self) -> dict[str, str]:
        """The non-default parameters, as the URL carries them."""
        out: dict[str, str] = {}
        if self.q:
            out["q"] = self.q
        if self.category is not None:
            out["category"] = self.category.key
        if self.district is not None:
            out["district"] = self.district.code
        if self.fee_type:
            out["fee_type"] = self.fee_type
        for name in ("price_min", "price_max", "min_rating"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value)
        if self.free:
            out["free"] = "1"
        if self.certified:
            out["certified"] = "1"
        if self.sort != "newest":
            out["sort"] = self.sort
        return out


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _flag(raw: str, name: str, problems: parsing.Problems) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        problems.add(name, _("应为 1 或 0。"))
    return False


def parse_catalogue_params(data: Any) -> tuple[CatalogueParams, dict[str, list[str]]]:
    """Read the catalogue's query parameters; each bad one is named with a Chinese message and
    left out of the filter."""
    problems = parsing.Problems()

    def get(name: str) -> str:
        value = data.get(name, "")
        return value if isinstance(value, str) else str(value)

    params = CatalogueParams(q=get("q").strip()[:100])
    key = get("category").strip()
    if key:
        params.category = categories_by_key().get(key)
        if params.category is None:
            problems.add("category", _("没有这个服务类别：%(key)s。") % {"key": key[:60]})
    district = get("district").strip()
    if district:
        region = next((d for d in district_choices() if d.code == district), None)
        if region is None:
            problems.add("district", _("没有这个区县代码：%(code)s。") % {"code": district[:20]})
        params.district = region
    fee_type = get("fee_type").strip()
    if fee_type:
        if fee_type in FeeType.values:
            params.fee_type = fee_type
        else:
            problems.add(
                "fee_type", _("收费方式应为 %(choices)s 之一。") % {"choices": "、".join(FeeType.values)}
            )
    params.price_min = parsing.money(get("price_min"), "price_min", problems, label=_("最低价"))
    params.price_max = parsing.money(get("price_max"), "price_max", problems, label=_("最高价"))
    if params.price_min is not None and params.price_max is not None and params.price_min > params.price_max:
        problems.add("price_max", _("最高价不能低于最低价。"))
        params.price_max = None
    params.free = _flag(get("free"), "free", problems)
    params.certified = _flag(get("certified"), "certified", problems)
    params.min_rating = parsing.number(
        get("min_rating"), "min_rating", problems, label=_("最低评分"), maximum=MAX_RATING
    )
    sort = get("sort").strip() or "newest"
    if sort in SORTS:
        params.sort = sort
    else:
        problems.add("sort", _("排序方式应为 %(choices)s 之一。") % {"choices": "、".join(SORTS)})
    page = get("page").strip() or "1"
    if page.isdigit() and int(page) >= 1:
        params.page = int(page)
    else:
        problems.add("page", _("页码应为正整数。"))
    return params, problems.by_field


def catalogue_queryset(params: CatalogueParams, *, rare_keyword: bool = False) -> QuerySet[Service]:
    """Published services matching ``params``, sorted (no rows read yet). ``rare_keyword``: the
    keyword matches few services, so look them up in the search index first."""
    qs = Service.objects.filter(status=ServiceStatus.PUBLISHED)
    category = params.category
    if category is not None:
        qs = (
            qs.filter(top_category_id=category.pk)
            if category.parent_id is None
            else qs.filter(category_id=category.pk)
        )
    if params.district is not None:
        qs = qs.filter(
            Q(serves_all_districts=True)
            | Q(pk__in=ServiceDistrict.objects.filter(district_id=params.district.pk).values("service_id"))
        )
    if params.free:
        qs = qs.filter(fee_type=FeeType.FREE)
    elif params.fee_type:
        qs = qs.filter(fee_type=params.fee_type)
    if params.price_min is not None:
        qs = qs.filter(price_high__gte=params.price_min)
    if params.price_max is not None:
        qs = qs.filter(price_low__lte=params.price_max)
    if params.min_rating is not None:
        qs = qs.filter(rating_average__gte=params.min_rating)
    if params.certified:
        qs = qs.filter(
            Exists(
                Certification.objects.filter(
                    organization_id=OuterRef("provider_id"), status__in=CERTIFICATION_IN_FORCE
                )
            )
        )
    if params.q:
        qs = search.filter_by_keyword(qs, params.q, rare=rare_keyword)
    return qs.order_by(*_ORDERINGS[params.sort])


@dataclass
class CatalogueResult:
    page: Page
    params: CatalogueParams
    certified_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ListedDistrict:
    code: str
    name: str


# What a line of the catalogue (page and API) shows; nothing else of these rows is read.
_LISTING_FIELDS = (
    "id",
    "title",
    "provider_id",
    "provider_district_id",
    "category_id",
    "published_revision_id",
    "fee_type",
    "price_low",
    "price_high",
    "serves_all_districts",
    "rating_average",
    "rating_count",
    "orders_completed",
    "published_at",
    "provider__name",
    "provider_district__name",
    "category__key",
    "category__name",
    "category__parent_id",
    "published_revision__fee_type",
    "published_revision__fee_amount",
    "published_revision__fee_min",
    "published_revision__fee_max",
    "published_revision__fee_unit",
    "published_revision__fee_note",
    "published_revision__small_micro_price",
)


def listing_rows(keys: list[int]) -> list[Service]:
    """The catalogue lines of these services, each with ``listed_districts`` (the districts it names,
    empty when it serves the whole city) — two queries, by key alone."""
    rows = list(
        Service.objects.filter(pk__in=keys)
        .select_related("provider", "provider_district", "category", "published_revision")
        .only(*_LISTING_FIELDS)
    )
    named: dict[int, list[ListedDistrict]] = {}
    wanted = [s.pk for s in rows if not s.serves_all_districts]
    if wanted:
        served = (
            ServiceDistrict.objects.filter(service_id__in=wanted)
            .order_by("district__sort_order", "district__code")
            .values_list("service_id", "district__code", "district__name")
        )
        for service_id, code, name in served:
            named.setdefault(service_id, []).append(ListedDistrict(code, name))
    for service in rows:
        service.listed_districts = named.get(service.pk, [])
    return rows


def catalogue(params: CatalogueParams, per_page: int = PER_PAGE) -> CatalogueResult:
    """One page of the catalogue: the page's services with their provider, category, districts and
    whether the provider is certified. Four queries (the keys of the page and of the rows after it,
    which give the count; the rows; their districts; certified providers), and with a keyword a
    fifth first: how many services hold it, from the search index."""
    matches = search.count_matching(params.q, FEW_MATCHES + 1) if params.q else None
    rare = matches is not None and matches <= FEW_MATCHES
    page = paginate_ahead(
        catalogue_queryset(params, rare_keyword=rare),
        params.page,
        per_page=per_page,
        cap=COUNT_CAP,
        # walking a sort order past services without the word: read just one page ahead
        ahead=per_page if matches is not None and not rare else None,
        fetch=listing_rows,
    )
    if matches is not None and not _narrows(params):
        # a keyword alone: the index has counted its matches (up to FEW_MATCHES + 1)
        page.count, page.count_capped = (COUNT_CAP, True) if matches > COUNT_CAP else (matches, False)
    certified = certified_provider_ids(sorted({s.provider_id for s in page.items})) if page.items else set()
    return CatalogueResult(page=page, params=params, certified_ids=certified)


def _narrows(params: CatalogueParams) -> bool:
    """Whether any facet besides the keyword narrows the catalogue."""
    return bool(params.as_query().keys() - {"q", "sort"})
