"""The public working-day tool: ``GET /api/v1/tools/workdays/add?date=YYYY-MM-DD&days=N``."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .calendar import CalendarNotCovered, add_workdays

MAX_DAYS = 366

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


class BadQuery(ValueError):
    pass


def _parse_date(raw: str | None) -> datetime.date:
    if raw is None or not raw.strip():
        raise BadQuery(gettext("缺少参数 date（起始日期，格式 YYYY-MM-DD）"))
    raw = raw.strip()
    if not _DATE.fullmatch(raw):
        raise BadQuery(gettext("参数 date 格式不正确：应为 YYYY-MM-DD，如 2024-09-27"))
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise BadQuery(gettext("参数 date 不是有效日期：%(date)s") % {"date": raw}) from exc


def _parse_days(raw: str | None) -> int:
    if raw is None or not raw.strip():
        raise BadQuery(gettext("缺少参数 days（工作日天数，0 到 %(max)s 的整数）") % {"max": MAX_DAYS})
    raw = raw.strip()
    if not _INTEGER.fullmatch(raw):
        raise BadQuery(gettext("参数 days 必须是整数（0 到 %(max)s）") % {"max": MAX_DAYS})
    days = int(raw)
    if days < 0:
        raise BadQuery(gettext("参数 days 不能为负数"))
    if days > MAX_DAYS:
        raise BadQuery(gettext("参数 days 不能超过 %(max)s 个工作日") % {"max": MAX_DAYS})
    return days


def add_workdays_answer(raw_date: str | None, raw_days: str | None) -> dict[str, Any]:
    """The response body; :class:`BadQuery` or :class:`CalendarNotCovered` for a 400."""
    start = _parse_date(raw_date)
    days = _parse_days(raw_days)
    end = add_workdays(start, days)
    return {"start": start.isoformat(), "days": days, "date": end.isoformat()}


WORKDAYS_ADD_SCHEMA = extend_schema(
    operation_id="tools_workdays_add",
    summary="按中国法定工作日历推算第 N 个工作日",
    description=(
        "返回 `date` 之后的第 `days` 个工作日（`date` 当天不计入；`days` 为 0 时返回 `date` 本身）。"
        "按国务院公布的节假日安排计算，含周末调休上班日。"
        f"`days` 为 0 到 {MAX_DAYS} 的整数。参数缺失或格式错误、或推算经过工作日历尚未覆盖的年份时返回 400，"
        "`detail` 说明原因。"
    ),
    parameters=[
        OpenApiParameter(
            "date",
            OpenApiTypes.DATE,
            OpenApiParameter.QUERY,
            required=True,
            description="起始日期，YYYY-MM-DD",
        ),
        OpenApiParameter(
            "days", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description="工作日天数"
        ),
    ],
    responses={
        200: inline_serializer(
            "WorkdaysAdd",
            {
                "start": serializers.DateField(),
                "days": serializers.IntegerField(),
                "date": serializers.DateField(),
            },
        ),
        400: inline_serializer("WorkdaysAddError", {"detail": serializers.CharField()}),
    },
    examples=[
        OpenApiExample(
            "国庆节前公示 7 个工作日",
            value={"start": "2024-09-27", "days": 7, "date": "2024-10-12"},
            response_only=True,
            status_codes=["200"],
        ),
        OpenApiExample(
            "尚未覆盖的年份",
            value={"detail": "工作日历尚未覆盖2027年：请平台管理员录入国务院公布的2027年节假日安排"},
            response_only=True,
            status_codes=["400"],
        ),
    ],
)


class WorkdaysAddSchema(APIView):
    """The OpenAPI description of the endpoint; requests are served by :func:`workdays_add_api`."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @WORKDAYS_ADD_SCHEMA
    def get(self, request: Request) -> Response:
        return Response(add_workdays_answer(request.GET.get("date"), request.GET.get("days")))


@require_GET
def workdays_add_api(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/tools/workdays/add?date=YYYY-MM-DD&days=N``, anonymous and stateless.

    A plain Django view like the credit-code tool (``sme.organizations.tool_views``); drf-spectacular
    documents it from :class:`WorkdaysAddSchema` through the ``cls`` attribute.
    """
    try:
        body = add_workdays_answer(request.GET.get("date"), request.GET.get("days"))
    except (BadQuery, CalendarNotCovered) as exc:
        return JsonResponse({"detail": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


workdays_add_api.cls = WorkdaysAddSchema  # type: ignore[attr-defined]
workdays_add_api.initkwargs = {}  # type: ignore[attr-defined]
