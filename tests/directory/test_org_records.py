"""Staff pages and API of the organisation records: station staffing and sittings (ORG-5,
ORG-7), deputy groups (ORG-8), grids (ORG-9), standing committee links (ORG-10) and the expert
pool (ORG-12)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.audit.models import AuditEntry
from lianxin.directory.models import (
    BodyMembership,
    CommitteeLink,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
    Station,
    StationMembership,
    StationStaff,
)
from tests.directory.test_api import api_for
from tests.factories import MandateFactory, PersonFactory, StationFactory

TODAY = timezone.localdate().isoformat()


def test_it_groups_a_stations_staff_and_shows_its_deputies_grids_groups_and_experts(world, extras):
    a = world.a
    industry = StationFactory(region=a.region, parent=a.station, kind=Station.Kind.INDUSTRY)
    host = PersonFactory(name="企业站长", region=a.region)
    StationStaff.objects.create(station=industry, person=a.station_staff.person, role="head")
    StationStaff.objects.create(station=industry, person=host, role="head", side="host")
    StationStaff.objects.create(station=industry, person=host, role="legal_adviser")
    client = world.client_for(a.office, Role.OFFICE)
    html = client.get(reverse("directory:station_detail", args=[industry.pk])).content.decode()
    for text in (
        "站长、副站长",
        "驻站单位（企业）方",
        "人大方",
        "法律顾问",
        "进站代表",
        "派驻专家",
    ):
        assert text in html, text
    assert "直报员、信息采集员" not in html  # only at legislative points
    room = client.get(reverse("directory:station_detail", args=[a.room.pk])).content.decode()
    assert extras["a"].grid.name in room
    assert "a律师" in room
    assert "属地进站" in room and "乡镇" in room  # the deputy's kind of sitting and level
    station = client.get(reverse("directory:station_detail", args=[a.station.pk])).content
    assert extras["a"].group.name in station.decode()


def test_it_edits_the_side_of_a_head_in_the_staff_form(world):
    a = world.a
    industry = StationFactory(region=a.region, parent=a.station, kind=Station.Kind.INDUSTRY)
    client = world.client_for(a.station_staff, Role.STATION)
    data = {"station": industry.pk, "person": a.deputy.pk, "role": "head", "starts_on": TODAY}
    assert (
        client.post(reverse("directory:stationstaff_create"), {**data, "side": "host"}).status_code
        == 302
    )
    assert industry.staff.get().side == "host"
    refused = client.post(
        reverse("directory:stationstaff_create"),
        {**data, "station": a.room.pk, "side": "host"},
    )
    assert refused.status_code == 200
    assert "双站长" in " ".join(refused.context["form"].errors["side"])


def test_it_lists_groups_with_filters_and_search(world, extras):
    a = world.a
    DeputyGroup.objects.create(
        name="冷链物流小组",
        kind=DeputyGroup.Kind.CHAIN,
        field="冷链物流",
        region=a.region,
        congress=a.congress,
        mixed_levels=True,
    )
    client = world.client_for(a.office, Role.OFFICE)
    url = reverse("directory:group_list")
    chain = client.get(url, {"kind": "chain"}).content.decode()
    assert "冷链物流小组" in chain and extras["a"].group.name not in chain
    mixed = client.get(url, {"mixed_levels": "false"}).content.decode()
    assert "冷链物流小组" not in mixed and extras["a"].group.name in mixed
    found = client.get(url, {"q": "冷链"}).content.decode()
    assert "冷链物流小组" in found and extras["a"].group.name not in found
    by_region = client.get(url, {"region": a.region.pk}).content.decode()
    assert "冷链物流小组" in by_region


def test_it_creates_a_group_and_shows_its_leader(world, extras):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.post(
        reverse("directory:group_create"),
        {
            "name": "财经预算小组",
            "kind": "profession",
            "congress": world.a.congress.pk,
            "region": world.a.region.pk,
            "field": "财经预算",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    refused = client.post(
        reverse("directory:group_create"),
        {"name": "无领域小组", "kind": "profession", "congress": world.a.congress.pk,
         "region": world.a.region.pk},
    )  # fmt: skip
    assert "请填写专业领域" in " ".join(refused.context["form"].errors["field"])
    detail = client.get(reverse("directory:group_detail", args=[extras["a"].group.pk]))
    html = detail.content.decode()
    assert "组长" in html and world.a.deputy.name in html


def test_it_records_every_change_in_the_audit_trail(world, extras):
    client = world.client_for(world.a.office, Role.OFFICE)
    client.post(reverse("directory:groupmember_end", args=[extras["a"].group_member.pk]))
    assert AuditEntry.objects.filter(
        object_type="directory.groupmembership", object_id=str(extras["a"].group_member.pk)
    ).exists()


def test_it_shows_the_grid_form_to_station_staff_with_their_stations_only(world, extras):
    client = world.client_for(world.a.station_staff, Role.STATION)
    form = client.get(reverse("directory:grid_create")).context["form"]
    assert set(form.fields["station"].queryset) == {world.a.station, world.a.room}
    response = client.post(
        reverse("directory:grid_create"),
        {"name": "一村第二网格", "region": world.a.village.pk, "station": world.a.room.pk,
         "households": "80", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    refused = client.post(
        reverse("directory:grid_create"),
        {"name": "镇级网格", "region": world.a.county.pk, "station": world.a.room.pk},
    )
    assert refused.status_code == 200


def test_it_never_shows_an_experts_phone(world, extras):
    expert = extras["a"].expert
    client = world.client_for(world.a.office, Role.OFFICE)
    for url in (
        reverse("directory:expert_detail", args=[expert.pk]),
        reverse("directory:expert_list"),
        reverse("directory:expert_edit", args=[expert.pk]),
        f"/api/v1/experts/{expert.pk}/",
    ):
        body = client.get(url).content.decode()
        assert expert.person.phone not in body, url
    detail = client.get(reverse("directory:expert_detail", args=[expert.pk])).content.decode()
    assert "解答土地承包咨询"[:10] in detail and world.a.room.name in detail


def test_it_filters_experts_by_field(world, extras):
    Expert.objects.create(
        person=PersonFactory(name="医生甲", region=world.a.region),
        region=world.a.region,
        field=Expert.Field.HEALTH,
    )
    client = world.client_for(world.a.office, Role.OFFICE)
    html = client.get(reverse("directory:expert_list"), {"field": "health"}).content.decode()
    assert "医生甲" in html and "a律师" not in html
    api = api_for(world, world.a.office, Role.OFFICE)
    rows = api.get("/api/v1/experts/", {"field": "law"}).json()["results"]
    assert [r["id"] for r in rows] == [extras["a"].expert.pk]
    assert "phone" not in rows[0]


def test_it_lets_station_staff_record_a_contribution_at_their_station_only(world, extras):
    expert = extras["a"].expert
    client = world.client_for(world.a.station_staff, Role.STATION)
    data = {"expert": expert.pk, "kind": "mediation", "happened_on": TODAY,
            "summary": "调解邻里纠纷", "people_served": "2"}  # fmt: skip
    ok = client.post(
        reverse("directory:expertcontribution_create"), {**data, "station": world.a.room.pk}
    )
    assert ok.status_code == 302
    assert ExpertContribution.objects.filter(summary="调解邻里纠纷", station=world.a.room).exists()
    outside = client.post(
        reverse("directory:expertcontribution_create"), {**data, "station": world.b.room.pk}
    )
    assert outside.status_code == 200
    assert ExpertContribution.objects.filter(summary="调解邻里纠纷").count() == 1
    # The pool itself is the office's.
    assert client.get(reverse("directory:expert_create")).status_code == 404


def test_it_assigns_an_expert_to_a_station_and_ends_it(world, extras):
    expert = extras["a"].expert
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.post(
        reverse("directory:expertassignment_create"),
        {"expert": expert.pk, "station": world.a.station.pk, "starts_on": TODAY},
    )
    assert response.status_code == 302
    assignment = ExpertAssignment.objects.get(expert=expert, station=world.a.station)
    end = client.post(reverse("directory:expertassignment_end", args=[assignment.pk]))
    assert end.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == timezone.localdate()


def test_it_shows_groups_grids_links_and_expert_entries_on_the_person_page(world, extras):
    client = world.client_for(world.a.office, Role.OFFICE)
    html = client.get(reverse("directory:person_detail", args=[world.a.deputy.pk])).content
    text = html.decode()
    for needle in (extras["a"].group.name, extras["a"].grid.name, "a常委", "联系代表"):
        assert needle in text, needle
    lawyer = client.get(reverse("directory:person_detail", args=[extras["a"].expert.person.pk]))
    assert "法律" in lawyer.content.decode()


def test_it_lists_and_ends_links(world, extras):
    link = extras["a"].link
    client = world.client_for(world.a.office, Role.OFFICE)
    html = client.get(reverse("directory:link_list")).content.decode()
    assert "a常委" in html
    assert reverse("directory:link_coverage", args=[world.a.congress.pk]) in html
    assert client.post(reverse("directory:link_end", args=[link.pk])).status_code == 302
    link.refresh_from_db()
    assert link.ends_on is not None
    assert client.post(reverse("directory:link_end", args=[link.pk])).status_code == 404


# --- Query counts: lists and detail pages cost the same whatever the number of rows ---------


def _grow(world, n: int) -> None:
    """n more groups, members, grids, links, experts, assignments, contributions in a."""
    a = world.a
    committee = a.congress.bodies.filter(kind="standing").first() or a.congress.bodies.create(
        kind="standing", name="人大常委会"
    )
    start = DeputyGroup.objects.count()
    for i in range(start, start + n):
        person = PersonFactory(region=a.region)
        MandateFactory(person=person, term=a.term)
        group = DeputyGroup.objects.create(
            name=f"小组{i}", kind="area", region=a.region, congress=a.congress, station=a.station
        )
        GroupMembership.objects.create(group=group, person=person)
        GroupMembership.objects.create(group=extra_group(world), person=person)
        grid = Grid.objects.create(name=f"网格{i}", region=a.village, station=a.room)
        GridMember.objects.create(grid=grid, person=person, role="deputy")
        GridMember.objects.create(grid=extra_grid(world), person=person, role="deputy")
        member = PersonFactory(region=a.region)
        BodyMembership.objects.create(
            body=committee, person=member, position="委员", starts_on=datetime.date(2021, 1, 1)
        )
        CommitteeLink.objects.create(congress=a.congress, member=member, deputy=person)
        expert = Expert.objects.create(person=member, region=a.region, field="law")
        ExpertAssignment.objects.create(expert=expert, station=a.room)
        ExpertContribution.objects.create(
            expert=expert, station=a.room, kind="lecture", happened_on=datetime.date(2026, 1, 1),
            summary="讲座",
        )  # fmt: skip
        StationMembership.objects.create(station=a.room, person=person)
        StationStaff.objects.create(station=a.room, person=member, role="liaison")


def extra_group(world) -> DeputyGroup:
    return DeputyGroup.objects.get(name=f"{world.a.region.name}区域代表小组")


def extra_grid(world) -> Grid:
    return Grid.objects.get(name=f"{world.a.village.name}第一网格")


ORG_PAGES = [
    "directory:group_list",
    "directory:groupmember_list",
    "directory:grid_list",
    "directory:gridmember_list",
    "directory:link_list",
    "directory:expert_list",
    "directory:expertassignment_list",
    "directory:expertcontribution_list",
]
ORG_APIS = [
    "deputy-groups",
    "group-memberships",
    "grids",
    "grid-members",
    "committee-links",
    "experts",
    "expert-assignments",
    "expert-contributions",
]


def _flat(world, extras, get, django_assert_max_num_queries) -> None:
    _grow(world, 2)
    get()  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert get().status_code == 200
    _grow(world, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert get().status_code == 200


@pytest.mark.parametrize("name", ORG_PAGES)
def test_it_keeps_org_list_page_queries_flat(world, extras, name, django_assert_max_num_queries):
    client = world.client_for(world.a.office, Role.OFFICE)
    _flat(world, extras, lambda: client.get(reverse(name)), django_assert_max_num_queries)


@pytest.mark.parametrize("prefix", ORG_APIS)
def test_it_keeps_org_api_list_queries_flat(world, extras, prefix, django_assert_max_num_queries):
    api = api_for(world, world.a.office, Role.OFFICE)
    _flat(world, extras, lambda: api.get(f"/api/v1/{prefix}/"), django_assert_max_num_queries)


@pytest.mark.parametrize(
    "page",
    [
        lambda w, x: reverse("directory:group_detail", args=[x["a"].group.pk]),
        lambda w, x: reverse("directory:grid_detail", args=[x["a"].grid.pk]),
        lambda w, x: reverse("directory:station_detail", args=[w.a.room.pk]),
        lambda w, x: reverse("directory:link_coverage", args=[w.a.congress.pk]),
        lambda w, x: reverse("directory:person_detail", args=[w.a.deputy.pk]),
    ],
    ids=["group", "grid", "station", "coverage", "person"],
)
def test_it_keeps_org_detail_page_queries_flat(world, extras, page, django_assert_max_num_queries):
    client = world.client_for(world.a.office, Role.OFFICE)
    url = page(world, extras)
    _flat(world, extras, lambda: client.get(url), django_assert_max_num_queries)
