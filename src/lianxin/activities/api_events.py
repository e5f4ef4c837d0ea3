"""/api/v1/ for activities (API-1, ACT-1): activities within reach (list, read) and their
participants (read); staff with MANAGE_ACTIVITIES create an activity through the same service
as the page (``activities.events.save_activity``: reach of the organiser, validation, audit).
A deputy reports an activity he did himself (``activity-self-reports/``, PERF-3) through
``activities.events.self_report``, as on his phone: it waits for his station's approval and
does not count until approved. He signs in at an activity with the code of its QR
(``activity-sign-ins/``, ACT-1) through ``activities.events.sign_in``, as when he opens the QR
link on his phone: a stale or foreign code is refused (400) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

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


class SelfReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """补报活动 (PERF-3): what the deputy's phone form asks."""

    kind = serializers.ChoiceField(choices=events.SELF_KINDS)
    title = serializers.CharField(max_length=120)
    day = serializers.DateField()
    place = serializers.CharField(max_length=200)
    content = serializers.CharField()


def _service_errors(exc: NotAllowed | DjangoValidationError) -> exceptions.APIException:
    """A service's refusal answers 403, its validation 400 with the Chinese message per field."""
    if isinstance(exc, NotAllowed):
        return exceptions.PermissionDenied(str(exc.message))
    detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return exceptions.ValidationError(detail)


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


class SelfReportViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """补报活动 (PERF-3): the calling deputy reports an activity he did, as on his phone; it
    is pending until his station approves it (``approval``: pending, ``counts``: false) and is
    then listed under ``activities/``. POST only."""

    permission = Perm.RECORD_OWN_WORK
    serializer_class = SelfReportSerializer

    @extend_schema(request=SelfReportSerializer, responses={201: ActivitySerializer})
    def create(self, request: Request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            activity = events.self_report(actor=request_actor(request), **body.validated_data)
        except (NotAllowed, DjangoValidationError) as exc:
            raise _service_errors(exc) from exc
        data = ActivitySerializer(activity, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class SignInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The two parts of the activity's QR link (``/m/activities/signin/<key>/<code>/``)."""

    key = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=32)


class SignInResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.CharField()
    message = serializers.CharField()
    activity = serializers.IntegerField(allow_null=True)
    participant = serializers.IntegerField(allow_null=True)


class SignInViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """活动签到 (ACT-1): the calling deputy signs in with the activity's current code; an
    uninvited deputy is added as a walk-in. 200 when signed in (or already), 400 with the
    Chinese reason otherwise. POST only."""

    permission = Perm.RECORD_OWN_WORK
    serializer_class = SignInSerializer

    @extend_schema(request=SignInSerializer, responses={200: SignInResultSerializer})
    def create(self, request: Request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = events.sign_in(actor=request_actor(request), **body.validated_data)
        if not result.ok:
            raise exceptions.ValidationError({"code": [result.message]})
        data = {
            "outcome": str(result.outcome),
            "message": result.message,
            "activity": result.activity.pk if result.activity else None,
            "participant": result.participant.pk if result.participant else None,
        }
        return Response(data)


ROUTES = [
    ("activities", ActivityViewSet, "activity"),
    ("activity-sign-ins", SignInViewSet, "activity-sign-in"),
    ("activity-self-reports", SelfReportViewSet, "activity-self-report"),
    ("activity-participants", ParticipantViewSet, "activity-participant"),
]
