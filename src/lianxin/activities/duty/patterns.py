"""Expanding a duty pattern into the days of its shifts (DUTY-1).

A pattern says when a station is on duty: every Wednesday (代表周三见), every working day (a
service hall's supervision station, "零断档"), market days by the solar calendar (逢六 = the
6th, 16th and 26th) or by the lunar calendar (through ``lunardate``), or named dates.

The official calendar decides two things:

- *working days* (``WORKDAYS``) follow the holiday table with 调休: a holiday on a weekday is
  no working day, and a makeup working Saturday or Sunday (调休上班) is one;
- with ``skip_holidays`` the other kinds drop every day the table marks as a holiday (放假,
  including the weekend days inside a holiday and the weekdays given as 调休 rest days).

Lunar market days: a lunar month has 29 or 30 days, so a 逢三十 market simply does not happen
in a short month (it is not moved); a leap month (闰月) is a month of its own with its own
market days.

The expansion works on plain values (``PatternSpec`` and a ``DayCalendar``) so that the
benchmark and the solver's tests can run without a database; ``official_days`` reads the
holiday table for the pages and services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from lunardate import LunarDate

WEEKLY, WORKDAYS, SOLAR, LUNAR, DATES = "weekly", "workdays", "solar", "lunar", "dates"
KINDS = (WEEKLY, WORKDAYS, SOLAR, LUNAR, DATES)
MAX_PERIOD_DAYS = 366
# lunardate knows these lunar years; a period outside them has no lunar market days.
LUNAR_YEARS = (1900, 2099)


class DayCalendar(Protocol):
    """What the expansion needs to know about a day."""

    def is_working_day(self, day: dt.date) -> bool: ...

    def is_holiday(self, day: dt.date) -> bool: ...


@dataclass(frozen=True)
class OfficialDays:
    """The special days of some years, in memory: holidays (放假) and makeup working days
    (调休上班). A year not listed in ``known_years`` counts only weekends as rest days."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    missing_years: tuple[int, ...] = ()

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.holidays

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def official_days(start: dt.date, end: dt.date) -> OfficialDays:
    """The holiday table's days for the years of ``start``..``end`` (one cached lookup a year,
    through the one calendar of ``holidays.deadlines``)."""
    from lianxin.holidays.deadlines import WorkCalendar

    calendar = WorkCalendar()
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for year in range(start.year, end.year + 1):
        days = calendar.year(year)
        holidays |= days.holidays
        workdays |= days.workdays
    return OfficialDays(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        missing_years=tuple(sorted(calendar.missing)),
    )


@dataclass(frozen=True)
class PatternSpec:
    """A duty pattern as plain values (the model ``DutyPattern`` converts with ``of``)."""

    kind: str
    weekdays: tuple[int, ...] = ()  # Monday = 0
    month_days: tuple[int, ...] = ()  # 逢六 = (6, 16, 26)
    dates: tuple[dt.date, ...] = ()
    skip_holidays: bool = True
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown pattern kind {self.kind!r}")

    @classmethod
    def of(cls, pattern: Any) -> PatternSpec:
        """The spec of a ``DutyPattern`` (or anything with the same attributes)."""
        return cls(
            kind=str(pattern.kind),
            weekdays=tuple(int(d) for d in pattern.weekdays or ()),
            month_days=tuple(int(d) for d in pattern.month_days or ()),
            dates=tuple(_as_date(d) for d in pattern.dates or ()),
            skip_holidays=bool(pattern.skip_holidays),
            valid_from=pattern.valid_from,
            valid_until=pattern.valid_until,
        )


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def days_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def lunar_day(day: dt.date) -> tuple[int, int, int, bool] | None:
    """(lunar year, month, day, is leap month) of a solar date, or None outside lunardate's
    range."""
    if not LUNAR_YEARS[0] < day.year < LUNAR_YEARS[1]:
        return None
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    return lunar.year, lunar.month, lunar.day, lunar.is_leap_month


def _candidates(
    spec: PatternSpec, days: Iterable[dt.date], calendar: DayCalendar
) -> Iterator[dt.date]:
    if spec.kind == WEEKLY:
        weekdays = set(spec.weekdays)
        yield from (d for d in days if d.weekday() in weekdays)
    elif spec.kind == WORKDAYS:
        yield from (d for d in days if calendar.is_working_day(d))
    elif spec.kind == SOLAR:
        month_days = set(spec.month_days)
        yield from (d for d in days if d.day in month_days)
    elif spec.kind == LUNAR:
        month_days = set(spec.month_days)
        for d in days:
            lunar = lunar_day(d)
            if lunar is not None and lunar[2] in month_days:
                yield d
    else:
        named = set(spec.dates)
        yield from (d for d in days if d in named)


def expand(
    spec: PatternSpec, start: dt.date, end: dt.date, calendar: DayCalendar | None = None
) -> list[dt.date]:
    """The days of ``start``..``end`` (inclusive) on which the pattern has a shift, in order.

    The pattern's own validity narrows the period. ``calendar`` defaults to the holiday table.
    """
    if end < start:
        return []
    if spec.valid_from and spec.valid_from > start:
        start = spec.valid_from
    if spec.valid_until and spec.valid_until < end:
        end = spec.valid_until
    if end < start:
        return []
    if calendar is None:
        calendar = official_days(start, end)
    found = _candidates(spec, days_between(start, end), calendar)
    # Working days already exclude every holiday; named dates are kept as named (the staff
    # chose them); weekly and market-day patterns drop holidays when asked.
    if spec.skip_holidays and spec.kind not in (WORKDAYS, DATES):
        found = (d for d in found if not calendar.is_holiday(d))
    return list(found)


@dataclass
class Expansion:
    """The days of a pattern over a period, and the years whose holidays are not entered yet
    (their holidays could not be skipped: the office is told)."""

    days: list[dt.date] = field(default_factory=list)
    missing_years: tuple[int, ...] = ()


def expand_with_calendar(spec: PatternSpec, start: dt.date, end: dt.date) -> Expansion:
    """``expand`` over the holiday table, saying which years have no holiday data."""
    calendar = official_days(start, end)
    return Expansion(days=expand(spec, start, end, calendar), missing_years=calendar.missing_years)
