"""Reads of the holiday calendar shared by pages, the API and other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from lianxin.holidays.models import CalendarDay, HolidayYear
from lianxin.holidays.notice import DaySpec


def missing_years(today: dt.date | None = None) -> list[int]:
    """The current and next year, those of them without calendar data (CASE-4 warning)."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    known = set(HolidayYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in known]


@dataclass(frozen=True)
class YearRow:
    year: HolidayYear
    holidays: int
    workdays: int


def year_rows() -> list[YearRow]:
    """Every year with its counts of holidays and 调休 working days (two queries)."""
    counts: dict[int, tuple[int, int]] = {}
    for row in (
        CalendarDay.objects.values("date__year")
        .annotate(
            holidays=Count("pk", filter=Q(kind=CalendarDay.Kind.HOLIDAY)),
            workdays=Count("pk", filter=Q(kind=CalendarDay.Kind.WORKDAY)),
        )
        .order_by()
    ):
        counts[row["date__year"]] = (row["holidays"], row["workdays"])
    return [
        YearRow(
            year=y,
            holidays=counts.get(y.year, (0, 0))[0],
            workdays=counts.get(y.year, (0, 0))[1],
        )
        for y in HolidayYear.objects.select_related("entered_by").order_by("-year")
    ]


def year_specs(year: int) -> list[DaySpec]:
    return [
        DaySpec(d, kind, name)
        for d, kind, name in CalendarDay.objects.filter(date__year=year)
        .order_by("date")
        .values_list("date", "kind", "name")
    ]
