"""/api/v1/ for the closed loop (API-1): cases within reach, in-person intake, and every step of
the transition table through one ``transition`` endpoint that calls the same services as the
pages. Citizens' personal data is never returned in clear; fields a client may not set
(status, deadlines, figures) are read-only and ignored when sent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import scope
from lianxin.cases import services, workflow
from lianxin.cases.models import Case, CaseEvent, CaseUnit, Category
from lianxin.cases.reach import may_receive_in
from lianxin.cases.workflow import Action, Who
from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.common.errors import NotAllowed
from lianxin.common.fields import mask_value
from lianxin.directory.models import Body, HandlingUnit, Person, Station
from lianxin.regions.models import Region


class CategorySerializer(ScopedSerializer):
    class Meta:
        model = Category
        fields = ["id", "region", "code", "name", "description", "order", "is_active"]


class CaseUnitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reply = serializers.SerializerMethodField()

    def get_reply(self, row: CaseUnit) -> str:
        """A co-handler's contribution (协办意见) is for the units and the office, like on the
        case page; the lead unit's reply is the case's own (CASE-5)."""
        if row.role == CaseUnit.Role.LEAD:
            return row.reply
        request = self.context.get("request")
        role = request_actor(request).role if request is not None else None
        return row.reply if role in ("office", "leadership", "unit") else ""

    class Meta:
        model = CaseUnit
        fields = ["unit", "unit_name", "role", "status", "dispatched_at", "accepted_at",
                  "due_at", "reply", "replied_at", "return_reason"]  # fmt: skip
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CaseEvent
        fields = ["seq", "action", "from_status", "to_status", "at", "actor_label", "note",
                  "public_note"]  # fmt: skip
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A case as staff see it: the citizens' data masked, the text redacted."""

    citizens = serializers.SerializerMethodField()
    units = CaseUnitSerializer(many=True, read_only=True)
    # The citizen's own words may hold names and numbers: only their redacted form is served
    # (SEC-2); the original is revealed on the staff page, audited, to roles that need it.
    text = serializers.CharField(source="public_text", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "congress", "region", "station", "deputy", "supervisor", "channel",
            "category", "priority", "sensitive", "text", "place", "latitude",
            "longitude", "status", "scope", "explanation", "merged_into", "reopen_count",
            "received_at", "due_at", "due_step", "reply_due_at", "escalation", "solved",
            "reply", "replied_at", "rating", "rated_at", "visited_at", "closed_at",
            "archived_at", "citizens", "units",
        ]  # fmt: skip
        read_only_fields = fields

    def get_citizens(self, case: Case) -> list[dict[str, Any]]:
        return [
            {
                "joined": c.joined,
                "name": mask_value(c.name, "name"),
                "phone": mask_value(c.phone, "phone"),
                "rating": c.rating,
            }
            for c in case.citizens.all()
        ]


class IntakeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An opinion received in person, by phone or letter (CASE-1); status and the rest are
    set by the service, whatever a client sends."""

    channel = serializers.ChoiceField(
        choices=[c for c in Case.Channel.choices if c[0] not in Case.PUBLIC_CHANNELS]
    )
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    text = serializers.CharField(max_length=services.TEXT_MAX)
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    anonymous = serializers.BooleanField(required=False, default=False)
    notify_by_sms = serializers.BooleanField(required=False, default=False)
    priority = serializers.ChoiceField(choices=Case.Priority.choices, required=False)
    received_at = serializers.DateTimeField(required=False)
    submission_key = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        actor = request_actor(request)
        for name in ("category", "station", "deputy"):
            field: Any = self.fields[name]
            field.queryset = scope(actor, field.queryset)


class ReceiptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    case = CaseSerializer()
    token = serializers.CharField()
    pin = serializers.CharField()
    created = serializers.BooleanField()


class TransitionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step of the table; which fields it needs depends on the action."""

    action = serializers.ChoiceField(choices=[a.value for a in Action if a != Action.EXPIRE_RATING])
    scope = serializers.ChoiceField(
        choices=[Case.Scope.TOWNSHIP, Case.Scope.COUNTY], required=False,
        help_text="triage: township or county",
    )  # fmt: skip
    explanation = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(
        required=False, allow_blank=True,
        help_text="reply: the reply; contribute: the co-handling unit's part",
    )  # fmt: skip
    solved = serializers.BooleanField(required=False, allow_null=True, default=None)
    days = serializers.IntegerField(required=False, help_text="request_extension: days asked")
    approve = serializers.BooleanField(required=False, default=False)
    rating = serializers.ChoiceField(choices=Case.Rating.choices, required=False)
    lead = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), required=False)
    co = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), many=True, required=False
    )
    into = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all(), required=False)
    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.all(), required=False)
    deputy = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        actor = request_actor(request)
        for name in ("lead", "into", "body", "deputy", "station"):
            field: Any = self.fields[name]
            field.queryset = scope(actor, field.queryset)
        self.fields["co"].child_relation.queryset = scope(actor, HandlingUnit.objects.all())  # type: ignore[attr-defined]


def _need(data: dict[str, Any], name: str) -> Any:
    if data.get(name) in (None, ""):
        raise DjangoValidationError({name: _("请填写此项。")})
    return data[name]


def run_transition(who: Who, case: Case, data: dict[str, Any]) -> Case:
    """Calls the service of ``data["action"]`` with its fields."""
    a = Action(data["action"])
    calls: dict[Action, Any] = {
        Action.CONFIRM: lambda: services.confirm(who=who, case=case, note=data.get("note", "")),
        Action.RESOLVE_ON_SPOT: lambda: services.resolve_on_spot(
            who=who, case=case, explanation=data.get("explanation", "")),
        Action.TRIAGE: lambda: services.triage(
            who=who, case=case, scope=_need(data, "scope"), note=data.get("note", "")),
        Action.REPORT: lambda: services.triage(
            who=who, case=case, scope=Case.Scope.COUNTY, note=data.get("note", "")),
        Action.DECLINE: lambda: services.decline(
            who=who, case=case, explanation=data.get("explanation", "")),
        Action.MERGE: lambda: services.merge(who=who, case=case, into=_need(data, "into")),
        Action.CLAIM: lambda: services.claim(who=who, case=case, body=_need(data, "body")),
        Action.DISPATCH: lambda: services.dispatch(
            who=who, case=case, lead=_need(data, "lead"), co=data.get("co", []),
            note=data.get("note", "")),
        Action.RETURN: lambda: services.return_case(who=who, case=case, reason=data.get("reason", "")),
        Action.ACCEPT: lambda: services.accept(who=who, case=case),
        Action.REQUEST_EXTENSION: lambda: services.request_extension(
            who=who, case=case, days=_need(data, "days"), reason=data.get("reason", "")),
        Action.DECIDE_EXTENSION: lambda: services.decide_extension(
            who=who, case=case, approve=bool(data.get("approve")), note=data.get("note", "")),
        Action.REPLY: lambda: services.reply(
            who=who, case=case, text=data.get("text", ""), solved=_need(data, "solved")),
        Action.CONTRIBUTE: lambda: services.contribute(who=who, case=case, text=data.get("text", "")),
        Action.SEND_BACK: lambda: services.send_back(who=who, case=case, reason=data.get("reason", "")),
        Action.APPROVE_REPLY: lambda: services.approve_reply(
            who=who, case=case, note=data.get("note", "")),
        Action.RATE: lambda: services.rate(
            who=who, case=case, rating=_need(data, "rating"), reason=data.get("reason", "")),
        Action.RETURN_VISIT: lambda: services.return_visit(who=who, case=case, note=data.get("note", "")),
        Action.ARCHIVE: lambda: services.archive(who=who, case=case),
        Action.REASSIGN: lambda: services.reassign(
            who=who, case=case, deputy=data.get("deputy"), station=data.get("station"),
            note=data.get("note", "")),
    }  # fmt: skip
    return calls[a]()  # type: ignore[no-any-return]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """群众意见: cases within reach; ``POST`` logs an opinion received in person; ``transition``
    applies one step of the closed loop (409 when somebody else acted first)."""

    queryset = Case.objects.select_related("category").prefetch_related("citizens", "units__unit")
    serializer_class = CaseSerializer
    search_fields = ["number", "public_text"]
    ordering_fields = ["received_at", "due_at", "number"]
    ordering = ["-received_at", "-id"]
    filterset_fields = ["status", "scope", "priority", "channel", "category", "station", "deputy"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return scope(request_actor(self.request), self.queryset.all())

    @extend_schema(request=IntakeSerializer, responses={201: ReceiptSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = request_actor(request)
        data = IntakeSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        station, deputy = v.get("station"), v.get("deputy")
        if station is not None and station not in scope(actor, Station.objects.all()):
            raise exceptions.ValidationError({"station": [_("只能登记您管辖范围内的联络站。")]})
        if not may_receive_in(actor, v["region"]):
            raise exceptions.ValidationError({"region": [_("只能登记您工作范围内的群众意见。")]})
        intake = services.Intake(
            channel=v["channel"], region=v["region"], category=v["category"], text=v["text"],
            station=station, deputy=deputy, place=v.get("place", ""), name=v.get("name", ""),
            phone=v.get("phone", ""), anonymous=v.get("anonymous", False),
            notify_by_sms=v.get("notify_by_sms", False),
            priority=v.get("priority", Case.Priority.NORMAL), received_at=v.get("received_at"),
            submission_key=v.get("submission_key") or None,
        )  # fmt: skip
        receipt = services.file_case(intake=intake, actor=actor)
        body = {
            "case": CaseSerializer(receipt.case, context={"request": request}).data,
            "token": receipt.token,
            "pin": receipt.pin,
            "created": receipt.created,
        }
        return Response(body, status=201 if receipt.created else 200)

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = TransitionSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            case = run_transition(
                Who.staff(request_actor(request)), case, dict(data.validated_data)
            )
        except NotAllowed as exc:
            raise exceptions.NotFound from exc
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(case, context={"request": request}).data)

    @extend_schema(responses={200: CaseEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        return Response(CaseEventSerializer(case.events.order_by("seq"), many=True).data)

    @extend_schema(responses={200: {"type": "array", "items": {"type": "string"}}})
    @action(detail=True, methods=["get"])
    def actions(self, request: Request, pk: str | None = None) -> Response:
        """The actions the requesting role may take on this case now."""
        case = self.get_object()
        return Response(
            [str(a) for a in workflow.available_actions(Who.staff(request_actor(request)), case)]
        )


class CategoryViewSet(ScopedViewSet):
    """意见类别 of a region and the regions above it; offices edit their own."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    search_fields = ["name", "code"]
    ordering_fields = ["order", "name"]
    ordering = ["order", "id"]


ROUTES = [
    ("cases", CaseViewSet, "case"),
    ("case-categories", CategoryViewSet, "category"),
]
