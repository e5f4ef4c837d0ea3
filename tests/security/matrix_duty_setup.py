"""The permission matrix's duty records of one township (DUTY-1, DUTY-2; the set-up area):
a weekly pattern at the township's station, the township deputy in its pool, his leave, a
published roster with his shift, and his swap request (agreed by the station head, who is in
the pool too) — all far in the future, so that every step is still possible."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from lianxin.activities.models import (
    Assignment,
    DutyLeave,
    DutyPattern,
    PoolMember,
    Requirement,
    Roster,
    Shift,
    SwapRequest,
)
from lianxin.activities.models.duty import DutyRole

# Tables the matrix counts before and after each write.
TRACKED: list[type[models.Model]] = [
    DutyPattern,
    Requirement,
    PoolMember,
    DutyLeave,
    Roster,
    Shift,
    Assignment,
    SwapRequest,
]


def duty_setup_objects(t: Any) -> dict[type[models.Model], models.Model]:
    head = t.station_staff.person
    pattern = DutyPattern.objects.create(
        station=t.station,
        name="矩阵周三见",
        kind=DutyPattern.Kind.WEEKLY,
        weekdays=[2],
        valid_from=dt.date(2030, 1, 1),
    )
    Requirement.objects.create(pattern=pattern, role=DutyRole.DEPUTY, count=2)
    member = PoolMember.objects.create(station=t.station, person=t.deputy, role=DutyRole.DEPUTY)
    PoolMember.objects.create(station=t.station, person=head, role=DutyRole.DEPUTY)
    leave = DutyLeave.objects.create(
        person=t.deputy,
        station=t.station,
        starts_on=dt.date(2030, 1, 20),
        ends_on=dt.date(2030, 1, 21),
        reason="矩阵",
    )
    roster = Roster.objects.create(
        station=t.station,
        pattern=pattern,
        name="矩阵排班表",
        starts_on=dt.date(2030, 1, 1),
        ends_on=dt.date(2030, 1, 31),
        status=Roster.Status.PUBLISHED,
    )
    shift = Shift.objects.create(
        roster=roster,
        station=t.station,
        date=dt.date(2030, 1, 9),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(12, 0),
        needs={"deputy": 2},
    )
    later = Shift.objects.create(
        roster=roster,
        station=t.station,
        date=dt.date(2030, 1, 16),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(12, 0),
        needs={"deputy": 2},
    )
    assignment = Assignment.objects.create(shift=shift, person=t.deputy, role=DutyRole.DEPUTY)
    Assignment.objects.create(shift=later, person=head, role=DutyRole.DEPUTY)
    swap = SwapRequest.objects.create(
        assignment=assignment,
        requester=t.deputy,
        counterpart=head,
        reason="矩阵",
        status=SwapRequest.Status.AGREED,
    )
    return {
        DutyPattern: pattern,
        PoolMember: member,
        DutyLeave: leave,
        Roster: roster,
        Shift: shift,
        Assignment: assignment,
        SwapRequest: swap,
    }
