"""/api/v1/ for station standards and inspections (ORG-6, API-1).

Checklists come with their items; items are written one by one (the same rules as the
checklist page: an item in use is edited, never deleted). Inspections come with their scores
and are created through ``services.inspection_record``, exactly as the scoring page records
them; they are never changed or deleted here (corrections are the office's, on the page).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import scope
from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.common.errors import NotAllowed
from lianxin.directory import services
from lianxin.directory.filters_standards import (
    ChecklistFilter,
    ChecklistItemFilter,
    InspectionFilter,
)
from lianxin.directory.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionScore,
    Station,
)


class ChecklistItemSerializer(ScopedSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "title", "checklist", "order", "requirement", "max_score"]


class NestedItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "title", "requirement", "max_score"]
        read_only_fields = fields


class ChecklistSerializer(ScopedSerializer):
    station_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Station.Kind.choices),
        required=False,
        help_text="适用站点类型；空表示所有类型",
    )
    items = NestedItemSerializer(many=True, read_only=True)

    class Meta:
        model = Checklist
        fields = [
            "id",
            "name",
            "region",
            "station_kinds",
            "pass_score",
            "description",
            "is_active",
            "items",
        ]


class ScoreSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    title = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = InspectionScore
        fields = ["item", "title", "score", "max_score", "note"]
        read_only_fields = ["title", "max_score"]
        extra_kwargs = {"item": {"read_only": True}, "score": {"read_only": True}}


class InspectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "station",
            "checklist",
            "inspected_on",
            "inspectors",
            "score",
            "max_score",
            "passed",
            "findings",
            "rectification",
            "scores",
        ]
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    item = serializers.IntegerField(help_text="标准项目 id")
    score = serializers.IntegerField(help_text="得分，0到该项分值")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new inspection: one score per item of the checklist (ORG-6)."""

    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    checklist = serializers.PrimaryKeyRelatedField(queryset=Checklist.objects.all())
    inspected_on = serializers.DateField()
    inspectors = serializers.CharField(max_length=200)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    rectification = serializers.CharField(required=False, allow_blank=True, default="")
    scores = ScoreInputSerializer(many=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        actor = request_actor(request)
        for name in ("station", "checklist"):
            f: Any = self.fields[name]
            f.queryset = scope(actor, f.queryset)


class ChecklistViewSet(ScopedViewSet):
    """阵地建设标准 (Checklist) with its items, within the caller's reach: read up the region
    tree, written only for the caller's own region and below (ORG-6)."""

    queryset = Checklist.objects.select_related("region").prefetch_related("items")
    serializer_class = ChecklistSerializer
    filterset_class = ChecklistFilter
    search_fields = ["name"]
    ordering_fields = ["name", "pass_score"]
    ordering = ["name", "id"]


class ChecklistItemViewSet(ScopedViewSet):
    """标准项目 (ChecklistItem): one item of a checklist (ORG-6)."""

    queryset = ChecklistItem.objects.select_related("checklist")
    serializer_class = ChecklistItemSerializer
    filterset_class = ChecklistItemFilter
    search_fields = ["title"]
    ordering_fields = ["order", "title"]
    ordering = ["order", "id"]


class InspectionViewSet(ScopedViewSet):
    """阵地检查 (Inspection) with its scores; ``POST`` records one through the same service as
    the scoring page. Records of fact: no change or delete here (ORG-6)."""

    queryset = Inspection.objects.select_related("station", "checklist").prefetch_related(
        "scores__item"
    )
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    search_fields = ["station__name", "inspectors"]
    ordering_fields = ["inspected_on", "score"]
    ordering = ["-inspected_on", "-id"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=InspectionInputSerializer, responses={201: InspectionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = InspectionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            inspection = services.inspection_record(
                actor=request_actor(request),
                station=values["station"],
                checklist=values["checklist"],
                inspected_on=values["inspected_on"],
                inspectors=values["inspectors"],
                findings=values["findings"],
                rectification=values["rectification"],
                scores=[
                    services.ItemScore(s["item"], s["score"], s.get("note", ""))
                    for s in values["scores"]
                ],
            )
        except NotAllowed as exc:
            raise exceptions.NotFound from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        body = InspectionSerializer(inspection, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


ROUTES = [
    ("checklists", ChecklistViewSet, "checklist"),
    ("checklist-items", ChecklistItemViewSet, "checklistitem"),
    ("inspections", InspectionViewSet, "inspection"),
]
