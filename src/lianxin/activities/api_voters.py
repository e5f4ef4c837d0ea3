"""/api/v1/ for the deputy's voter contacts and good deeds (API-1, VOT-1, VOT-4).

Lists are scoped like the pages (a deputy his own, station staff their deputies', the office
its region's); the voter is given by id, never by name (SEC-2). Creating goes through the
services in ``activities/voters.py`` for the calling deputy himself; ``deputy``, ``status``,
``case`` and other fields the services decide are read-only (ignored when sent).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import exceptions, serializers

from lianxin.accounts.api_permissions import request_actor
from lianxin.activities import voters
from lianxin.activities.models.voters import FixedVoter, GoodDeed, VoterContact
from lianxin.common.api_base import ScopedViewSet
from lianxin.common.errors import NotAllowed


class VoterContactSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    voter = serializers.PrimaryKeyRelatedField(
        queryset=FixedVoter.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = VoterContact
        fields = ["id", "deputy", "voter", "contacted_on", "method", "content", "opinions",
                  "help_given", "case", "created_at"]  # fmt: skip
        read_only_fields = ["id", "deputy", "case", "created_at"]


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


ROUTES = [
    ("voter-contacts", VoterContactViewSet, "voter-contact"),
    ("good-deeds", GoodDeedViewSet, "good-deed"),
]
