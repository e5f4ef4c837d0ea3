"""Duty set-up for the personas of ``world`` (tests/factories.py): township a's station with a
weekly pattern, a pool of three deputies, and a published roster (DUTY-1, DUTY-2).

Imported by the set-up tests (test_setup, test_swaps, test_reminders, test_mobile_duty,
test_duty_api); not a conftest, so that the three duty areas' fixtures never clash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.test import Client

from lianxin.accounts.models import Role, User
from lianxin.accounts.permissions import Actor, actor_for
from lianxin.activities.models import (
    Assignment,
    DutyPattern,
    PoolMember,
    Requirement,
    Roster,
    Shift,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.directory.models import Delegation, Person, StationMembership
from tests.factories import MandateFactory, PersonFactory, Township, UserFactory, assign

# Monday 2026-09-28, 08:00 Beijing: Wednesday 30 September is a working day, 1–7 October
# the National Day holiday, Saturday 10 October a 调休 working day (the shipped calendar).
NOW = dt.datetime(2026, 9, 28, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TODAY = NOW.date()


def actor(user: User, role: str | None = None) -> Actor:
    if role is None:
        return actor_for(user)
    return actor_for(user, user.assignments.get(role=role).pk)


def client(world, user: User, role: str | None = None) -> Client:
    return world.client_for(user, role)


def make_deputy(t: Township, name: str, username: str, delegation: Delegation | None = None):
    """A serving deputy of the township with an account, sitting in its station."""
    user = UserFactory(username=username)
    person = PersonFactory(name=name, region=t.region, account=user)
    MandateFactory(person=person, term=t.term, delegation=delegation)
    StationMembership.objects.create(station=t.station, person=person)
    assign(user, Role.DEPUTY)
    return person, user


@dataclass
class Duty:
    t: Township
    pattern: DutyPattern
    roster: Roster
    delegation: Delegation
    people: list[Person] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    members: list[PoolMember] = field(default_factory=list)

    @property
    def station(self):
        return self.t.station

    def shift(
        self,
        day: dt.date,
        *people: Person,
        roster: Roster | None = None,
        starts: dt.time = dt.time(9, 0),
    ) -> Shift:
        roster = roster or self.roster
        shift = Shift.objects.create(
            roster=roster,
            station=roster.station,
            date=day,
            starts_at=starts,
            ends_at=dt.time(12, 0),
            needs={"deputy": 2},
        )
        for person in people:
            Assignment.objects.create(shift=shift, person=person, role=DutyRole.DEPUTY)
        return shift

    def assignment(self, shift: Shift, person: Person) -> Assignment:
        return Assignment.objects.get(shift=shift, person=person)


def make_duty(t: Township, tag: str = "a") -> Duty:
    """Township ``t``'s station: 代表周三见 with 2 deputies, three deputies in its pool (the
    township's own deputy and two more), and a published roster for October 2026."""
    delegation = Delegation.objects.create(term=t.term, name=f"{t.region.name}代表团")
    second, second_user = make_deputy(t, f"{tag}李二", f"{tag}_li", delegation)
    third, third_user = make_deputy(t, f"{tag}王三", f"{tag}_wang", delegation)
    pattern = DutyPattern.objects.create(
        station=t.station,
        name="代表周三见",
        kind=DutyPattern.Kind.WEEKLY,
        weekdays=[2],
        valid_from=dt.date(2026, 1, 1),
    )
    Requirement.objects.create(pattern=pattern, role=DutyRole.DEPUTY, count=2)
    roster = Roster.objects.create(
        station=t.station,
        pattern=pattern,
        name="2026年10月",
        starts_on=dt.date(2026, 9, 28),
        ends_on=dt.date(2026, 10, 31),
        status=Roster.Status.PUBLISHED,
    )
    people = [t.deputy, second, third]
    members = [
        PoolMember.objects.create(station=t.station, person=p, role=DutyRole.DEPUTY) for p in people
    ]
    return Duty(
        t=t,
        pattern=pattern,
        roster=roster,
        delegation=delegation,
        people=people,
        users=[t.deputy_user, second_user, third_user],
        members=members,
    )
