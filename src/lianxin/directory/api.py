"""/api/v1/ for the core directory (API-1): the same reach and rules as the staff pages.

Reads are scoped by the permission module; writes go through ``save_instance`` (capability,
reach before and after, model validation) or a directory service. Personal data is exposed
masked only (SEC-2); clear values can be written, never read back here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.common.errors import NotAllowed
from lianxin.common.fields import mask_value
from lianxin.directory import filters, services
from lianxin.directory.forms import ID_RE, MOBILE_RE, id_number_is_valid
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Congress,
    Delegation,
    HandlingUnit,
    Mandate,
    Person,
    Session,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
    WorkPlan,
)
from lianxin.regions.models import Region


class MaskedPersonalField(serializers.CharField):
    """Writes a personal value in clear; reads it back masked (SEC-2)."""

    def __init__(self, mask: str, **kwargs: Any) -> None:
        self.mask = mask
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return mask_value(str(value or ""), self.mask)


def _serializer(model: type, field_names: list[str], **extra: Any) -> type[ScopedSerializer]:
    meta = type("Meta", (), {"model": model, "fields": ["id", *field_names], **extra})
    return type(f"{model.__name__}Serializer", (ScopedSerializer,), {"Meta": meta})


CongressSerializer = _serializer(Congress, ["region", "level", "name"])
TermSerializer = _serializer(Term, ["congress", "number", "starts_on", "ends_on", "is_current"])
SessionSerializer = _serializer(Session, ["term", "number", "starts_on", "ends_on", "place"])
BodySerializer = _serializer(Body, ["congress", "term", "kind", "name", "duties"])
BodyMembershipSerializer = _serializer(
    BodyMembership, ["body", "person", "position", "starts_on", "ends_on"]
)
WorkPlanSerializer = _serializer(
    WorkPlan,
    ["congress", "year", "title", "content", "status", "published_at"],
    read_only_fields=["status", "published_at"],
)
DelegationSerializer = _serializer(Delegation, ["term", "name", "region"])
MandateSerializer = _serializer(
    Mandate,
    [
        "person",
        "term",
        "kind",
        "delegation",
        "electoral_district",
        "status",
        "started_on",
        "ended_on",
        "end_reason",
        "end_note",
    ],
    read_only_fields=["status", "ended_on", "end_reason", "end_note"],
)
StationSerializer = _serializer(
    Station,
    [
        "name",
        "kind",
        "parent",
        "region",
        "congress",
        "address",
        "opening_hours",
        "phone",
        "industry",
        "enterprises",
        "introduction",
        "is_active",
        "path",
        "depth",
        "public_key",
    ],
    read_only_fields=["path", "depth", "public_key"],
)
StationStaffSerializer = _serializer(
    StationStaff, ["station", "person", "role", "side", "starts_on", "ends_on"]
)
StationMembershipSerializer = _serializer(
    StationMembership, ["station", "person", "kind", "starts_on", "ends_on"]
)
HandlingUnitSerializer = _serializer(
    HandlingUnit,
    [
        "name",
        "short_name",
        "kind",
        "parent",
        "region",
        "address",
        "phone",
        "duties",
        "is_active",
        "path",
        "depth",
    ],
    read_only_fields=["path", "depth"],
)
UnitContactSerializer = _serializer(UnitContact, ["unit", "person", "position", "is_primary"])


class PersonSerializer(ScopedSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    phone = MaskedPersonalField(mask="phone", max_length=20, help_text="手机号码；读取时脱敏")
    id_number = MaskedPersonalField(
        mask="id_number", max_length=18, help_text="身份证号；读取时脱敏"
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "party",
            "birth_year",
            "sector",
            "work_unit",
            "title",
            "specialties",
            "bio",
            "region",
            "phone",
            "id_number",
            "public_phone",
            "public_key",
        ]
        read_only_fields = ["public_key"]

    def validate_phone(self, value: str) -> str:
        value = "".join(value.split())
        if value and not MOBILE_RE.match(value):
            raise serializers.ValidationError(_("请输入11位手机号码。"))
        return value

    def validate_id_number(self, value: str) -> str:
        value = value.strip().upper()
        if value and (not ID_RE.match(value) or not id_number_is_valid(value)):
            raise serializers.ValidationError(_("身份证号不正确，请核对18位号码。"))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # An empty personal value in an update means "keep what is stored".
        if self.instance is not None:
            for name in ("phone", "id_number"):
                if attrs.get(name) == "":
                    attrs.pop(name)
        return super().validate(attrs)


class MandateEndSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ended_on = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=Mandate.EndReason.choices)
    end_note = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _viewset(
    model: type,
    serializer: type,
    filterset: type,
    search: list[str],
    ordering: list[str],
    select: list[str] | None = None,
) -> type[ScopedViewSet]:
    qs = model._default_manager.all()  # type: ignore[attr-defined]
    if select:
        qs = qs.select_related(*select)
    return type(
        f"{model.__name__}ViewSet",
        (ScopedViewSet,),
        {
            "queryset": qs,
            "serializer_class": serializer,
            "filterset_class": filterset,
            "search_fields": search,
            "ordering_fields": ordering,
            "ordering": [ordering[0], "id"],
            "__doc__": f"{model._meta.verbose_name} ({model.__name__}), within the caller's reach.",  # type: ignore[attr-defined]
        },
    )


CongressViewSet = _viewset(
    Congress, CongressSerializer, filters.CongressFilter, ["name"], ["level", "name"]
)
TermViewSet = _viewset(Term, TermSerializer, filters.TermFilter, [], ["number", "starts_on"])
SessionViewSet = _viewset(
    Session, SessionSerializer, filters.SessionFilter, ["place"], ["number", "starts_on"]
)
BodyViewSet = _viewset(Body, BodySerializer, filters.BodyFilter, ["name"], ["name", "kind"])
BodyMembershipViewSet = _viewset(
    BodyMembership,
    BodyMembershipSerializer,
    filters.BodyMembershipFilter,
    ["person__name", "position"],
    ["starts_on"],
)
DelegationViewSet = _viewset(
    Delegation, DelegationSerializer, filters.DelegationFilter, ["name"], ["name"]
)
StationViewSet = _viewset(
    Station,
    StationSerializer,
    filters.StationFilter,
    ["name", "address", "industry"],
    ["path", "name", "kind"],
)
StationStaffViewSet = _viewset(
    StationStaff,
    StationStaffSerializer,
    filters.StationStaffFilter,
    ["person__name"],
    ["role", "starts_on"],
)
StationMembershipViewSet = _viewset(
    StationMembership,
    StationMembershipSerializer,
    filters.StationMembershipFilter,
    ["person__name"],
    ["starts_on"],
)
HandlingUnitViewSet = _viewset(
    HandlingUnit,
    HandlingUnitSerializer,
    filters.HandlingUnitFilter,
    ["name", "short_name"],
    ["path", "name", "kind"],
)
UnitContactViewSet = _viewset(
    UnitContact, UnitContactSerializer, filters.UnitContactFilter, ["person__name"], ["unit"]
)


class PersonViewSet(ScopedViewSet):
    """人员 (Person): profiles within the caller's reach; personal data masked."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = filters.PersonFilter
    search_fields = ["name", "work_unit", "title"]
    ordering_fields = ["name", "work_unit"]
    ordering = ["name", "id"]


class MandateViewSet(ScopedViewSet):
    """任职 (Mandate): mandates within the caller's reach; ``end`` ends one (ORG-3)."""

    queryset = Mandate.objects.all()
    serializer_class = MandateSerializer
    filterset_class = filters.MandateFilter
    search_fields = ["person__name", "electoral_district"]
    ordering_fields = ["started_on", "status"]
    ordering = ["-started_on", "id"]

    @extend_schema(request=MandateEndSerializer, responses=MandateSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        mandate = self.get_object()
        data = MandateEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            mandate = services.mandate_end(
                actor=request_actor(request),
                mandate=mandate,
                ended_on=data.validated_data["ended_on"],
                reason=data.validated_data["end_reason"],
                note=data.validated_data.get("end_note", ""),
            )
        except NotAllowed as exc:
            raise exceptions.NotFound from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        return Response(MandateSerializer(mandate, context={"request": request}).data)


class WorkPlanViewSet(ScopedViewSet):
    """年度代表工作计划 (WorkPlan); ``publish`` publishes it (代表法 §43)."""

    queryset = WorkPlan.objects.all()
    serializer_class = WorkPlanSerializer
    filterset_class = filters.WorkPlanFilter
    search_fields = ["title", "content"]
    ordering_fields = ["year", "title"]
    ordering = ["-year", "id"]

    @extend_schema(request=None, responses=WorkPlanSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        try:
            plan = services.workplan_publish(actor=request_actor(request), plan=plan)
        except NotAllowed as exc:
            raise exceptions.NotFound from exc
        return Response(WorkPlanSerializer(plan, context={"request": request}).data)


ROUTES = [
    ("congresses", CongressViewSet, "congress"),
    ("terms", TermViewSet, "term"),
    ("sessions", SessionViewSet, "session"),
    ("bodies", BodyViewSet, "body"),
    ("body-memberships", BodyMembershipViewSet, "bodymembership"),
    ("work-plans", WorkPlanViewSet, "workplan"),
    ("delegations", DelegationViewSet, "delegation"),
    ("persons", PersonViewSet, "person"),
    ("mandates", MandateViewSet, "mandate"),
    ("stations", StationViewSet, "station"),
    ("station-staff", StationStaffViewSet, "stationstaff"),
    ("station-memberships", StationMembershipViewSet, "stationmembership"),
    ("units", HandlingUnitViewSet, "handlingunit"),
    ("unit-contacts", UnitContactViewSet, "unitcontact"),
]

# Station standards and inspections (ORG-6) live in their own module.
from lianxin.directory.api_standards import ROUTES as _STANDARDS_ROUTES  # noqa: E402

ROUTES += _STANDARDS_ROUTES
# Groups, grids, standing committee links, the expert pool (ORG-8, ORG-9, ORG-10, ORG-12).
from lianxin.directory.api_org import ROUTES as ORG_ROUTES  # noqa: E402

ROUTES += ORG_ROUTES
