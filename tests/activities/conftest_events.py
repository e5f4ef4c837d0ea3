"""Helpers of the activity tests (ACT-1..3, PERF-3)."""

from __future__ import annotations

import datetime as dt

from lianxin.activities.models import Activity, ActivityKind
from lianxin.directory.models import DeputyGroup, GroupMembership
from lianxin.holidays.deadlines import BEIJING


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def activity(t, day: dt.date, **extra) -> Activity:
    fields = {
        "kind": ActivityKind.STOOL_FORUM,
        "title": "小板凳议事",
        "region": t.region,
        "station": t.station,
        "place": "村委会院内",
        "starts_at": at(day, 9),
        "ends_at": at(day, 11),
    }
    fields.update(extra)
    return Activity.objects.create(**fields)


def group(t) -> DeputyGroup:
    g = DeputyGroup.objects.create(
        name=f"{t.region.name}区域代表小组",
        kind=DeputyGroup.Kind.AREA,
        region=t.region,
        congress=t.congress,
        station=t.station,
    )
    GroupMembership.objects.create(
        group=g, person=t.deputy, position=GroupMembership.Position.LEADER
    )
    return g
