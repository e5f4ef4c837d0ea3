"""The audit trail through the API (read only, the audit administrator alone: SEC-4)."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers, viewsets

from lianxin.accounts.api_permissions import ActorPermission, request_actor
from lianxin.accounts.permissions import scope
from lianxin.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "role",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "address",
            "note",
        ]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    permission_classes = [ActorPermission]
    filterset_fields = ["action", "object_type", "object_id", "actor"]
    search_fields = ["actor_name", "object_repr"]

    def get_queryset(self) -> models.QuerySet[Any]:
        return scope(request_actor(self.request), super().get_queryset())


ROUTES = [("audit/entries", AuditEntryViewSet, "auditentry")]
