import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from .selectors import districts

DISTRICT_LIST = inline_serializer(
    "District",
    {
        "id": serializers.IntegerField(),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "level": serializers.CharField(),
        "valid_from": serializers.DateField(allow_null=True),
        "valid_to": serializers.DateField(allow_null=True),
    },
    many=True,
)


@extend_schema(
    summary="区县列表（可指定日期，含当时的区划）",
    parameters=[OpenApiParameter("on", str, description="YYYY-MM-DD，默认今天")],
    responses={200: DISTRICT_LIST},
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def district_list(request: Request) -> Response:
    raw = request.query_params.get("on")
    try:
        on = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return Response({"detail": _("日期格式应为 YYYY-MM-DD：%(raw)s") % {"raw": raw}}, status=400)
    rows = districts(on)
    return Response(
        [
            {
                "id": r.pk,
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
            }
            for r in rows
        ]
    )
