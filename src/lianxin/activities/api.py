"""/api/v1/ for duty rosters (API-1, DUTY): read-only — patterns with their requirements,
rosters, shifts and assignments within reach, and the calling person's own assignments
(``duty-assignments/mine/``). Writes go through the pages' services; integrators read.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import scope
from lianxin.activities import api_voters
from lianxin.activities.models import Assignment, DutyPattern, Requirement, Roster, Shift


class DutyRequirementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Requirement
        fields = ["role", "count"]


class DutyPatternSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    requirements = DutyRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = DutyPattern
        fields = ["id", "station", "name", "kind", "weekdays", "month_days", "dates",
                  "skip_holidays", "starts_at", "ends_at", "valid_from", "valid_until",
                  "is_active", "note", "requirements"]  # fmt: skip
        read_only_fields = fields


class DutyRosterSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Roster
        fields = ["id", "station", "pattern", "name", "starts_on", "ends_on", "status",
                  "max_per_month", "progress", "solved_at", "published_at"]  # fmt: skip
        read_only_fields = fields


class DutyShiftSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Shift
        fields = ["id", "roster", "station", "date", "starts_at", "ends_at", "needs",
                  "empty_flagged_at"]  # fmt: skip
        read_only_fields = fields


class DutyAssignmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One person on one shift: names only, never contact details."""

    date = serializers.DateField(source="shift.date", read_only=True)
    starts_at = serializers.TimeField(source="shift.starts_at", read_only=True)
    ends_at = serializers.TimeField(source="shift.ends_at", read_only=True)
    station = serializers.IntegerField(source="shift.station_id", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "shift", "date", "starts_at", "ends_at", "station", "person",
                  "person_name", "role", "delegation", "unit", "source", "status",
                  "checked_in_at", "method", "reminded_at"]  # fmt: skip
        read_only_fields = fields


class _ScopedReadOnly(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Lists and records within the caller's reach; others answer 404."""

    def get_queryset(self) -> Any:
        qs: Any = self.queryset  # type: ignore[arg-type]
        if getattr(self, "swagger_fake_view", False):  # schema generation: no actor
            return qs.none()
        return scope(request_actor(self.request), qs.all())


class PatternViewSet(_ScopedReadOnly):
    """值班规则 of the stations within reach, with the posts of a shift by role (DUTY-1)."""

    queryset = DutyPattern.objects.prefetch_related("requirements").order_by("station", "name")
    serializer_class = DutyPatternSerializer
    search_fields = ["name"]
    filterset_fields = ["station", "kind", "is_active"]


class RosterViewSet(_ScopedReadOnly):
    """排班表: a deputy sees the published rosters he is on (DUTY-2)."""

    queryset = Roster.objects.order_by("-starts_on", "id")
    serializer_class = DutyRosterSerializer
    search_fields = ["name"]
    filterset_fields = ["station", "pattern", "status"]


class ShiftViewSet(_ScopedReadOnly):
    """班次 of the rosters within reach; ``needs`` gives the posts by role."""

    queryset = Shift.objects.order_by("date", "starts_at", "id")
    serializer_class = DutyShiftSerializer
    filterset_fields = ["roster", "station", "date"]
    ordering_fields = ["date"]


class AssignmentViewSet(_ScopedReadOnly):
    """值班安排 within reach (a station's, a unit's heads', a deputy's own published ones) with
    their check-in status (DUTY-3); ``mine`` lists the caller's own."""

    queryset = Assignment.objects.select_related("shift", "person").order_by(
        "shift__date", "shift__starts_at", "id"
    )
    serializer_class = DutyAssignmentSerializer
    filterset_fields = ["shift", "person", "role", "status"]

    @extend_schema(responses={200: DutyAssignmentSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def mine(self, request: Request) -> Response:
        """The caller's own assignments on published rosters, oldest first (paged)."""
        person_id = request_actor(request).person_id
        qs = self.filter_queryset(self.get_queryset()).filter(
            person_id=person_id, shift__roster__status=Roster.Status.PUBLISHED
        )
        page = self.paginate_queryset(qs)
        data = self.get_serializer(page if page is not None else qs, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


ROUTES = [
    ("duty-patterns", PatternViewSet, "duty-pattern"),
    ("duty-rosters", RosterViewSet, "duty-roster"),
    ("duty-shifts", ShiftViewSet, "duty-shift"),
    ("duty-assignments", AssignmentViewSet, "duty-assignment"),
    *api_voters.ROUTES,  # VOT-1, VOT-4 (engineer VOTERS)
]

# Activities (ACT-1, engineer EVENTS): their own module.
from lianxin.activities.api_events import ROUTES as EVENT_ROUTES  # noqa: E402

ROUTES += EVENT_ROUTES  # type: ignore[arg-type]

# Training plans (ACT-3) and stations' annual plans (ACT-1): their own module.
from lianxin.activities.api_plans import ROUTES as PLAN_ROUTES  # noqa: E402

ROUTES += PLAN_ROUTES  # type: ignore[arg-type]
