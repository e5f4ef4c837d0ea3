"""/api/v1/ for training plans (ACT-3) and stations' annual activity plans (ACT-1), API-1.

Lists and records within reach, as on the pages; writes go through the services of
``activities/plans.py`` (capability, reach, validation with the pages' Chinese messages, audit),
so the API keeps no rule of its own. A plan's classes are activities (``/api/v1/activities/``
with ``training_plan``), their attendance is the activities' participants.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import exceptions

from lianxin.accounts.api_permissions import request_actor
from lianxin.activities import plans
from lianxin.activities.models import ActivityPlan, PlanItem, TrainingPlan
from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.common.errors import NotAllowed


class TrainingPlanSerializer(ScopedSerializer):
    class Meta:
        model = TrainingPlan
        fields = ["id", "congress", "year", "title", "level", "theme", "audience",
                  "planned_classes", "planned_hours", "description"]  # fmt: skip
        read_only_fields = ["id"]
        validators: list[Any] = []  # uniqueness is checked by the service, with the model's words


class PlanItemSerializer(ScopedSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "plan", "month", "kind", "title", "note"]
        read_only_fields = ["id"]


class ActivityPlanSerializer(ScopedSerializer):
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = ActivityPlan
        fields = ["id", "station", "year", "note", "items"]
        read_only_fields = ["id", "items"]
        validators: list[Any] = []  # uniqueness is checked by the service, with the model's words


def _through(request: Any, save: Any) -> Any:
    """Runs a plans service as the caller: refused → 404 (as ScopedViewSet), invalid → 400."""
    try:
        return save(request_actor(request))
    except NotAllowed as exc:
        raise exceptions.NotFound from exc
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise exceptions.ValidationError(detail) from exc


class TrainingPlanViewSet(ScopedViewSet):
    """培训计划 within reach; POST creates one (the office's, MANAGE_TRAINING)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = TrainingPlan.objects.select_related("congress").order_by("-year", "title", "id")
    serializer_class = TrainingPlanSerializer
    filterset_fields = ["congress", "year", "level"]
    search_fields = ["title", "theme"]

    def perform_create(self, serializer: Any) -> None:
        plan = TrainingPlan(**serializer.validated_data)
        serializer.instance = _through(
            self.request, lambda actor: plans.save_training_plan(actor=actor, plan=plan)
        )


class ActivityPlanViewSet(ScopedViewSet):
    """站点年度活动计划 within reach, with their items; POST creates one (one a station a year)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = ActivityPlan.objects.select_related("station").prefetch_related("items")
    queryset = queryset.order_by("-year", "station__name", "id")
    serializer_class = ActivityPlanSerializer
    filterset_fields = ["station", "year"]

    def perform_create(self, serializer: Any) -> None:
        plan = ActivityPlan(**serializer.validated_data)
        serializer.instance = _through(
            self.request, lambda actor: plans.save_activity_plan(actor=actor, plan=plan)
        )


class PlanItemViewSet(ScopedViewSet):
    """计划活动 of the plans within reach; POST adds one to a plan (removing one is the page's)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = PlanItem.objects.select_related("plan").order_by("plan", "month", "id")
    serializer_class = PlanItemSerializer
    filterset_fields = ["plan", "month", "kind"]

    def perform_create(self, serializer: Any) -> None:
        item = PlanItem(**serializer.validated_data)
        serializer.instance = _through(
            self.request, lambda actor: plans.save_plan_item(actor=actor, item=item)
        )


ROUTES = [
    ("training-plans", TrainingPlanViewSet, "training-plan"),
    ("activity-plans", ActivityPlanViewSet, "activity-plan"),
    ("activity-plan-items", PlanItemViewSet, "activity-plan-item"),
]
