"""API of the official calendar (CASE-4, API-1): every role reads years and days; the system
administrator writes a year's arrangement through the same service as the pages."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from lianxin.accounts.api_permissions import request_actor
from lianxin.accounts.permissions import scope
from lianxin.holidays import services
from lianxin.holidays.models import CalendarDay, HolidayYear
from lianxin.holidays.notice import DaySpec


class CalendarDaySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class HolidayYearSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = HolidayYear
        fields = ["year", "source", "notice", "entered_at"]
        read_only_fields = fields


class DayWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CalendarDay.Kind.choices)
    name = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class YearWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(min_value=services.MIN_YEAR, max_value=services.MAX_YEAR)
    notice = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    days = DayWriteSerializer(many=True)


class CalendarDayViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Special days (holidays and 调休 working days); filter with ``?year=2026``."""

    model = CalendarDay
    serializer_class = CalendarDaySerializer
    filterset_fields = ["kind"]
    ordering_fields = ["date"]

    def get_queryset(self) -> models.QuerySet[CalendarDay]:
        qs = scope(request_actor(self.request), CalendarDay.objects.order_by("date"))
        year = self.request.query_params.get("year", "")
        if year.isdigit():
            qs = qs.filter(date__year=int(year))
        return qs


class HolidayYearViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,  # type: ignore[type-arg]
):
    """Years with data; ``PUT /calendar-years/2027/`` with ``days`` replaces that year."""

    model = HolidayYear
    serializer_class = HolidayYearSerializer
    lookup_field = "year"
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> models.QuerySet[HolidayYear]:
        return scope(request_actor(self.request), HolidayYear.objects.order_by("-year"))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        data = HolidayYearSerializer(instance).data
        data["days"] = CalendarDaySerializer(
            CalendarDay.objects.filter(date__year=instance.year).order_by("date"), many=True
        ).data
        return Response(data)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        if self.request is not None and self.request.method in ("POST", "PUT"):
            return YearWriteSerializer
        return HolidayYearSerializer

    def _save(self, request: Request, year: int) -> Response:
        payload = request.data if isinstance(request.data, dict) else {}
        serializer = YearWriteSerializer(data={**payload, "year": year})
        serializer.is_valid(raise_exception=True)
        days = [
            DaySpec(d["date"], d["kind"], d.get("name", ""))
            for d in serializer.validated_data.get("days", [])
        ]
        holiday_year = services.calendar_year_save(
            actor=request_actor(request),
            year=year,
            days=days,
            notice=serializer.validated_data.get("notice", ""),
        )
        self.kwargs["year"] = str(holiday_year.year)
        instance = HolidayYear.objects.get(pk=holiday_year.pk)
        data = HolidayYearSerializer(instance).data
        data["days"] = CalendarDaySerializer(
            CalendarDay.objects.filter(date__year=year).order_by("date"), many=True
        ).data
        return Response(data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        year = request.data.get("year") if isinstance(request.data, dict) else None
        try:
            value = int(str(year))
        except (TypeError, ValueError):
            raise serializers.ValidationError({"year": [_("请填写年份。")]}) from None
        return self._save(request, value)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.get_object()  # 404 for a year that does not exist or is out of reach
        return self._save(request, int(kwargs["year"]))


ROUTES = [
    ("calendar-days", CalendarDayViewSet, "calendar-day"),
    ("calendar-years", HolidayYearViewSet, "calendar-year"),
]
