"""Fixtures of the roster tests (DUTY-2): township a's station with a 代表周三见 pattern
(every Wednesday, 2 deputies), a pool of six deputies in three delegations, and an actor for
each persona. Imported by the roster tests (not a conftest.py, to keep the duty areas apart)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lianxin.accounts.permissions import Actor, actor_for
from lianxin.activities.models import DutyPattern, PoolMember, Requirement, Roster
from lianxin.activities.models.duty import DutyRole
from lianxin.directory.models import Delegation, Person
from tests.factories import PersonFactory, UserFactory


@dataclass
class Duty:
    world: Any
    pattern: DutyPattern
    members: list[PoolMember]
    persons: list[Person]

    def actor(self, persona: str, township: str = "a") -> Actor:
        t = getattr(self.world, township)
        user = {
            "office": t.office,
            "station": t.station_staff,
            "unit": t.unit_staff,
            "deputy": t.deputy_user,
            "leadership": t.leadership,
        }[persona]
        return actor_for(user)


def make_pattern(station: Any, *, name: str = "代表周三见", deputies: int = 2) -> DutyPattern:
    pattern = DutyPattern.objects.create(
        station=station,
        name=name,
        kind=DutyPattern.Kind.WEEKLY,
        weekdays=[2],
        valid_from=dt.date(2026, 1, 1),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(11, 30),
    )
    Requirement.objects.create(pattern=pattern, role=DutyRole.DEPUTY, count=deputies)
    return pattern


def make_pool(t: Any, n: int = 6) -> tuple[list[PoolMember], list[Person]]:
    delegations = [
        Delegation.objects.create(term=t.term, name=f"{t.region.name}第{k}代表团")
        for k in (1, 2, 3)
    ]
    persons, members = [], []
    for k in range(n):
        account = UserFactory(username=f"{t.region.name}-duty-{k}")
        person = PersonFactory(name=f"值班代表{k}", region=t.region, account=account)
        persons.append(person)
        members.append(
            PoolMember.objects.create(
                station=t.station,
                person=person,
                role=DutyRole.DEPUTY,
                delegation=delegations[k % 3],
            )
        )
    return members, persons


@pytest.fixture
def duty(world) -> Duty:
    members, persons = make_pool(world.a)
    return Duty(
        world=world, pattern=make_pattern(world.a.station), members=members, persons=persons
    )


def make_roster(duty: Duty, *, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), **kw) -> Roster:
    from lianxin.activities.duty import planning

    return planning.roster_create(
        actor=duty.actor("station"),
        pattern=duty.pattern,
        name=kw.pop("name", "2026年3月代表周三见"),
        starts_on=start,
        ends_on=end,
        **kw,
    )
