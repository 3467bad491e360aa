import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from .selectors import districts


@extend_schema(
    summary="区县列表（可指定日期，含当时的区划）",
    parameters=[OpenApiParameter("on", str, description="YYYY-MM-DD，默认今天")],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def district_list(request: Request) -> Response:
    raw = request.query_params.get("on")
    try:
        on = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return Response({"detail": f"日期格式应为 YYYY-MM-DD：{raw}"}, status=400)
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
            for r in districts(on)
        ]
    )
