from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name")
    district_code = serializers.CharField(source="district.code")
    kind_label = serializers.CharField(source="get_kind_display")
    verification_status_label = serializers.CharField(source="get_verification_status_display")

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "uscc",
            "kind",
            "kind_label",
            "legal_representative",
            "district",
            "district_code",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "region_mismatch",
            "verification_status",
            "verification_status_label",
            "rejection_reason",
            "created_at",
            "verified_at",
        ]


@extend_schema(
    summary="机构列表（按调用者的管辖范围）",
    parameters=[
        OpenApiParameter("status", str, enum=["pending", "verified", "rejected"]),
        OpenApiParameter("kind", str),
        OpenApiParameter("district", int, description="区县 id（市级用户）"),
        OpenApiParameter("q", str, description="名称关键字或完整信用代码"),
        OpenApiParameter("sort", str, enum=["newest", "oldest", "name"]),
    ],
)
class OrganizationListAPI(generics.ListAPIView):
    serializer_class = OrganizationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        p = self.request.query_params
        try:
            district_id = int(p.get("district", "") or 0) or None
        except ValueError:
            district_id = None
        return selectors.organization_list(
            self.request.user,
            status=p.get("status", ""),
            kind=p.get("kind", ""),
            district_id=district_id,
            q=p.get("q", ""),
            sort=p.get("sort", "newest"),
        )


class OrganizationDetailAPI(generics.RetrieveAPIView):
    serializer_class = OrganizationSerializer

    def get_object(self) -> Organization:
        org = selectors.organization_for(self.request.user, self.kwargs["pk"])
        if org is None:
            raise NotFound(_("机构不存在，或不在您的管辖范围内。"))
        return org


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class OrganizationTransitionAPI(APIView):
    @extend_schema(
        request=TransitionSerializer,
        responses=OrganizationSerializer,
        summary="认证通过（verify）、退回（reject，须填 note）或重新提交（resubmit）",
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        org = selectors.organization_for(request.user, pk)
        if org is None:
            raise NotFound(_("机构不存在，或不在您的管辖范围内。"))
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        org = services.organization_transition(
            actor=request.user, organization=org, action=action, note=body.validated_data.get("note", "")
        )
        return Response(OrganizationSerializer(org).data)
