"""Shared builders of the attendance tests (DUTY-3, DUTY-4): a published roster at a station
with shifts and posts made directly (the solver is another area's)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from lianxin.activities.models import Assignment, DutyPattern, Requirement, Roster, Shift
from lianxin.activities.models.duty import DutyRole
from lianxin.directory.models import Person, Station

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware moment, Beijing time."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def roster(
    station: Station,
    *,
    start: dt.date,
    end: dt.date,
    status: str = Roster.Status.PUBLISHED,
    name: str = "代表周三见",
) -> Roster:
    pattern = DutyPattern.objects.create(
        station=station,
        name=name,
        kind=DutyPattern.Kind.WEEKLY,
        weekdays=[2],
        valid_from=start,
    )
    Requirement.objects.create(pattern=pattern, role=DutyRole.DEPUTY, count=2)
    return Roster.objects.create(
        station=station,
        pattern=pattern,
        name=f"{station.name}{name}",
        starts_on=start,
        ends_on=end,
        status=status,
    )


def shift(
    r: Roster,
    day: dt.date,
    *,
    start: dt.time = dt.time(9, 0),
    end: dt.time = dt.time(12, 0),
    needs: dict[str, int] | None = None,
) -> Shift:
    return Shift.objects.create(
        roster=r,
        station=r.station,
        date=day,
        starts_at=start,
        ends_at=end,
        needs=needs if needs is not None else {"deputy": 1},
    )


def post(
    s: Shift,
    person: Person,
    *,
    role: str = DutyRole.DEPUTY,
    unit=None,
    status: str = Assignment.Status.SCHEDULED,
    checked_in_at: dt.datetime | None = None,
) -> Assignment:
    return Assignment.objects.create(
        shift=s,
        person=person,
        role=role,
        unit=unit,
        status=status,
        checked_in_at=checked_in_at,
        method=Assignment.Method.SCREEN if checked_in_at else "",
    )
