from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core import audit
from sme.core.messages import msg

from . import selectors
from .backends import login_state
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
        if not isinstance(request.data, Mapping):
            return Response(
                {
                    "detail": _("请求体应为 JSON 对象，含 username 和 password。"),
                    "errors": {"__all__": [_("格式错误")]},
                },
                status=400,
            )
        identifier = str(request.data.get("username", ""))
        try:
            response = super().post(request, *args, **kwargs)
        except ValidationError:
            # The account's counter, or that of a name no account has: the same answer either way.
            if login_state(identifier).is_locked():
                return Response({"detail": _("账号因连续多次密码错误已被锁定，请稍后再试。")}, status=403)
            raise
        if response.status_code == 200:
            user = selectors.holder_of_token(response.data["token"])
            audit.record("auth.token_issued", actor=user, obj=user, summary=msg("签发 API 令牌"))
        return response
