"""Reads of the catalogue, scoped and shaped for the pages and the API (few queries each)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.certification.lifecycle import IN_FORCE as CERTIFICATION_IN_FORCE
from sme.certification.selectors import certified_provider_ids
from sme.core.pagination import Page, paginate, paginate_ahead
from sme.organizations.models import Organization
from sme.organizations.permissions import jurisdiction_district_ids
from sme.regions.models import Region
from sme.regions.selectors import DistrictChoice, district_choices

from . import search
from .models import (
    FeeType,
    RevisionStatus,
    Service,
    ServiceAttachment,
    ServiceCategory,
    ServiceDistrict,
    ServiceRevision,
    ServiceStatus,
    SubsidyCap,
)
from .permissions import reviews_all

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


# --- categories (a small table, kept per process for a minute) -------------------------------

_categories_lock = threading.Lock()
_categories: dict[str, ServiceCategory] | None = None
_categories_read_at = 0.0
CATEGORIES_KEPT_SECONDS = 60.0


def forget_categories(**_signal: Any) -> None:
    """Read the categories afresh on next use (the loader, and saves in this process, call it;
    other processes see a change within ``CATEGORIES_KEPT_SECONDS``)."""
    global _categories
    with _categories_lock:
        _categories = None


def categories_by_key() -> dict[str, ServiceCategory]:
    """Every active category by key, in display order (functions before their sub-categories)."""
    global _categories, _categories_read_at
    found = _categories
    if found is None or time.monotonic() - _categories_read_at > CATEGORIES_KEPT_SECONDS:
        rows = list(ServiceCategory.objects.filter(is_active=True).order_by("sort_order", "id"))
        found = {c.key: c for c in rows}
        with _categories_lock:
            _categories, _categories_read_at = found, time.monotonic()
    return found


def category_tree() -> list[tuple[ServiceCategory, list[ServiceCategory]]]:
    """The functions, each with its sub-categories."""
    cats = list(categories_by_key().values())
    tops = [c for c in cats if c.parent_id is None]
    return [(top, [c for c in cats if c.parent_id == top.pk]) for top in tops]


def category_by_id(pk: int | None) -> ServiceCategory | None:
    if pk is None:
        return None
    return next((c for c in categories_by_key().values() if c.pk == pk), None)


# --- the public catalogue ---------------------------------------------------------------------


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
        for name in ("fee_type",):
            if getattr(self, name):
                out[name] = getattr(self, name)
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


def _flag(raw: str, name: str, errors: dict[str, list[str]]) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        errors[name] = [_("应为 1 或 0。")]
    return False


def _decimal(
    raw: str, name: str, errors: dict[str, list[str]], *, top: Decimal | None = None
) -> Decimal | None:
    text = raw.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[name] = [_("应为数字，收到“%(raw)s”。") % {"raw": text[:20]}]
        return None
    if not value.is_finite() or value < 0 or (top is not None and value > top):
        errors[name] = (
            [_("应在 0 到 %(top)s 之间。") % {"top": top}] if top is not None else [_("不能为负数。")]
        )
        return None
    return value


def parse_catalogue_params(data: Any) -> tuple[CatalogueParams, dict[str, list[str]]]:
    """Read the catalogue's query parameters; each bad one is named with a Chinese message and
    left out of the filter."""
    errors: dict[str, list[str]] = {}

    def get(name: str) -> str:
        value = data.get(name, "")
        return value if isinstance(value, str) else str(value)

    params = CatalogueParams(q=get("q").strip()[:100])
    key = get("category").strip()
    if key:
        params.category = categories_by_key().get(key)
        if params.category is None:
            errors["category"] = [_("没有这个服务类别：%(key)s。") % {"key": key[:60]}]
    district = get("district").strip()
    if district:
        region = next((d for d in district_choices() if d.code == district), None)
        if region is None:
            errors["district"] = [_("没有这个区县代码：%(code)s。") % {"code": district[:20]}]
        params.district = region
    fee_type = get("fee_type").strip()
    if fee_type:
        if fee_type in FeeType.values:
            params.fee_type = fee_type
        else:
            errors["fee_type"] = [
                _("收费方式应为 %(choices)s 之一。") % {"choices": "、".join(FeeType.values)}
            ]
    params.price_min = _decimal(get("price_min"), "price_min", errors)
    params.price_max = _decimal(get("price_max"), "price_max", errors)
    if params.price_min is not None and params.price_max is not None and params.price_min > params.price_max:
        errors["price_max"] = [_("最高价不能低于最低价。")]
        params.price_max = None
    params.free = _flag(get("free"), "free", errors)
    params.certified = _flag(get("certified"), "certified", errors)
    params.min_rating = _decimal(get("min_rating"), "min_rating", errors, top=Decimal(5))
    sort = get("sort").strip() or "newest"
    if sort in SORTS:
        params.sort = sort
    else:
        errors["sort"] = [_("排序方式应为 %(choices)s 之一。") % {"choices": "、".join(SORTS)}]
    page = get("page").strip() or "1"
    if page.isdigit() and int(page) >= 1:
        params.page = int(page)
    else:
        errors["page"] = [_("页码应为正整数。")]
    return params, errors


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
        from sme.certification.models import Certification

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


# --- one service ------------------------------------------------------------------------------


def public_service(pk: int) -> Service | None:
    """A published service with its approved revision, or None."""
    return (
        Service.objects.filter(pk=pk, status=ServiceStatus.PUBLISHED)
        .select_related(
            "published_revision",
            "category",
            "top_category",
            "provider",
            "provider__district",
            "provider_district",
        )
        .first()
    )


def service_districts(service: Service) -> list[Region]:
    if service.serves_all_districts:
        return []
    return list(
        Region.objects.filter(pk__in=ServiceDistrict.objects.filter(service=service).values("district_id"))
        .only("id", "name", "code", "sort_order")
        .order_by("sort_order", "code")
    )


def revision_districts(revision: ServiceRevision) -> list[Region]:
    if revision.serves_all_districts or not revision.district_ids:
        return []
    return list(Region.objects.filter(pk__in=revision.district_ids).order_by("sort_order", "code"))


def current_attachments(service: Service) -> list[ServiceAttachment]:
    return list(
        ServiceAttachment.objects.filter(service=service, is_current=True).order_by("kind", "-uploaded_at")
    )


def visible_ratings(service: Service, limit: int = 20) -> list[Any]:
    from sme.orders.models import Rating

    return list(
        Rating.objects.filter(service=service, is_hidden=False)
        .select_related("enterprise")
        .only(
            "id",
            "quality",
            "timeliness",
            "attitude",
            "satisfied",
            "comment",
            "created_at",
            "reply",
            "replied_at",
            "enterprise__name",
        )
        .order_by("-created_at")[:limit]
    )


# --- the provider's public page ---------------------------------------------------------------


@dataclass
class ProviderPage:
    organization: Organization
    services: Page
    certifications: list[Any]
    figures: list[Any]


PROVIDER_SERVICES_PER_PAGE = 20


def provider_page(
    org_id: int, page: Any = 1, per_page: int = PROVIDER_SERVICES_PER_PAGE
) -> ProviderPage | None:
    """A provider's public page: one page of its published services (newest first), its titles and
    its measured figures (pre-aggregated ``ProviderYearFigures`` rows of the last three years) — six
    queries."""
    from sme.certification.models import Certification
    from sme.orders.models import ProviderYearFigures

    org = Organization.objects.select_related("district").filter(pk=org_id).first()
    if org is None:
        return None
    services = paginate(
        Service.objects.filter(provider_id=org_id, status=ServiceStatus.PUBLISHED)
        .select_related("category")
        .order_by("-published_at", "-id"),
        page,
        per_page=per_page,
    )
    certifications = list(
        Certification.objects.filter(organization_id=org_id)
        .only(
            "id", "number", "title", "platform_name", "status", "granted_on", "valid_until", "organization_id"
        )
        .order_by("-granted_on", "-id")
    )
    this_year = timezone.localdate().year
    figures = list(
        ProviderYearFigures.objects.filter(provider_id=org_id, year__gte=this_year - 2).order_by("-year")
    )
    if not services.count and not certifications and not figures and not _offers_services(org):
        return None
    return ProviderPage(organization=org, services=services, certifications=certifications, figures=figures)


def _offers_services(org: Organization) -> bool:
    from sme.organizations.models import PROVIDER_KINDS

    return org.kind in PROVIDER_KINDS


# --- the provider's own list ------------------------------------------------------------------


def services_of(organization_ids: list[int]) -> QuerySet[Service]:
    """The services of the provider's organizations, with their latest revision's title and whether a
    change waits for approval."""
    latest = ServiceRevision.objects.filter(service=OuterRef("pk")).order_by("-number")
    return (
        Service.objects.filter(provider_id__in=organization_ids)
        .select_related("provider", "category")
        .annotate(
            latest_title=Subquery(latest.values("title")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            has_pending_change=Exists(
                ServiceRevision.objects.filter(service=OuterRef("pk"), status=RevisionStatus.PENDING)
            ),
        )
        .order_by("-updated_at", "-id")
    )


def revisions_of(service: Service) -> list[ServiceRevision]:
    return list(
        ServiceRevision.objects.filter(service=service)
        .select_related("category", "created_by", "decided_by")
        .order_by("-number")
    )


# --- the officers' queue and flags ------------------------------------------------------------


def _in_scope(qs: QuerySet[Any], user: Any, path: str) -> QuerySet[Any]:
    if reviews_all(user):
        return qs
    return qs.filter(**{f"{path}__in": sorted(jurisdiction_district_ids(user))})


def review_queue(user: Any) -> QuerySet[ServiceRevision]:
    """Revisions waiting for ``user``'s decision (own district; city officers and admins: all), oldest
    first."""
    qs = ServiceRevision.objects.filter(status=RevisionStatus.PENDING).select_related(
        "service", "service__provider", "service__provider_district", "category", "created_by"
    )
    return _in_scope(qs, user, "service__provider_district_id").order_by("submitted_at", "id")


def services_in_scope(user: Any) -> QuerySet[Service]:
    return _in_scope(Service.objects.all(), user, "provider_district_id")


def reviewable_revision(user: Any, pk: int) -> ServiceRevision | None:
    qs = ServiceRevision.objects.filter(pk=pk).select_related(
        "service",
        "service__provider",
        "service__provider_district",
        "category",
        "category__parent",
        "created_by",
    )
    return _in_scope(qs, user, "service__provider_district_id").first()


def caps_in_force(on: dt.date | None = None) -> list[SubsidyCap]:
    on = on or timezone.localdate()
    return list(
        SubsidyCap.objects.filter(effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .select_related("category")
    )


def price_at_cap_flags(
    user: Any, on: dt.date | None = None, limit: int = 200
) -> list[tuple[Service, SubsidyCap]]:
    """Published services in ``user``'s scope whose price (fixed amount, range minimum or maximum,
    unit price, or small-and-micro price) is exactly at a subsidy cap in force for its category or
    for all categories — the pattern that sank the Korean voucher market."""
    caps = caps_in_force(on)
    if not caps:
        return []
    condition = Q()
    for cap in caps:
        price = (
            Q(published_revision__fee_amount=cap.amount)
            | Q(published_revision__fee_min=cap.amount)
            | Q(published_revision__fee_max=cap.amount)
            | Q(published_revision__small_micro_price=cap.amount)
        )
        if cap.category_id is not None:
            price &= Q(category_id=cap.category_id) | Q(top_category_id=cap.category_id)
        condition |= price
    services = list(
        services_in_scope(user)
        .filter(status=ServiceStatus.PUBLISHED)
        .filter(condition)
        .select_related("published_revision", "provider", "provider_district", "category")
        .order_by("-published_at", "-id")[:limit]
    )
    flags: list[tuple[Service, SubsidyCap]] = []
    for service in services:
        revision = service.published_revision
        if revision is None:
            continue
        prices = {revision.fee_amount, revision.fee_min, revision.fee_max, revision.small_micro_price} - {
            None
        }
        for cap in caps:
            applies = cap.category_id is None or cap.category_id in (
                service.category_id,
                service.top_category_id,
            )
            if applies and cap.amount in prices:
                flags.append((service, cap))
                break
    return flags


def queue_count(user: Any) -> int:
    return review_queue(user).count()
