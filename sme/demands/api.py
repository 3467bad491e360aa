"""``GET /api/v1/demands`` (the caller's list) and ``GET /api/v1/demands/<id>`` (with the proposals the
caller may read). Scope as on the pages: providers see open demands they may answer, enterprises
their own, officers their districts'."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from sme.accounts.models import Role
from sme.core import parsing
from sme.core.parsing import Problems

from . import permissions, selectors
from .models import Demand, Proposal


class ProposalSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name")
    # Plain strings in the schema: the status sets are documented in docs/workflows/demand.md, and
    # enum components named "status" would collide with the other apps'.
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    order_number = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "provider",
            "provider_id",
            "price",
            "delivery_workdays",
            "approach",
            "status",
            "status_label",
            "shortlisted",
            "order_number",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_order_number(self, obj: Proposal) -> str | None:
        return obj.order.number if obj.order_id else None  # type: ignore[union-attr]


class DemandSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    category = serializers.CharField(source="category.name")
    district = serializers.CharField(source="district.name")
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    visibility = serializers.CharField(read_only=True)
    visibility_label = serializers.CharField(source="get_visibility_display")

    class Meta:
        model = Demand
        fields = [
            "id",
            "title",
            "description",
            "enterprise",
            "category",
            "category_id",
            "district",
            "district_id",
            "budget_min",
            "budget_max",
            "deadline",
            "visibility",
            "visibility_label",
            "status",
            "status_label",
            "is_hidden",
            "created_at",
        ]


class DemandDetailSerializer(DemandSerializer):
    proposals = serializers.SerializerMethodField()

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "proposals"]

    @extend_schema_field(ProposalSerializer(many=True))
    def get_proposals(self, obj: Demand) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return ProposalSerializer(selectors.proposals_on(user, obj), many=True).data  # type: ignore[return-value]


@extend_schema(
    summary="服务需求列表（按调用者的范围：服务机构为可应答的征集中需求，企业为本企业需求，主管部门为辖区需求）",
    parameters=[
        OpenApiParameter("category", int, description="服务类别 id（含其下级类别）"),
        OpenApiParameter("district", int, description="服务地点区县 id"),
        OpenApiParameter("status", str, description="状态（企业、主管部门可用）"),
    ],
)
class DemandListAPI(generics.ListAPIView):
    serializer_class = DemandSerializer

    def _int(self, name: str) -> int | None:
        """An id filter; one that is no id filters nothing (as on the pages)."""
        return parsing.integer(self.request.query_params.get(name, ""), name, Problems()) or None

    def get_queryset(self) -> QuerySet[Demand]:
        user = self.request.user
        status = self.request.query_params.get("status", "")
        if user.is_platform_admin or user.role in (Role.DISTRICT_OFFICER, Role.CITY_OFFICER):  # type: ignore[union-attr]
            return selectors.demands_in_scope(
                user, status=status, category_id=self._int("category"), district_id=self._int("district")
            )
        if permissions.providers_of(user):
            return selectors.demands_open_for_provider(
                user, category_id=self._int("category"), district_id=self._int("district")
            )
        return selectors.demands_of_enterprise(user, status=status)


@extend_schema(summary="一条服务需求及调用者可见的方案（企业看全部方案，服务机构只看本机构的方案）")
class DemandDetailAPI(generics.RetrieveAPIView):
    serializer_class = DemandDetailSerializer

    def get_object(self) -> Demand:
        return selectors.demand_for(self.request.user, self.kwargs["pk"])
