"""Open311 GeoReport v2 (API-2) at /open311/v2/, JSON only.

Services are the categories of a jurisdiction (a region code: its categories and those of the
regions above it). Reads return only public, redacted fields of cases that are not sensitive;
statuses map to ``open`` and ``closed``. Posting a request needs an integrator's API key and
files a case exactly as the portal does (channel ``open311``); the answer carries the case
number and the citizen's secret tracking token. Errors answer GeoReport's
``[{"code": …, "description": …}]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lianxin.cases import services
from lianxin.cases.models import TERMINAL_STATUSES, Case, Category, Integrator
from lianxin.regions.models import Region

MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_integrator(name: str, region: Region) -> tuple[Integrator, str]:
    """Creates an integrator and returns its API key (shown once)."""
    key = secrets.token_urlsafe(32)
    return Integrator.objects.create(name=name, region=region, key_hash=key_hash(key)), key


def _error(code: int, description: str) -> Response:
    return Response([{"code": code, "description": description}], status=code)


def _jurisdiction(request: Request) -> Region | None:
    posted: Any = request.data if request.method == "POST" else {}
    code = str(
        request.query_params.get("jurisdiction_id") or posted.get("jurisdiction_id") or ""
    ).strip()
    return Region.objects.filter(code=code).first() if code else None


def _ancestor_ids(region: Region) -> list[int]:
    return [int(p) for p in region.path.strip("/").split("/") if p]


def _services(region: Region) -> QuerySet[Category]:
    return Category.objects.filter(region_id__in=_ancestor_ids(region), is_active=True)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def _status(case: Case) -> str:
    return "closed" if case.status in TERMINAL_STATUSES else "open"


def _request(case: Case) -> dict[str, Any]:
    notes = ""
    if case.status == Case.Status.DECLINED:
        notes = case.explanation
    elif case.status == Case.Status.MERGED and case.merged_into is not None:
        notes = _("已与同类问题合并办理，编号 %(n)s。") % {"n": case.merged_into.number}
    return {
        "service_request_id": case.number,
        "status": _status(case),
        "status_notes": notes,
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.public_text,
        "agency_responsible": case.congress.name,
        "service_notice": "",
        "requested_datetime": case.received_at.isoformat(),
        "updated_datetime": case.updated_at.isoformat(),
        "expected_datetime": case.due_at.isoformat() if case.due_at else None,
        "address": case.place,
        "address_id": "",
        "zipcode": "",
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": "",
    }


def _public_cases() -> QuerySet[Case]:
    return Case.objects.filter(sensitive=False).select_related(
        "category", "congress", "merged_into"
    )


_SERVICE_FIELDS = (
    "Open311Service",
    {
        "service_code": serializers.CharField(),
        "service_name": serializers.CharField(),
        "description": serializers.CharField(),
        "metadata": serializers.BooleanField(),
        "type": serializers.CharField(),
        "keywords": serializers.CharField(),
        "group": serializers.CharField(),
    },
)
_REQUEST_FIELDS = (
    "Open311Request",
    {
        "service_request_id": serializers.CharField(),
        "status": serializers.ChoiceField(choices=["open", "closed"]),
        "status_notes": serializers.CharField(),
        "service_name": serializers.CharField(),
        "service_code": serializers.CharField(),
        "description": serializers.CharField(),
        "agency_responsible": serializers.CharField(),
        "requested_datetime": serializers.DateTimeField(),
        "updated_datetime": serializers.DateTimeField(),
        "expected_datetime": serializers.DateTimeField(allow_null=True),
        "address": serializers.CharField(),
        "lat": serializers.FloatField(allow_null=True),
        "long": serializers.FloatField(allow_null=True),
    },
)
_POSTED_FIELDS = (
    "Open311Posted",
    {
        "service_request_id": serializers.CharField(),
        "service_notice": serializers.CharField(),
        "token": serializers.CharField(help_text="the citizen's secret tracking token"),
    },
)
_NEW_REQUEST_FIELDS = (
    "Open311NewRequest",
    {
        "api_key": serializers.CharField(),
        "jurisdiction_id": serializers.CharField(),
        "service_code": serializers.CharField(),
        "description": serializers.CharField(),
        "address_string": serializers.CharField(required=False),
        "lat": serializers.FloatField(required=False),
        "long": serializers.FloatField(required=False),
        "first_name": serializers.CharField(required=False),
        "last_name": serializers.CharField(required=False),
        "phone": serializers.CharField(required=False),
    },
)
_ERROR_FIELDS = (
    "Open311Error",
    {"code": serializers.IntegerField(), "description": serializers.CharField()},
)


_DOC_CLASSES: dict[str, Any] = {}


def _doc(fields: tuple[str, dict[str, Any]], many: bool = False) -> Any:
    """A documentation serializer; one class per name, so the schema has one component."""
    name, declared = fields
    if name not in _DOC_CLASSES:
        _DOC_CLASSES[name] = type(inline_serializer(name, declared))
    return _DOC_CLASSES[name](many=many)


def SERVICE(many: bool = False) -> Any:
    return _doc(_SERVICE_FIELDS, many)


def REQUEST(many: bool = False) -> Any:
    return _doc(_REQUEST_FIELDS, many)


def POSTED(many: bool = False) -> Any:
    return _doc(_POSTED_FIELDS, many)


def ERROR(many: bool = False) -> Any:
    return _doc(_ERROR_FIELDS, many)


JURISDICTION = OpenApiParameter("jurisdiction_id", str, description="行政区划代码", required=True)


class Open311View(APIView):
    public = True
    permission_classes: list[Any] = []
    authentication_classes: list[Any] = []

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Live data of open cases: no shared cache keeps a stale copy (SEC-6).
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ServiceList(Open311View):
    @extend_schema(tags=["open311"], parameters=[JURISDICTION],
                   responses={200: SERVICE(many=True), 400: ERROR(many=True)})  # fmt: skip
    def get(self, request: Request) -> Response:
        region = _jurisdiction(request)
        if region is None:
            return _error(400, _("请提供正确的 jurisdiction_id（行政区划代码）。"))
        return Response([_service(c) for c in _services(region)])


class ServiceDefinition(Open311View):
    @extend_schema(tags=["open311"], parameters=[JURISDICTION],
                   responses={200: inline_serializer("Open311Definition", {
                       "service_code": serializers.CharField(),
                       "attributes": serializers.ListField(child=serializers.DictField())}),
                       404: ERROR(many=True)})  # fmt: skip
    def get(self, request: Request, code: str) -> Response:
        region = _jurisdiction(request)
        category = _services(region).filter(code=code).first() if region else None
        if category is None:
            return _error(404, _("没有这项服务。"))
        return Response({"service_code": category.code, "attributes": []})


class RequestList(Open311View):
    @extend_schema(
        tags=["open311"],
        parameters=[
            JURISDICTION,
            OpenApiParameter("service_code", str),
            OpenApiParameter("status", str, enum=["open", "closed"]),
            OpenApiParameter("start_date", str, description="ISO 8601"),
            OpenApiParameter("end_date", str, description="ISO 8601"),
        ],
        responses={200: REQUEST(many=True), 400: ERROR(many=True)},
    )
    def get(self, request: Request) -> Response:
        region = _jurisdiction(request)
        if region is None:
            return _error(400, _("请提供正确的 jurisdiction_id（行政区划代码）。"))
        params = request.query_params
        end = parse_datetime(params.get("end_date", "")) or timezone.now()
        start = parse_datetime(params.get("start_date", "")) or end - dt.timedelta(
            days=DEFAULT_DAYS
        )
        cases = _public_cases().filter(
            region__path__startswith=region.path, received_at__gte=start, received_at__lte=end
        )
        if code := params.get("service_code"):
            cases = cases.filter(category__code=code)
        if params.get("status") == "open":
            cases = cases.exclude(status__in=TERMINAL_STATUSES)
        elif params.get("status") == "closed":
            cases = cases.filter(status__in=TERMINAL_STATUSES)
        return Response([_request(c) for c in cases.order_by("-received_at")[:MAX_RESULTS]])

    @extend_schema(tags=["open311"], request=_doc(_NEW_REQUEST_FIELDS),
                   responses={201: POSTED(many=True), 400: ERROR(many=True), 403: ERROR(many=True)})  # fmt: skip
    def post(self, request: Request) -> Response:
        data: Any = request.data
        integrator = (
            Integrator.objects.filter(
                key_hash=key_hash(str(data.get("api_key", ""))), is_active=True
            )
            .select_related("region")
            .first()
        )
        if integrator is None:
            return _error(403, _("API 密钥无效。"))
        region = _jurisdiction(request)
        if region is None or not region.path.startswith(integrator.region.path):
            return _error(400, _("jurisdiction_id 不在该接入系统的范围内。"))
        category = _services(region).filter(code=str(data.get("service_code", ""))).first()
        if category is None:
            return _error(400, _("没有这项服务。"))
        name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
        try:
            intake = services.Intake(
                channel=Case.Channel.OPEN311, region=region, category=category,
                text=str(data.get("description", "")),
                place=str(data.get("address_string", ""))[:200],
                latitude=_coordinate(data.get("lat"), 90),
                longitude=_coordinate(data.get("long"), 180),
                name=name[:50], phone=str(data.get("phone", "")),
                submission_key=str(data.get("request_key", "")) or None,
            )  # fmt: skip
            receipt = services.file_case(intake=intake)
        except ValidationError as exc:
            messages = [str(m) for msgs in exc.message_dict.values() for m in msgs]
            return _error(400, "；".join(messages))
        body = [{"service_request_id": receipt.case.number,
                 "service_notice": _("请记住编号 %(n)s。") % {"n": receipt.case.number},
                 "token": receipt.token}]  # fmt: skip
        return Response(body, status=201 if receipt.created else 200)


def _coordinate(value: Any, bound: int) -> Any:
    if value in (None, ""):
        return None
    try:
        number = round(float(value), 6)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"lat": _("坐标不正确。")}) from exc
    if not -bound <= number <= bound:
        raise ValidationError({"lat": _("坐标不正确。")})
    return number


class RequestDetail(Open311View):
    @extend_schema(tags=["open311"], responses={200: REQUEST(many=True), 404: ERROR(many=True)})
    def get(self, request: Request, number: str) -> Response:
        case = _public_cases().filter(Q(number=number)).first()
        if case is None:
            return _error(404, _("没有这件意见。"))
        return Response([_request(case)])
