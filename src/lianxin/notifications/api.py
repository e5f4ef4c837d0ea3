"""API of the inbox (NOTE-1): the acting account's own notifications; mark read."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import scope
from lianxin.notifications import services
from lianxin.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The actor's own notifications, unread first; ``?unread=true`` for unread only."""

    model = Notification
    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> models.QuerySet[Notification]:
        qs = scope(request_actor(self.request), Notification.objects.all())
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by(models.F("read_at").asc(nulls_first=True), "-created_at", "-pk")

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = self.get_object()
        services.notification_mark_read(
            actor=request_actor(request), notification_id=notification.pk
        )
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        count = services.notification_mark_all_read(actor=request_actor(request))
        return Response({"marked": count})


ROUTES = [("notifications", NotificationViewSet, "notification")]
