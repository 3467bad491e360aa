"""The public size-class tool: a page for people and ``GET /api/v1/tools/size-class`` for programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core import clock, parsing

from .selectors import industry_choices, rules_on
from .size_class import INDICATOR_NAMES, INDICATOR_UNITS, SizeInputError, classify, resolve_industry

FIELD_ORDER = {"industry": 0, "on": 0, "employees": 1, "revenue": 2, "assets": 3}
# 万元 to the 元, as the enterprise figures are kept.
WAN_PLACES = 4


@dataclass(frozen=True)
class _Figures:
    employees: int | None
    revenue: Decimal | None
    assets: Decimal | None
    problems: list[tuple[str, str]]  # (field, Chinese problem) for each malformed figure


def _figures(params: Mapping[str, str]) -> _Figures:
    """The three figures of the query, read by ``sme.core.parsing`` ("1,500", "１５００" and "1500"
    are the same number there as in every form of the platform)."""
    problems = parsing.Problems()

    def wan(field: str) -> Decimal | None:
        label, unit = INDICATOR_NAMES[field], INDICATOR_UNITS[field]
        return parsing.number(params.get(field), field, problems, label=label, places=WAN_PLACES, unit=unit)

    employees = parsing.integer(
        params.get("employees"),
        "employees",
        problems,
        label=INDICATOR_NAMES["employees"],
        unit=INDICATOR_UNITS["employees"],
    )
    revenue, assets = wan("revenue"), wan("assets")
    found = [(field, message) for field, messages in problems.by_field.items() for message in messages]
    return _Figures(employees, revenue, assets, found)


def evaluate(params: Mapping[str, str], on: dt.date | None = None) -> tuple[int, dict[str, Any]]:
    """``(status, body)`` for the query: 200 with the result, or 400 with ``errors`` naming each
    missing or malformed input. A figure the industry's group does not use is ignored, even a
    malformed one; when the industry itself is wrong, every malformed figure is named as well."""
    figures = _figures(params)
    problems = list(figures.problems)
    try:
        rules = rules_on(on or clock.today())
        resolution = resolve_industry(params.get("industry", ""), rules)
        group = rules.groups[resolution.entry.group] if resolution.entry and resolution.entry.group else None
        used = set(group.indicators) if group else set()
        problems = [p for p in problems if p[0] in used]
        result = classify(
            params.get("industry", ""),
            figures.employees,
            figures.revenue,
            figures.assets,
            standard=rules,
        )
    except SizeInputError as exc:
        bad = {f for f, _m in problems}
        problems.extend((f, str(m)) for f, m in exc.problems if f not in bad)
    else:
        if not problems:
            return 200, result.as_dict()
    problems.sort(key=lambda p: FIELD_ORDER.get(p[0], 9))
    return 400, {"errors": [message for _f, message in problems]}


@require_GET
def size_class_tool_page(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in ("industry", "employees", "revenue", "assets")}
    status, body = evaluate(params) if any(v.strip() for v in params.values()) else (0, None)
    context = {
        "params": params,
        "result": body if status == 200 else None,
        "errors": body["errors"] if body and status == 400 else [],
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "enterprises/_size_class_result.html", context)
    context["industries"] = industry_choices()
    return render(request, "enterprises/size_class_tool.html", context)


def _figure_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=description
    )


SIZE_CLASS_SCHEMA = extend_schema(
    operation_id="tools_size_class",
    summary="按《中小企业划型标准规定》（工信部联企业〔2011〕300号）划分企业规模",
    description=(
        "按 GB/T 4754-2017 行业代码找到所属行业组，再按该组的指标划型：某档的全部指标都达到下限才属于该档，"
        "否则降一档；有一项低于小型下限即为微型。所属组不使用的指标可以不填，填了也不参与划型。"
        "标准不适用的行业（如金融业、铁路运输业）返回 200，`size` 为 null，`reasons` 说明原因。"
        "缺少所属组需要的指标、指标格式有误或为负数、行业代码未知时返回 400，`errors` 逐条说明。"
    ),
    parameters=[
        OpenApiParameter(
            "industry",
            OpenApiTypes.STR,
            OpenApiParameter.QUERY,
            required=True,
            description=(
                "GB/T 4754-2017 行业代码：门类字母（如 C）、2–4 位数字（如 13、591、3411），"
                "或登记、税务系统导出的门类字母加数字（如 C3411、I6513）；字母须与代码所属门类一致"
            ),
        ),
        _figure_param("employees", "从业人员（人），非负整数"),
        _figure_param("revenue", "营业收入（万元），可带小数"),
        _figure_param("assets", "资产总额（万元），可带小数"),
    ],
    responses={
        200: inline_serializer(
            "SizeClass",
            {
                "size": serializers.ChoiceField(
                    choices=["large", "medium", "small", "micro"], allow_null=True
                ),
                "label": serializers.CharField(),
                "industry": serializers.DictField(),
                "group": serializers.DictField(allow_null=True),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "figures": serializers.DictField(),
                "rule": serializers.DictField(),
            },
        ),
        400: inline_serializer(
            "SizeClassErrors", {"errors": serializers.ListField(child=serializers.CharField())}
        ),
    },
    examples=[
        OpenApiExample(
            "工业小型企业",
            value={
                "size": "small",
                "label": "小型",
                "industry": {"code": "C", "name": "制造业"},
                "group": {"number": 2, "name": "工业"},
                "reasons": [
                    "行业代码 C（制造业）属于第2组“工业”，按从业人员和营业收入划型。",
                    "未达到大型：从业人员 50 人，低于 1000 人，营业收入 1500 万元，低于 40000 万元。",
                    "未达到中型：从业人员 50 人，低于 300 人，营业收入 1500 万元，低于 2000 万元。",
                    "达到小型的全部下限：从业人员 50 人 ≥ 20 人，营业收入 1500 万元 ≥ 300 万元。",
                ],
                "figures": {"employees": 50, "revenue": 1500},
                "rule": {
                    "version": "2011",
                    "name": "中小企业划型标准规定",
                    "document": "工信部联企业〔2011〕300号",
                    "effective_from": "2011-06-18",
                    "effective_to": None,
                },
            },
            response_only=True,
            status_codes=["200"],
        ),
        OpenApiExample(
            "缺少指标",
            value={"errors": ["缺少营业收入（万元）：第2组“工业”按从业人员和营业收入划型。"]},
            response_only=True,
            status_codes=["400"],
        ),
    ],
)


class SizeClassSchema(APIView):
    """The OpenAPI description of the endpoint; requests are served by :func:`size_class_api`."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @SIZE_CLASS_SCHEMA
    def get(self, request: Request) -> Response:
        status, body = evaluate(request.query_params)
        return Response(body, status=status)


@require_GET
def size_class_api(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/tools/size-class?industry=&employees=&revenue=&assets=``, anonymous and stateless.

    A plain Django view like the credit-code tool; drf-spectacular documents it from
    :class:`SizeClassSchema` through the ``cls`` attribute.
    """
    status, body = evaluate(request.GET)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


size_class_api.cls = SizeClassSchema  # type: ignore[attr-defined]
size_class_api.initkwargs = {}  # type: ignore[attr-defined]
