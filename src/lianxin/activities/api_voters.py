"""/api/v1/ for the deputy's voter work (API-1, VOT-1, VOT-2, VOT-4, ORG-10): his fixed
voters, his contacts with them, his reports to voters, his good deeds, a standing committee
member's contacts with his linked deputies, and the office's callback calls.

Lists are scoped like the pages (a deputy his own, station staff their deputies', the office
its region's; fixed voters and callbacks are the deputy's and the office's only); the voter is
given by id, never by name (SEC-2). A fixed voter's name, phone and address read back in clear
only to the deputy whose list it is; everyone else reads them masked. Creating goes through the
services in ``activities/voters.py`` for the calling deputy himself; ``deputy``, ``status``,
``case`` and other fields the services decide are read-only (ignored when sent). Refusals of
the services answer 403, their validation 400 with the Chinese message per field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import scope
from lianxin.activities import voters
from lianxin.activities.models.voters import (
    CallbackCall,
    CallbackSample,
    CommitteeContact,
    FixedVoter,
    GoodDeed,
    VoterContact,
    VoterReport,
)
from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.common.errors import NotAllowed
from lianxin.common.fields import mask_value
from lianxin.directory.models import CommitteeLink, Person
from lianxin.regions.models import Region

PERSONAL = {"name": "name", "phone": "phone", "address": "address"}


class VoterContactSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    voter = serializers.PrimaryKeyRelatedField(
        queryset=FixedVoter.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = VoterContact
        fields = ["id", "deputy", "voter", "contacted_on", "method", "content", "opinions",
                  "help_given", "case", "created_at"]  # fmt: skip
        read_only_fields = ["id", "deputy", "case", "created_at"]

    def to_representation(self, instance: VoterContact) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        actor = request_actor(request) if request is not None else None
        if actor is None or actor.person_id != instance.deputy_id:
            # Only the deputy who typed it reads his free text as typed (SEC-2).
            data["content"], data["opinions"], data["help_given"] = voters.masked_texts(instance)
        return data


class GoodDeedSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = GoodDeed
        fields = ["id", "deputy", "done_on", "region", "title", "description", "beneficiaries",
                  "status", "note", "confirmed_at"]  # fmt: skip
        read_only_fields = ["id", "deputy", "status", "note", "confirmed_at"]
        extra_kwargs = {"region": {"required": False}}


def _create(request: Any, fn: Any, **data: Any) -> Any:
    try:
        return fn(actor=request_actor(request), **data)
    except NotAllowed as exc:
        raise exceptions.PermissionDenied(str(exc.message)) from exc
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise exceptions.ValidationError(detail) from exc


class VoterContactViewSet(ScopedViewSet):
    """联系选民记录 within reach; POST records one of the calling deputy's own."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = VoterContact.objects.order_by("-contacted_on", "-id")
    serializer_class = VoterContactSerializer
    filterset_fields = ["deputy", "method", "contacted_on"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = _create(
            self.request,
            voters.record_contact,
            voter=data.get("voter"),
            contacted_on=data["contacted_on"],
            method=data["method"],
            content=data["content"],
            opinions=data.get("opinions", ""),
            help_given=data.get("help_given", ""),
        )


class GoodDeedViewSet(ScopedViewSet):
    """为民办实事 within reach; POST records one for the calling deputy (pending until his
    station confirms it)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = GoodDeed.objects.order_by("-done_on", "-id")
    serializer_class = GoodDeedSerializer
    filterset_fields = ["deputy", "status"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = _create(
            self.request,
            voters.record_deed,
            done_on=data["done_on"],
            title=data["title"],
            description=data["description"],
            beneficiaries=data.get("beneficiaries", ""),
            region=data.get("region"),  # his area; the service refuses any other
        )


# --- Fixed voters (VOT-1) --------------------------------------------------------------------


class FixedVoterSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One voter of a deputy's list. Name, phone and address are written in clear and read
    back in clear only by the deputy whose list it is (SEC-2)."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    name = serializers.CharField(max_length=50, allow_blank=True, help_text="姓名；他人读取时脱敏")
    phone = serializers.CharField(
        max_length=20, allow_blank=True, help_text="手机号码；他人读取时脱敏"
    )
    address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="住址；他人读取时脱敏"
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

    class Meta:
        model = FixedVoter
        fields = ["id", "deputy", "year", "region", "name", "phone", "address", "occupation",
                  "is_active", "note", "created_at"]  # fmt: skip
        read_only_fields = ["id", "deputy", "is_active", "created_at"]

    def to_representation(self, instance: FixedVoter) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        own = request is not None and request_actor(request).person_id == instance.deputy_id
        if not own:
            for name, kind in PERSONAL.items():
                data[name] = mask_value(str(data.get(name) or ""), kind)
        return data


class FixedVoterViewSet(ScopedViewSet):
    """固定联系选民: a deputy lists and adds his own (beyond the yearly quota is allowed, as on
    his phone); the office reads its region's, masked. Station staff reach none."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = FixedVoter.objects.select_related("region").order_by("-year", "deputy", "pk")
    serializer_class = FixedVoterSerializer
    filterset_fields = ["deputy", "year", "region", "is_active"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = _create(
            self.request,
            voters.add_voter,
            year=data.get("year"),
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            region=data.get("region"),
            address=data.get("address", ""),
            occupation=data.get("occupation", ""),
            note=data.get("note", ""),
        )


# --- Reports to voters (VOT-2) ---------------------------------------------------------------


class VoterReportSerializer(ScopedSerializer):
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text="述职的代表；代表本人登记时可不填，只能是本人",
    )
    votes = serializers.IntegerField(read_only=True)
    satisfaction_rate = serializers.SerializerMethodField(help_text="满意率（%），无测评票时为空")

    class Meta:
        model = VoterReport
        fields = ["id", "deputy", "held_on", "place", "report", "voters_present", "satisfied",
                  "basically", "dissatisfied", "votes", "satisfaction_rate", "opinions",
                  "activity", "created_at"]  # fmt: skip
        read_only_fields = ["id", "activity", "created_at"]

    def get_satisfaction_rate(self, obj: VoterReport) -> int | None:
        return voters.satisfaction_rate(obj)


class VoterReportViewSet(ScopedViewSet):
    """向选民述职 with the voters' tally within reach; POST records one of the calling
    deputy's own (staff record one on a deputy's behalf on the staff page)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = VoterReport.objects.order_by("-held_on", "-id")
    serializer_class = VoterReportSerializer
    filterset_fields = ["deputy", "held_on"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = _create(
            self.request,
            voters.record_report,
            held_on=data["held_on"],
            place=data["place"],
            report=data["report"],
            voters_present=data["voters_present"],
            satisfied=data.get("satisfied", 0),
            basically=data.get("basically", 0),
            dissatisfied=data.get("dissatisfied", 0),
            opinions=data.get("opinions", ""),
            deputy=data.get("deputy"),
        )


# --- Standing committee members' contacts (ORG-10) -------------------------------------------


class CommitteeContactSerializer(ScopedSerializer):
    """The link is one of the caller's (links out of reach are unknown ids, 400)."""

    link = serializers.PrimaryKeyRelatedField(
        queryset=CommitteeLink.objects.all(), help_text="本人作为常委会组成人员的联系关系"
    )
    member = serializers.IntegerField(source="link.member_id", read_only=True)
    member_name = serializers.CharField(source="link.member.name", read_only=True)
    linked_deputy = serializers.IntegerField(source="link.deputy_id", read_only=True)
    linked_deputy_name = serializers.CharField(source="link.deputy.name", read_only=True)

    class Meta:
        model = CommitteeContact
        fields = ["id", "link", "member", "member_name", "linked_deputy", "linked_deputy_name",
                  "contacted_on", "method", "content", "opinions", "created_at"]  # fmt: skip
        read_only_fields = ["id", "created_at"]


class CommitteeContactViewSet(ScopedViewSet):
    """联系代表记录: a member's contacts with his linked deputies (and a deputy's contacts by
    members); POST records one by the calling member over one of his own current links."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = CommitteeContact.objects.select_related("link__member", "link__deputy").order_by(
        "-contacted_on", "-id"
    )
    serializer_class = CommitteeContactSerializer
    filterset_fields = ["link", "method", "contacted_on"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = _create(
            self.request,
            voters.record_committee_contact,
            link=data["link"],
            contacted_on=data["contacted_on"],
            method=data["method"],
            content=data["content"],
            opinions=data.get("opinions", ""),
        )


# --- The office's callbacks (VOT-1) ----------------------------------------------------------


class CallbackSampleSerializer(ScopedSerializer):
    """One month's random sample of a region (one a month; the seed is kept so the draw can be
    checked). ``region`` defaults to the office's own; ``size`` to 10 % of the pool."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False)
    size = serializers.IntegerField(required=False, min_value=1, max_value=500)
    month = serializers.DateField(help_text="该月任一天，按该月第一天保存")
    calls = serializers.IntegerField(source="calls.count", read_only=True)

    class Meta:
        model = CallbackSample
        fields = ["id", "region", "month", "size", "seed", "calls", "created_at"]
        read_only_fields = ["id", "seed", "calls", "created_at"]
        validators: list[Any] = []  # one a month: the service answers 409 (Conflict)


class CallbackSampleViewSet(ScopedViewSet):
    """回访抽查 of the office's region; POST draws this month's (or another month's) sample
    through the same service as the page: never voters of other regions, one per month."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = CallbackSample.objects.select_related("region").order_by("-month", "region")
    serializer_class = CallbackSampleSerializer
    filterset_fields = ["region", "month"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = _create(
            self.request,
            voters.draw_sample,
            month=data["month"],
            size=data.get("size"),
            region=data.get("region"),
        )


class CallbackCallSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One voter of a month's sample and his answer. The voter's name and phone are masked:
    the calling sheet shows the phone to the caller, audited (SEC-2)."""

    month = serializers.DateField(source="sample.month", read_only=True)
    region = serializers.IntegerField(source="sample.region_id", read_only=True)
    deputy = serializers.IntegerField(source="voter.deputy_id", read_only=True)
    deputy_name = serializers.CharField(source="voter.deputy.name", read_only=True)
    voter_name = serializers.SerializerMethodField()
    voter_phone = serializers.SerializerMethodField()

    class Meta:
        model = CallbackCall
        fields = ["id", "sample", "month", "region", "voter", "voter_name", "voter_phone",
                  "deputy", "deputy_name", "outcome", "satisfaction", "answer",
                  "called_at"]  # fmt: skip
        read_only_fields = fields

    def get_voter_name(self, obj: CallbackCall) -> str:
        return mask_value(str(obj.voter.name), "name")

    def get_voter_phone(self, obj: CallbackCall) -> str:
        return mask_value(str(obj.voter.phone), "phone")


class CallAnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.CharField(help_text="confirmed / denied / unreachable")
    satisfaction = serializers.CharField(required=False, allow_blank=True, default="")
    answer = serializers.CharField(required=False, allow_blank=True, default="")


class CallbackCallViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """回访记录 of the office's monthly samples in its region; ``answer`` records what the
    voter said (the sample itself is drawn on the staff page)."""

    queryset = CallbackCall.objects.select_related("sample", "voter", "voter__deputy").order_by(
        "-sample__month", "sample", "id"
    )
    serializer_class = CallbackCallSerializer
    filterset_fields = ["sample", "outcome"]

    def get_queryset(self) -> Any:
        qs: Any = self.queryset
        if getattr(self, "swagger_fake_view", False):  # schema generation: no actor
            return qs.none()
        return scope(request_actor(self.request), qs.all())

    @extend_schema(request=CallAnswerSerializer, responses={200: CallbackCallSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        """Records the outcome of the call, the voter's view of his deputy and what he said."""
        call = self.get_object()
        body = CallAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = _create(request, voters.record_call, call=call, **body.validated_data)
        return Response(self.get_serializer(saved).data)


ROUTES = [
    ("voter-contacts", VoterContactViewSet, "voter-contact"),
    ("good-deeds", GoodDeedViewSet, "good-deed"),
    ("fixed-voters", FixedVoterViewSet, "fixed-voter"),
    ("voter-reports", VoterReportViewSet, "voter-report"),
    ("committee-contacts", CommitteeContactViewSet, "committee-contact"),
    ("callback-samples", CallbackSampleViewSet, "callback-sample"),
    ("callback-calls", CallbackCallViewSet, "callback-call"),
]
