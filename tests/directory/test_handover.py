"""Handover (CASE-12): a mandate that ends ends what the deputy sat in; a former deputy's QR
page leads to his station; a staff member leaving has his responsibilities listed, his posts
ended in one step, and the posts show as vacant."""

import datetime

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.audit.models import AuditEntry
from lianxin.directory import handover, services
from lianxin.directory.models import (
    Body,
    BodyMembership,
    CommitteeLink,
    Congress,
    DeputyGroup,
    Grid,
    GridMember,
    GroupMembership,
    Mandate,
    Person,
    StationMembership,
    StationStaff,
)
from tests.factories import CongressFactory, MandateFactory, StationFactory, TermFactory

OLD, END = datetime.date(2022, 1, 1), datetime.date(2026, 2, 1)


def _office(world):
    return actor_for(world.a.office, world.a.office.assignments.get().pk)


@pytest.fixture
def seated(world):
    """Township a's deputy sits in a group, a grid, and is linked by a committee member."""
    t = world.a
    StationMembership.objects.update(starts_on=OLD)
    StationStaff.objects.update(starts_on=OLD)
    group = DeputyGroup.objects.create(
        name="甲镇第一小组", kind=DeputyGroup.Kind.AREA, region=t.region, congress=t.congress
    )
    in_group = GroupMembership.objects.create(group=group, person=t.deputy, starts_on=OLD)
    grid = Grid.objects.create(name="甲镇一网格", region=t.region, station=t.station)
    in_grid = GridMember.objects.create(
        grid=grid, person=t.deputy, role=GridMember.Role.DEPUTY, starts_on=OLD
    )
    member = Person.objects.get(name="a站长")
    body = Body.objects.create(congress=t.congress, kind=Body.Kind.PRESIDIUM, name="主席团")
    BodyMembership.objects.create(
        body=body, person=member, position="成员", starts_on=datetime.date(2021, 10, 1)
    )
    link = CommitteeLink.objects.create(
        congress=t.congress, member=member, deputy=t.deputy, starts_on=OLD
    )
    return {
        "station": t.room.memberships.get(person=t.deputy),
        "group": in_group,
        "grid": in_grid,
        "link": link,
    }


# --- A mandate ends ---------------------------------------------------------------------------


def test_it_ends_every_seat_of_a_deputy_whose_last_mandate_ends(world, seated):
    mandate = world.a.deputy.mandates.get()
    services.mandate_end(
        actor=_office(world), mandate=mandate, ended_on=END, reason=Mandate.EndReason.MOVED
    )
    for row in seated.values():
        row.refresh_from_db()
        assert row.ends_on == END, row
    assert StationMembership.objects.filter(pk=seated["station"].pk).exists()  # never deleted
    entry = AuditEntry.objects.get(
        object_type="directory.stationmembership",
        object_id=str(seated["station"].pk),
        action=AuditEntry.Action.UPDATE,
    )
    assert entry.changes["ends_on"] == [None, END.isoformat()]
    assert entry.actor == world.a.office


def test_it_keeps_the_seats_of_a_deputy_who_still_serves_at_another_level(world, seated):
    county = CongressFactory(region=world.a.county, level=Congress.Level.COUNTY)
    MandateFactory(person=world.a.deputy, term=TermFactory(congress=county))
    township = world.a.deputy.mandates.get(term=world.a.term)
    services.mandate_end(
        actor=_office(world), mandate=township, ended_on=END, reason=Mandate.EndReason.RESIGNATION
    )
    for key in ("station", "grid", "link"):
        seated[key].refresh_from_db()
        assert seated[key].ends_on is None, key
    # The township's own group takes only township deputies (ORG-8): that seat ends.
    seated["group"].refresh_from_db()
    assert seated["group"].ends_on == END


def test_it_leads_a_former_deputy_qr_page_to_his_last_station(client, world, seated):
    mandate = world.a.deputy.mandates.get()
    services.mandate_end(
        actor=_office(world), mandate=mandate, ended_on=END, reason=Mandate.EndReason.MOVED
    )
    html = client.get(f"/p/d/{world.a.deputy.public_key}/").content.decode()
    assert "已不再担任代表职务" in html
    assert f"/p/s/{world.a.room.public_key}/opinion/" in html
    # The room closes: the page leads to the station above it.
    world.a.room.is_active = False
    world.a.room.save()
    html = client.get(f"/p/d/{world.a.deputy.public_key}/").content.decode()
    assert f"/p/s/{world.a.station.public_key}/opinion/" in html


def test_it_prefers_the_home_station_over_an_industry_station_for_a_former_deputy(client, world):
    t = world.a
    industry = StationFactory(region=t.region, name="甲镇产业站", kind="industry")
    StationMembership.objects.create(
        station=industry, person=t.deputy, kind=StationMembership.Kind.DUAL, starts_on=OLD
    )
    StationMembership.objects.update(starts_on=OLD)
    services.mandate_end(
        actor=_office(world),
        mandate=t.deputy.mandates.get(),
        ended_on=END,
        reason=Mandate.EndReason.MOVED,
    )
    html = client.get(f"/p/d/{t.deputy.public_key}/").content.decode()
    assert t.room.name in html and industry.name not in html


# --- A staff member leaves --------------------------------------------------------------------


@pytest.fixture
def head(world, seated):
    """a站长: head of township a's station, head of a grid, leader of a group (he serves as
    a deputy too), member linking a deputy."""
    t = world.a
    person = Person.objects.get(name="a站长")
    MandateFactory(person=person, term=t.term)
    grid = Grid.objects.create(name="甲镇二网格", region=t.region, station=t.station)
    GridMember.objects.create(grid=grid, person=person, role=GridMember.Role.HEAD, starts_on=OLD)
    GroupMembership.objects.create(
        group=seated["group"].group,
        person=person,
        position=GroupMembership.Position.LEADER,
        starts_on=OLD,
    )
    return person


def test_it_lists_what_a_leaving_staff_member_is_responsible_for(world, head):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.get(reverse("directory:person_handover", args=[head.pk]))
    assert response.status_code == 200
    kinds = {i.kind for i in response.context["items"]}
    assert {"联络站职务", "网格职务", "代表小组职务", "常委会组成人员联系代表", "账号角色"} <= kinds
    html = response.content.decode()
    post = StationStaff.objects.get(person=head)
    assert reverse("directory:stationstaff_edit", args=[post.pk]) in html
    assert "办理离任" in html and "案件" in html
    person_page = client.get(reverse("directory:person_detail", args=[head.pk])).content.decode()
    assert reverse("directory:person_handover", args=[head.pk]) in person_page


def test_it_shows_the_handover_page_only_to_the_office_in_reach(world, head):
    url = reverse("directory:person_handover", args=[head.pk])
    assert world.client_for(world.a.station_staff, Role.STATION).get(url).status_code == 404
    assert world.client_for(world.b.office, Role.OFFICE).get(url).status_code == 404


def test_it_ends_staff_posts_in_one_step_and_lists_them_as_vacant(world, head):
    client = world.client_for(world.a.office, Role.OFFICE)
    vacant = client.get(reverse("directory:vacancies")).context["rows"]
    assert world.a.station.name not in [v.name for v in vacant]
    response = client.post(
        reverse("directory:person_handover", args=[head.pk]), {"ended_on": END.isoformat()}
    )
    assert response.status_code == 302
    assert not StationStaff.objects.filter(person=head, ends_on__isnull=True).exists()
    assert not GridMember.objects.filter(person=head, ends_on__isnull=True).exists()
    leader = GroupMembership.objects.get(person=head, position=GroupMembership.Position.LEADER)
    assert leader.ends_on == END
    # Still a deputy: he stays in the group as a member.
    assert GroupMembership.objects.filter(
        person=head, position=GroupMembership.Position.MEMBER, ends_on__isnull=True
    ).exists()
    # His link as a standing committee member is listed for reassignment, not ended.
    assert CommitteeLink.objects.get(member=head).ends_on is None
    assert AuditEntry.objects.filter(
        object_type="directory.stationstaff", action="update", actor=world.a.office
    ).exists()
    vacant = client.get(reverse("directory:vacancies")).context["rows"]
    kinds = {(v.kind, v.name) for v in vacant}
    assert ("联络站缺站长", world.a.station.name) in kinds
    assert ("代表小组缺组长", "甲镇第一小组") in kinds
    assert ("网格缺网格长", "甲镇二网格") in kinds
    assert all("乙镇" not in v.name for v in vacant)


def test_it_refuses_the_handover_to_station_staff(world, head):
    actor = actor_for(world.a.station_staff, world.a.station_staff.assignments.get().pk)
    from lianxin.common.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.staff_leave(actor=actor, person=head, ended_on=END)
    assert StationStaff.objects.filter(person=head, ends_on__isnull=True).exists()


def test_it_lets_later_apps_add_responsibilities(world, head):
    def open_cases(actor, person):
        return [handover.Responsibility(kind="经办案件", title="案件 2026-0001", since=END)]

    handover.responsibility_source(open_cases)
    try:
        items = handover.responsibilities(_office(world), head)
        assert "案件 2026-0001" in [i.title for i in items]
    finally:
        handover._SOURCES.remove(open_cases)
