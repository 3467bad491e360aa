"""The public credit-code tool: a page for people and ``GET /api/v1/tools/uscc/{code}`` for programs."""

from __future__ import annotations

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

from sme.regions.selectors import name_for_code

from . import uscc


def explain(raw: str) -> dict[str, Any]:
    """The check result with the region named from the loaded division data."""
    result = uscc.check(raw)
    region = result.parts.get("region")
    if region is not None:
        region["name"] = name_for_code(region["code"])
    body = result.as_dict()
    body["error_position"] = result.position
    return body


@require_GET
def uscc_tool_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "")
    context = {"code": code, "result": explain(code) if code.strip() else None}
    if request.headers.get("HX-Request") == "true":
        return render(request, "organizations/_uscc_result.html", context)
    return render(request, "organizations/uscc_tool.html", context)


USCC_SCHEMA = extend_schema(
    operation_id="tools_uscc_check",
    summary="校验并解读统一社会信用代码",
    description=(
        "对任何输入都返回 200：`valid` 表示是否有效，`errors` 逐条说明问题，`parts` 给出能读出的各部分"
        "（登记管理部门、机构类别、行政区划码及名称、组织机构代码、校验码）。小写字母按大写处理。"
    ),
    parameters=[
        OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="统一社会信用代码")
    ],
    responses={
        200: inline_serializer(
            "UsccCheck",
            {
                "code": serializers.CharField(),
                "valid": serializers.BooleanField(),
                "errors": serializers.ListField(child=serializers.CharField()),
                "parts": serializers.DictField(),
                "error_position": serializers.IntegerField(allow_null=True),
            },
        )
    },
    examples=[
        OpenApiExample(
            "有效代码",
            value={
                "code": "91500103AY4CL12T2B",
                "valid": True,
                "errors": [],
                "parts": {
                    "department": {"code": "9", "name": "工商"},
                    "category": {"code": "1", "name": "企业"},
                    "region": {"code": "500103", "name": "渝中区"},
                    "organization_code": "AY4CL12T-2",
                    "check_character": "B",
                },
                "error_position": None,
            },
            response_only=True,
        )
    ],
)


class UsccCheckSchema(APIView):
    """The OpenAPI description of the endpoint; requests are served by :func:`uscc_check_api`."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @USCC_SCHEMA
    def get(self, request: Request, code: str = "") -> Response:
        return Response(explain(code))


@require_GET
def uscc_check_api(request: HttpRequest, code: str = "") -> JsonResponse:
    """``GET /api/v1/tools/uscc/{code}``, anonymous and stateless.

    Served as a plain Django view: DRF's request wrapping, negotiation and rendering cost more than
    the check itself (measured in bench/, scenario ``uscc_api``). drf-spectacular documents it from
    :class:`UsccCheckSchema` through the ``cls`` attribute it reads on every URL callback.
    """
    return JsonResponse(explain(code), json_dumps_params={"ensure_ascii": False})


uscc_check_api.cls = UsccCheckSchema  # type: ignore[attr-defined]
uscc_check_api.initkwargs = {}  # type: ignore[attr-defined]
