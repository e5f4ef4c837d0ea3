"""Directory records beyond the personas: sessions, bodies, plans, delegations per township;
one group, grid, standing committee link and expert (with an assignment and a contribution)
per township, each reaching the township's deputy or stations (ORG-8..10, ORG-12)."""

import datetime
from dataclasses import dataclass

import pytest

from lianxin.directory.models import (
    Body,
    BodyMembership,
    Checklist,
    ChecklistItem,
    CommitteeLink,
    Delegation,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
    Inspection,
    InspectionScore,
    Mandate,
    Session,
    StationMembership,
    StationStaff,
    UnitContact,
    WorkPlan,
)
from tests.factories import PersonFactory, Township


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
    group: DeputyGroup
    group_member: GroupMembership
    grid: Grid
    grid_member: GridMember
    link: CommitteeLink
    expert: Expert
    expert_assignment: ExpertAssignment
    contribution: ExpertContribution


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
    tag = t.office.username.split("_")[0]
    # ORG-8: the township's area group meets at its station; its deputy leads it.
    group = DeputyGroup.objects.create(
        name=f"{t.region.name}区域代表小组",
        kind=DeputyGroup.Kind.AREA,
        region=t.region,
        congress=t.congress,
        station=t.station,
    )
    group_member = GroupMembership.objects.create(
        group=group, person=t.deputy, position=GroupMembership.Position.LEADER
    )
    # ORG-9: a grid of the village, served by the contact room; the deputy is its 联系代表.
    grid = Grid.objects.create(
        name=f"{t.village.name}第一网格", region=t.village, station=t.room, households=120
    )
    grid_member = GridMember.objects.create(grid=grid, person=t.deputy, role=GridMember.Role.DEPUTY)
    # ORG-10: a standing committee member linking the township's deputy.
    committee = Body.objects.create(
        congress=t.congress, kind=Body.Kind.STANDING_COMMITTEE, name="人大常委会"
    )
    member = PersonFactory(name=f"{tag}常委", region=t.region)
    BodyMembership.objects.create(
        body=committee, person=member, position="委员", starts_on=datetime.date(2021, 10, 1)
    )
    link = CommitteeLink.objects.create(congress=t.congress, member=member, deputy=t.deputy)
    # ORG-12: a lawyer of the township's pool, assigned to the contact room.
    expert = Expert.objects.create(
        person=PersonFactory(name=f"{tag}律师", region=t.region),
        region=t.region,
        field=Expert.Field.LAW,
        organisation=f"{t.region.name}律师事务所",
    )
    assignment = ExpertAssignment.objects.create(expert=expert, station=t.room)
    contribution = ExpertContribution.objects.create(
        expert=expert,
        station=t.room,
        kind=ExpertContribution.Kind.CONSULTATION,
        happened_on=datetime.date(2026, 1, 5),
        summary="解答土地承包咨询",
        people_served=3,
    )
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
        group=group,
        group_member=group_member,
        grid=grid,
        grid_member=grid_member,
        link=link,
        expert=expert,
        expert_assignment=assignment,
        contribution=contribution,
    )


@pytest.fixture
def extras(world):
    return {"a": make_extras(world.a), "b": make_extras(world.b)}
