from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core import audit

from .models import User


class MeSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")
    jurisdiction = serializers.CharField(source="jurisdiction.name", default=None)

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "mobile", "email", "role", "role_label", "jurisdiction"]


class MeAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, summary="当前用户")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class TokenAPI(ObtainAuthToken):
    """POST username (or mobile) and password; returns a token for ``Authorization: Token …``.
    Failures count towards the account lock-out like the login page."""

    def post(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            user = User.objects.get(auth_token__key=response.data["token"])
            audit.record("auth.token_issued", actor=user, obj=user, summary="签发 API 令牌")
        return response
