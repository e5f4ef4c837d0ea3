"""Directory records beyond the personas: sessions, bodies, plans, delegations per township."""

import datetime
from dataclasses import dataclass

import pytest

from lianxin.directory.models import (
    Body,
    BodyMembership,
    Delegation,
    Mandate,
    Session,
    StationMembership,
    StationStaff,
    UnitContact,
    WorkPlan,
)
from tests.factories import Township


@dataclass
class Extras:
    session: Session
    body: Body
    seat: BodyMembership
    plan: WorkPlan
    delegation: Delegation
    mandate: Mandate
    staff: StationStaff
    membership: StationMembership
    contact: UnitContact


def make_extras(t: Township) -> Extras:
    session = Session.objects.create(
        term=t.term,
        number=1,
        starts_on=datetime.date(2022, 1, 10),
        ends_on=datetime.date(2022, 1, 12),
        place="镇政府会议室",
    )
    body = Body.objects.create(congress=t.congress, kind=Body.Kind.PRESIDIUM, name="主席团")
    seat = BodyMembership.objects.create(
        body=body, person=t.deputy, position="成员", starts_on=datetime.date(2021, 10, 1)
    )
    plan = WorkPlan.objects.create(
        congress=t.congress, year=2026, title=f"{t.region.name}2026年代表工作计划", content="内容"
    )
    delegation = Delegation.objects.create(term=t.term, name=f"{t.region.name}第一选区")
    return Extras(
        session=session,
        body=body,
        seat=seat,
        plan=plan,
        delegation=delegation,
        mandate=t.deputy.mandates.get(),
        staff=t.station.staff.get(),
        membership=t.room.memberships.get(),
        contact=t.unit.contacts.get(),
    )


@pytest.fixture
def extras(world):
    return {"a": make_extras(world.a), "b": make_extras(world.b)}
