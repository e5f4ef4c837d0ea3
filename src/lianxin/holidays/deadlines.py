"""The one deadline calculator (CASE-4), counting periods the way the Civil Code does.

- 民法典 §201: the day on which a period starts is not counted; counting begins the next day.
- 民法典 §202: a period in months ends on the corresponding day of the last month; when that
  month has no such day (31 January + 1 month), on the last day of that month.
- 民法典 §203: when the last day of a period is a rest day or statutory holiday, the period
  ends on the next working day; the last day ends at 24:00.
- Working days follow the official calendar with 调休: a holiday is a rest day even on a
  weekday, a 调休 working day is a working day even on a weekend.

A year without calendar data counts only weekends as rest days, and the result says so
(``missing_years`` and ``warning``) so that the office can be warned.

Year lookups are cached: one query per year into the shared Django cache (invalidated by the
holidays services when a year changes), memoised again for the length of one computation.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils.translation import gettext as _

from lianxin.holidays.models import CalendarDay, HolidayYear

BEIJING = ZoneInfo("Asia/Shanghai")
CACHE_SECONDS = 24 * 3600


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"  # 日（自然日）
    WORKING_DAYS = "working_days"  # 工作日
    MONTHS = "months"  # 月


@dataclass(frozen=True)
class YearDays:
    """The special days of one year; ``known`` is False when the year has no data."""

    year: int
    known: bool
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


def _cache_key(year: int) -> str:
    return f"lianxin:holidays:year:{year}"


def load_year(year: int) -> YearDays:
    """The special days of ``year`` from the shared cache, or from the table."""
    cached = cache.get(_cache_key(year))
    if isinstance(cached, YearDays):
        return cached
    rows = list(
        CalendarDay.objects.filter(
            date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
        ).values_list("date", "kind")
    )
    known = HolidayYear.objects.filter(year=year).exists()
    days = YearDays(
        year=year,
        known=known,
        holidays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY),
        workdays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.WORKDAY),
    )
    cache.set(_cache_key(year), days, CACHE_SECONDS)
    return days


def forget_year(year: int) -> None:
    """Drops the cached days of ``year``; the holidays services call it on every change."""
    cache.delete(_cache_key(year))


@dataclass
class WorkCalendar:
    """The official calendar for one computation: each year is looked up at most once."""

    _years: dict[int, YearDays] = field(default_factory=dict)
    missing: set[int] = field(default_factory=set)

    def year(self, year: int) -> YearDays:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = load_year(year)
        if not days.known:
            self.missing.add(year)
        return days

    def is_working_day(self, day: dt.date) -> bool:
        days = self.year(day.year)
        if day in days.workdays:
            return True
        if day in days.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


@dataclass(frozen=True)
class Deadline:
    """The result of counting a period."""

    start: dt.date
    amount: int
    unit: Unit
    due_date: dt.date  # the last day of the period
    ends_at: dt.datetime  # aware: 24:00 Beijing time of ``due_date``
    nominal_date: dt.date  # the last day before §203 moved it
    missing_years: tuple[int, ...] = ()

    @property
    def moved(self) -> bool:
        """True when the last day fell on a rest day and moved to the next working day."""
        return self.due_date != self.nominal_date

    @property
    def warning(self) -> str:
        if not self.missing_years:
            return ""
        years = "、".join(str(y) for y in self.missing_years)
        return _(
            "%(years)s年的节假日安排尚未录入，期限暂按周六、周日休息计算，请系统管理员尽快录入。"
        ) % {"years": years}


def beijing_date(moment: dt.datetime | dt.date) -> dt.date:
    """The Beijing calendar date of a moment (an aware datetime) or a date."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime or a date")
        return moment.astimezone(BEIJING).date()
    return moment


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 Beijing time of ``day`` (the first instant of the next day)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=BEIJING)


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later, or that month's last day (§202)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = pycalendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def is_working_day(day: dt.date, *, work_calendar: WorkCalendar | None = None) -> bool:
    """Whether ``day`` is a working day on the official calendar (weekends only if unknown)."""
    return (work_calendar or WorkCalendar()).is_working_day(day)


def add_days(
    start: dt.date | dt.datetime,
    n: int,
    unit: Unit | str = Unit.CALENDAR_DAYS,
    *,
    work_calendar: WorkCalendar | None = None,
) -> Deadline:
    """The period of ``n`` units starting on ``start`` (a date, or an aware moment).

    ``start`` itself is not counted (§201). Calendar-day and month periods whose last day is a
    rest day end on the next working day (§203); a working-day period always ends on a
    working day.
    """
    unit = Unit(unit)
    if n < 0:
        raise ValueError("a period cannot be negative")
    cal = work_calendar or WorkCalendar()
    first = beijing_date(start)
    if unit == Unit.WORKING_DAYS:
        day, counted = first, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if cal.is_working_day(day):
                counted += 1
        nominal = due = day
    else:
        nominal = (
            first + dt.timedelta(days=n) if unit == Unit.CALENDAR_DAYS else add_months(first, n)
        )
        due = cal.next_working_day(nominal)
    return Deadline(
        start=first,
        amount=n,
        unit=unit,
        due_date=due,
        ends_at=end_of_day(due),
        nominal_date=nominal,
        missing_years=tuple(sorted(cal.missing)),
    )
