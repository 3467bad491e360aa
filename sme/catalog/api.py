"""The public catalogue API: the same search and facets as the page (``selectors.catalogue``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from sme.core.errors import InvalidInput

from . import selectors
from .models import FeeType, Service

PER_PAGE = 20


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _category(category: Any) -> dict[str, Any] | None:
    if category is None:
        return None
    parent = selectors.category_by_id(category.parent_id)
    return {
        "key": category.key,
        "name": category.name,
        "function": {"key": parent.key, "name": parent.name} if parent else None,
    }


def _fee(service: Service) -> dict[str, Any]:
    revision = service.published_revision
    assert revision is not None  # published services always have one
    return {
        "type": service.fee_type,
        "amount": _money(revision.fee_amount),
        "min": _money(revision.fee_min),
        "max": _money(revision.fee_max),
        "unit": revision.fee_unit or None,
        "small_micro_price": _money(revision.small_micro_price),
        "note": revision.fee_note,
        "price_low": _money(service.price_low),
        "price_high": _money(service.price_high),
    }


def service_row(service: Service, certified: bool, districts: Iterable[Any]) -> dict[str, Any]:
    """A listing row: the columns copied from the approved revision, and the districts it names
    (none when it serves the whole city)."""
    return {
        "id": service.pk,
        "title": service.title,
        "url": reverse("catalog:service", args=[service.pk]),
        "provider": {
            "id": service.provider_id,
            "name": service.provider.name,
            "district": service.provider_district.name,
            "certified": certified,
        },
        "category": _category(service.category),
        "fee": _fee(service),
        "serves_all_districts": service.serves_all_districts,
        "districts": [{"code": d.code, "name": d.name} for d in districts],
        "rating": {
            "average": _money(service.rating_average),
            "count": service.rating_count,
        },
        "orders_completed": service.orders_completed,
        "published_at": service.published_at.isoformat() if service.published_at else None,
    }


def service_detail_data(service: Service) -> dict[str, Any]:
    revision = service.published_revision
    assert revision is not None
    certified = selectors.provider_is_certified(service.provider_id)
    row = service_row(service, certified, selectors.service_districts(service))
    row.update(
        {
            "revision": revision.number,
            # the provider takes orders only from enterprises of the districts named
            "districts_only": revision.refuses_other_districts,
            "summary": revision.summary,
            "content": revision.content,
            "process_steps": list(revision.process_steps),
            "deliverables": revision.deliverables,
            "quality_standard": revision.quality_standard,
            "time": {
                "response_workdays": revision.response_workdays,
                "delivery_workdays": revision.delivery_workdays,
                "service_hours": revision.service_hours,
            },
            "attachments": [
                {
                    "label": a.label,
                    "kind": a.kind,
                    "size": a.size,
                    "url": a.download_url,
                }
                for a in selectors.current_attachments(service)
            ],
        }
    )
    return row


class PublicAPIView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


_FEE = inline_serializer(
    "CatalogFee",
    {
        "type": serializers.ChoiceField(choices=FeeType.choices),
        "amount": serializers.CharField(allow_null=True),
        "min": serializers.CharField(allow_null=True),
        "max": serializers.CharField(allow_null=True),
        "unit": serializers.CharField(allow_null=True),
        "small_micro_price": serializers.CharField(allow_null=True),
    },
)
_ROW = inline_serializer(
    "CatalogService",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "url": serializers.CharField(),
        "provider": inline_serializer(
            "CatalogProvider",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "district": serializers.CharField(),
                "certified": serializers.BooleanField(),
            },
        ),
        "category": inline_serializer(
            "CatalogCategoryRef", {"key": serializers.CharField(), "name": serializers.CharField()}
        ),
        "fee": _FEE,
        "serves_all_districts": serializers.BooleanField(),
        "districts": serializers.ListField(child=serializers.DictField()),
        "rating": serializers.DictField(),
        "orders_completed": serializers.IntegerField(),
    },
)
_PAGE = inline_serializer(
    "CatalogPage",
    {
        "count": serializers.IntegerField(),
        "count_capped": serializers.BooleanField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": _ROW,
    },
)
_ERRORS = inline_serializer(
    "CatalogErrors", {"detail": serializers.CharField(), "errors": serializers.DictField()}
)
_PARAMS = [
    OpenApiParameter("q", str, description="关键词（中文分词，所有词都须匹配），如“财务”或服务机构名称"),
    OpenApiParameter("category", str, description="服务类别或服务功能的代码（见 /catalog/categories）"),
    OpenApiParameter("district", str, description="服务区县的6位代码"),
    OpenApiParameter("fee_type", str, enum=list(FeeType.values), description="收费方式"),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL, description="价格下限（元）"),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL, description="价格上限（元）"),
    OpenApiParameter("free", OpenApiTypes.BOOL, description="1：只看免费（公益）服务"),
    OpenApiParameter("certified", OpenApiTypes.BOOL, description="1：只看认定平台的服务"),
    OpenApiParameter("min_rating", OpenApiTypes.DECIMAL, description="最低平均评分（0–5）"),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS), description="排序"),
    OpenApiParameter("page", int, description="页码（每页 20 条）"),
]


class CatalogueAPI(PublicAPIView):
    @extend_schema(
        operation_id="catalog_services_list",
        summary="服务目录：关键词搜索与筛选",
        description="已发布的服务。参数与服务目录页面相同；错误参数返回 400，并逐项说明。",
        parameters=_PARAMS,
        responses={200: _PAGE, 400: _ERRORS},
    )
    def get(self, request: Request) -> Response:
        params, errors = selectors.parse_catalogue_params(request.query_params)
        if errors:
            raise InvalidInput(_("查询参数有误：%(names)s。") % {"names": "、".join(errors)}, errors)
        result = selectors.catalogue(params, per_page=PER_PAGE)
        page = result.page
        if params.page > page.num_pages and page.count:
            raise NotFound(_("页码超出范围。"))
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "page", page.number + 1) if page.has_next else None
        previous_url = None
        if page.has_previous:
            previous_url = (
                remove_query_param(url, "page")
                if page.number == 2
                else replace_query_param(url, "page", page.number - 1)
            )
        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "next": next_url,
                "previous": previous_url,
                "results": [
                    service_row(s, s.provider_id in result.certified_ids, s.listed_districts)
                    for s in page.items
                ],
            }
        )


class ServiceDetailAPI(PublicAPIView):
    @extend_schema(
        operation_id="catalog_service_detail",
        summary="一项已发布服务的五公开信息",
        responses={200: OpenApiTypes.OBJECT, 404: _ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        service = selectors.public_service(pk)
        if service is None:
            raise NotFound(_("没有这项服务，或它已下架。"))
        return Response(service_detail_data(service))


class CategoriesAPI(PublicAPIView):
    @extend_schema(
        operation_id="catalog_categories",
        summary="服务类别：服务功能及其子类别",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "key": top.key,
                    "name": top.name,
                    "description": top.description,
                    "source": top.source,
                    "children": [{"key": c.key, "name": c.name, "source": c.source} for c in children],
                }
                for top, children in selectors.category_tree()
            ]
        )
