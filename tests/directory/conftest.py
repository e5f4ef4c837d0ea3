"""Directory records beyond the personas: sessions, bodies, plans, delegations per township."""

import datetime
from dataclasses import dataclass

import pytest

from lianxin.directory.models import (
    Body,
    BodyMembership,
    Checklist,
    ChecklistItem,
    Delegation,
    Inspection,
    InspectionScore,
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
    checklist: Checklist  # ORG-6: the township's station standard
    item: ChecklistItem  # used by the inspection below (so it cannot be deleted)
    inspection: Inspection  # of the contact room, 8 of 15 points


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
    checklist = Checklist.objects.create(name="阵地标准", region=t.region, pass_score=60)
    item = ChecklistItem.objects.create(
        checklist=checklist, order=1, title="有标识", requirement="门口挂牌", max_score=15
    )
    inspection = Inspection.objects.create(
        station=t.room,
        checklist=checklist,
        inspected_on=datetime.date(2025, 5, 6),
        inspectors="检查组",
        score=8,
        max_score=15,
    )
    InspectionScore.objects.create(inspection=inspection, item=item, score=8, max_score=15)
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
        checklist=checklist,
        item=item,
        inspection=inspection,
    )


@pytest.fixture
def extras(world):
    return {"a": make_extras(world.a), "b": make_extras(world.b)}
