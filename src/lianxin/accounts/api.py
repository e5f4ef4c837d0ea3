"""API of accounts (API-1): accounts for the system administrator, role assignments for the
security administrator (read), and the integrators' token endpoint (throttled, SEC-3)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts import mfa, services, throttle
from lianxin.accounts.api_permissions import ActorPermission, request_actor
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import scope


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "is_active", "last_login"]


class AssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "region", "station", "unit", "title", "is_active"]


class _ScopedReadOnly(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    permission_classes = [ActorPermission]

    def get_queryset(self) -> models.QuerySet[Any]:
        return scope(request_actor(self.request), super().get_queryset())


class UserViewSet(_ScopedReadOnly):
    queryset = User.objects.order_by("username")
    serializer_class = UserSerializer
    search_fields = ["username", "display_name"]
    filterset_fields = ["is_active"]


class AssignmentViewSet(_ScopedReadOnly):
    queryset = RoleAssignment.objects.order_by("pk")
    serializer_class = AssignmentSerializer
    filterset_fields = ["role", "is_active", "user"]


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class ObtainTokenViewSet(viewsets.ViewSet):
    """POST username and password, receive the account's API token (a new one if none).
    Accounts with (or required to have) a second factor make their token on the token page.

    Throttled like the login page, before any password is hashed; only accounts holding the
    API-token capability in one of their roles get a token."""

    public = True  # anonymous by nature; decides by itself
    permission_classes = [ActorPermission]
    authentication_classes: list[Any] = []
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def create(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        address = throttle.client_address(request._request)
        wait = throttle.seconds_to_wait(username, address)
        if wait:
            return _error(
                "throttled",
                _("登录尝试过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": wait},
                status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(wait)},
            )
        user = authenticate(
            request._request, username=username, password=data.validated_data["password"]
        )
        if user is None:
            throttle.register_failure(username, address)
            services.login_failure_recorded(username=username, address=address, note=_("API令牌"))
            return _error(
                "invalid_credentials",
                _("账号或密码不正确。"),
                status.HTTP_400_BAD_REQUEST,
            )
        if mfa.has_factor(user) or mfa.is_required(user):  # type: ignore[arg-type]
            # A password alone must not get around the second factor (SEC-3).
            return _error(
                "second_factor_required",
                _("该账号使用双因素认证：请登录后在“API令牌”页面生成令牌。"),
                status.HTTP_403_FORBIDDEN,
            )
        throttle.register_success(username, address)
        if not services.may_use_api_token(user):  # type: ignore[arg-type]
            return _error("not_allowed", _("该账号无权使用API令牌。"), status.HTTP_403_FORBIDDEN)
        from rest_framework.authtoken.models import Token

        token, _created = Token.objects.get_or_create(user=user)
        services.login_recorded(user=user, address=address, note=_("API令牌"))  # type: ignore[arg-type]
        return Response({"token": token.key})


def _error(code: str, message: str, http_status: int, headers: Any = None) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "fields": {}}},
        status=http_status,
        headers=headers,
    )


ROUTES = [
    ("accounts/users", UserViewSet, "user"),
    ("accounts/assignments", AssignmentViewSet, "roleassignment"),
    ("auth/token", ObtainTokenViewSet, "auth-token"),
]
