"""/api/v1/ for activities (API-1, ACT-1): activities within reach (list, read) and their
participants (read); staff with MANAGE_ACTIVITIES create an activity through the same service
as the page (``activities.events.save_activity``: reach of the organiser, validation, audit).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, viewsets

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import Perm, scope
from lianxin.activities import events
from lianxin.activities.models import Activity, Participant
from lianxin.common.api_base import ScopedViewSet
from lianxin.common.errors import NotAllowed


class ActivitySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "kind", "title", "description", "region", "station", "group", "grid",
                  "training_plan", "plan_item", "organiser_name", "place", "starts_at",
                  "ends_at", "hours", "status", "approval", "solved_on_spot", "report_title",
                  "counts"]  # fmt: skip
        read_only_fields = ["id", "status", "approval", "solved_on_spot", "report_title", "counts"]
        extra_kwargs = {"region": {"required": False}}

    def get_counts(self, obj: Activity) -> bool:
        return events.counts(obj)


class ParticipantSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Who took part: names only, never contact details."""

    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "activity", "person", "person_name", "role", "invited", "attendance",
                  "signed_in_at", "method"]  # fmt: skip
        read_only_fields = fields


class ActivityViewSet(ScopedViewSet):
    """履职活动 within reach; POST creates one (MANAGE_ACTIVITIES). No updates by the API."""

    queryset = Activity.objects.order_by("-starts_at", "-id")
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "head", "options"]
    search_fields = ["title", "place"]
    filterset_fields = ["kind", "station", "group", "status", "approval", "training_plan"]

    def perform_create(self, serializer: Any) -> None:
        actor = request_actor(self.request)
        if not actor.has(Perm.MANAGE_ACTIVITIES):
            raise exceptions.PermissionDenied
        activity = Activity(**serializer.validated_data)
        try:
            serializer.instance = events.save_activity(actor=actor, activity=activity)
        except NotAllowed as exc:
            raise exceptions.PermissionDenied from exc
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise exceptions.ValidationError(detail) from exc


class ParticipantViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """参加人员 of the activities within reach (read only)."""

    queryset = Participant.objects.select_related("person").order_by("activity", "id")
    serializer_class = ParticipantSerializer

    def get_queryset(self) -> Any:
        qs: Any = self.queryset
        if getattr(self, "swagger_fake_view", False):  # schema generation: no actor
            return qs.none()
        return scope(request_actor(self.request), qs.all())

    filterset_fields = ["activity", "person", "attendance"]


ROUTES = [
    ("activities", ActivityViewSet, "activity"),
    ("activity-participants", ParticipantViewSet, "activity-participant"),
]
