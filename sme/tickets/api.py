"""``GET /api/v1/tickets`` (scoped like the list page) and ``GET /api/v1/tickets/figures`` (public)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core import clock, parsing
from sme.core.parsing import Problems

from . import selectors
from .models import Ticket, TicketMonthFigures

MAX_MONTHS = 36


class TicketSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="ticket_type.key")
    type_label = serializers.CharField(source="ticket_type.display_name")
    status_label = serializers.CharField(source="get_status_display")
    handling_level_label = serializers.CharField(source="get_handling_level_display")
    enterprise = serializers.CharField(source="enterprise.name")
    district = serializers.CharField(source="district.name")
    provider = serializers.CharField(source="provider.name", default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "type",
            "type_label",
            "subject",
            "enterprise",
            "provider",
            "order_id",
            "district",
            "status",
            "status_label",
            "handling_level",
            "handling_level_label",
            "filed_at",
            "acknowledge_due",
            "answer_due",
            "close_due",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "closed_on_time",
            "escalated_at",
            "overdue",
            "satisfaction_stars",
            "satisfied",
        ]

    def get_overdue(self, obj: Ticket) -> bool:
        return obj.is_overdue(self.context["today"])


@extend_schema(
    summary="企业诉求列表（按调用者的范围：企业看本企业，区县看本区县，市级看全市）",
    parameters=[
        OpenApiParameter(
            "status", str, enum=["open", "filed", "acknowledged", "answered", "closed", "withdrawn"]
        ),
        OpenApiParameter("overdue", bool),
        OpenApiParameter("level", str, enum=["district", "city"]),
    ],
)
class TicketListAPI(generics.ListAPIView):
    serializer_class = TicketSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": clock.today()}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if not selectors.can_see_tickets(self.request.user):
            raise PermissionDenied(_("服务机构和评审专家不能查看企业诉求。"))
        p = self.request.query_params
        return selectors.ticket_list(
            self.request.user,
            status=p.get("status", ""),
            overdue=p.get("overdue", "") in ("1", "true"),
            level=p.get("level", ""),
            today=clock.today(),
        )


class FiguresSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m")

    class Meta:
        model = TicketMonthFigures
        fields = [
            "month",
            "filed",
            "closed",
            "closed_on_time",
            "on_time_rate",
            "rated",
            "satisfied",
            "satisfaction_rate",
            "average_stars",
        ]


class TicketFiguresAPI(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="tickets_figures",
        summary="企业诉求月度公开数据（受理、办结、按时办结率、满意率）",
        parameters=[
            OpenApiParameter("district", int, description="区县 id；不填为全市"),
            OpenApiParameter("months", int, description="最近几个月（默认12，最多36）"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        problems = Problems()
        district_id = parsing.integer(
            request.query_params.get("district", ""), "district", problems, label=_("区县 id")
        )
        n = parsing.integer(
            request.query_params.get("months", "") or 12,
            "months",
            problems,
            label=_("月数"),
            minimum=1,
            maximum=MAX_MONTHS,
        )
        if problems or n is None:
            raise ValidationError(problems.by_field)
        months = selectors.last_months(clock.today(), n)
        rows = selectors.month_figures(district_id=district_id, months=months)
        results = []
        for month, row in zip(months, rows, strict=True):
            if row is None:
                results.append(
                    {"month": month.strftime("%Y-%m"), **dict.fromkeys(FiguresSerializer.Meta.fields[1:])}
                )
                for key in ("filed", "closed", "closed_on_time", "rated", "satisfied"):
                    results[-1][key] = 0
            else:
                results.append(FiguresSerializer(row).data)
        return Response({"district": district_id, "results": results})
