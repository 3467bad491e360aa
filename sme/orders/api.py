"""The orders API: the caller's orders, one order, rating an order, and providers' public figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core.errors import InvalidInput
from sme.core.pagination import CappedCountPagination

from . import selectors, services
from .models import Order, ProviderYearFigures, Rating


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def order_summary(order: Order) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "title": order.title,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "enterprise": {"id": order.enterprise_id, "name": order.enterprise.name},
        "provider": {"id": order.provider_id, "name": order.provider.name},
        "provider_district": order.provider_district.name,
        "category": order.category.name if order.category else None,
        "service_id": order.service_id,
        "agreed_price": _money(order.agreed_price),
        "submitted_at": order.submitted_at.isoformat(),
        "respond_by": order.respond_by.isoformat() if order.respond_by else None,
        "deliver_by": order.deliver_by.isoformat() if order.deliver_by else None,
        "completed_at": order.completed_at.isoformat() if order.completed_at else None,
    }


def rating_data(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "quality": rating.quality,
        "timeliness": rating.timeliness,
        "attitude": rating.attitude,
        "satisfied": rating.satisfied,
        "comment": rating.comment,
        "created_at": rating.created_at.isoformat(),
        "reply": rating.reply,
        "is_hidden": rating.is_hidden,
    }


class OrderListAPI(APIView):
    @extend_schema(
        operation_id="orders_list",
        summary="本人可见的订单（本企业/本机构的订单，或主管部门辖区内的订单）",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", "")
        qs = selectors.order_list(request.user, status=status)
        paginator = CappedCountPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([order_summary(o) for o in page or []])


class OrderDetailAPI(APIView):
    @extend_schema(
        operation_id="orders_detail",
        summary="一个订单：约定条款、状态和评价",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, order_id: int) -> Response:
        order, _who = selectors.order_for(request.user, order_id)
        rating = selectors.rating_of(order)
        body = order_summary(order)
        body.update(
            snapshot=order.snapshot,
            quantity=str(order.quantity),
            small_micro_price_applied=order.small_micro_price_applied,
            delivered_on_time=order.delivered_on_time,
            rating=rating_data(rating) if rating and not rating.is_hidden else None,
        )
        return Response(body)


class OrderRatingAPI(APIView):
    @extend_schema(
        operation_id="orders_rate",
        summary="评价已完成的订单（下单企业，30日内，一次）",
        request={"application/json": {"type": "object"}},
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order, _who = selectors.order_for(request.user, order_id)
        data = request.data if isinstance(request.data, dict) else {}
        satisfied = data.get("satisfied")
        if not isinstance(satisfied, bool):
            raise InvalidInput(
                _("请选择是否满意（satisfied 为 true 或 false）。"), {"satisfied": [_("必填")]}
            )
        rating = services.order_rate(
            actor=request.user,
            order=order,
            quality=data.get("quality"),
            timeliness=data.get("timeliness"),
            attitude=data.get("attitude"),
            satisfied=satisfied,
            comment=str(data.get("comment") or ""),
        )
        return Response(rating_data(rating), status=201)


def figures_data(row: ProviderYearFigures) -> dict[str, Any]:
    return {
        "year": row.year,
        "smes_served": row.smes_served,
        "orders_completed": row.orders_completed,
        "ratings": row.ratings,
        "satisfied": row.satisfied,
        "satisfaction_rate": _money(row.satisfaction_rate),
        "average_stars": _money(row.average_stars),
        "delivered_with_deadline": row.delivered_with_deadline,
        "delivered_on_time": row.delivered_on_time,
        "on_time_rate": _money(row.on_time_rate),
        "computed_at": row.computed_at.isoformat(),
    }


class ProviderFiguresAPI(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="providers_figures",
        summary="服务机构的年度服务数据（预先汇总）",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, provider_id: int) -> Response:
        provider = selectors.provider_with_figures(provider_id)
        if provider is None:
            raise Http404
        try:
            years = min(max(int(request.query_params.get("years", 3)), 1), 10)
        except ValueError:
            years = 3
        rows = selectors.provider_figures(provider.pk, years=years)
        return Response(
            {"provider": {"id": provider.pk, "name": provider.name}, "years": [figures_data(r) for r in rows]}
        )
