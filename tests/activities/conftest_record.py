"""Builders of the record tests (PERF-1): one of every kind of entry for a person, made
directly on the models (the services of activities and voters are other areas')."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from lianxin.activities.models import (
    Activity,
    ActivityKind,
    Assignment,
    CommitteeContact,
    ContactMethod,
    FixedVoter,
    GoodDeed,
    Participant,
    VoterContact,
    VoterReport,
)
from lianxin.cases import services
from lianxin.directory.models import CommitteeLink, Person
from tests.activities.conftest_attend import roster, shift
from tests.cases.conftest import file, who
from tests.factories import PersonFactory, Township

BEIJING = ZoneInfo("Asia/Shanghai")
VOTER_NAME = "钱多多"
VOTER_PHONE = "13912345678"
CITIZEN_NAME = "张三"
CITIZEN_PHONE = "13812345678"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def activity(t: Township, person: Person, day: dt.date, **fields: object) -> Activity:
    act = Activity.objects.create(
        kind=fields.pop("kind", ActivityKind.INSPECTION),
        title=fields.pop("title", "视察农村道路建设"),
        region=t.region,
        station=t.station,
        place="村委会",
        starts_at=at(day),
        ends_at=at(day, 11),
        status=fields.pop("status", Activity.Status.HELD),
        **fields,
    )
    Participant.objects.create(
        activity=act,
        person=person,
        attendance=Participant.Attendance.PRESENT,
        signed_in_at=at(day),
        method=Participant.Method.ORGANISER,
    )
    return act


def everything(t: Township, day: dt.date) -> None:
    """One entry of each kind for the township's deputy on ``day`` (the clock set to it)."""
    with time_machine.travel(at(day, 10), tick=False):
        _everything(t, day)


def _everything(t: Township, day: dt.date) -> None:
    deputy = t.deputy
    # cases: filed to him, and his 定单
    receipt = file(t, name=CITIZEN_NAME, phone=CITIZEN_PHONE, received_at=at(day))
    services.confirm(who=who(t.deputy_user), case=receipt.case)
    # duty: served
    r = roster(t.station, start=day, end=day)
    s = shift(r, day)
    Assignment.objects.create(
        shift=s,
        person=deputy,
        role="deputy",
        status=Assignment.Status.PRESENT,
        checked_in_at=at(day),
        method=Assignment.Method.STAFF,
    )
    activity(t, deputy, day)
    voter = FixedVoter.objects.create(
        deputy=deputy,
        year=day.year,
        region=t.village,
        name=VOTER_NAME,
        phone=VOTER_PHONE,
        address="一村三组",
    )
    VoterContact.objects.create(
        deputy=deputy,
        voter=voter,
        contacted_on=day,
        method=ContactMethod.VISIT,
        content=f"走访{VOTER_NAME}，电话{VOTER_PHONE}",
        opinions="希望修路",
    )
    VoterReport.objects.create(
        deputy=deputy,
        held_on=day,
        place="村委会",
        report="述职",
        voters_present=30,
        satisfied=25,
        basically=4,
        dissatisfied=1,
    )
    GoodDeed.objects.create(
        deputy=deputy,
        done_on=day,
        region=t.village,
        title="修通村口便民桥",
        description="筹资修桥",
    )
    member = PersonFactory(name=f"{t.region.name}常委", region=t.region)
    link = CommitteeLink.objects.create(congress=t.congress, member=member, deputy=deputy)
    CommitteeContact.objects.create(
        link=link, contacted_on=day, method=ContactMethod.PHONE, content="了解履职情况"
    )
