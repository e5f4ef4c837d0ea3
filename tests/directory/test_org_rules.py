"""The membership rules of the organisation records, through the real pages and the API:
双进站 (ORG-7), mixed-level groups and one leader (ORG-8), grids across townships and one head
(ORG-9), a deputy's reach (SPEC section 0) and the standing committee coverage (ORG-10)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import Role, User
from lianxin.directory.models import (
    Body,
    BodyMembership,
    CommitteeLink,
    Congress,
    DeputyGroup,
    Grid,
    GridMember,
    GroupMembership,
    Person,
    Station,
    StationMembership,
)
from lianxin.regions.models import Region
from tests.directory.test_api import api_for
from tests.factories import (
    CongressFactory,
    MandateFactory,
    PersonFactory,
    RegionFactory,
    StationFactory,
    TermFactory,
    UserFactory,
    assign,
)

TODAY = timezone.localdate().isoformat()


@dataclass
class County:
    """Township a's county with a second township (甲二镇) and its industry station."""

    office: User
    township: Region
    industry: Station
    industry_staff: User
    grid: Grid
    township_office: User


@pytest.fixture
def county(world) -> County:
    a = world.a
    township = RegionFactory(parent=a.county, name="甲二镇", level=Region.Level.TOWNSHIP)
    industry = StationFactory(
        region=township, name="甲二镇食品产业代表联络站", kind=Station.Kind.INDUSTRY
    )
    office = UserFactory(username="county_office")
    assign(office, Role.OFFICE, region=a.county)
    township_office = UserFactory(username="a2_office")
    assign(township_office, Role.OFFICE, region=township)
    staff = UserFactory(username="a2_station")
    assign(staff, Role.STATION, station=industry)
    grid = Grid.objects.create(name="甲二镇园区网格", region=township, station=industry)
    return County(office, township, industry, staff, grid, township_office)


def _dual(county: County, deputy: Person) -> StationMembership:
    return StationMembership.objects.create(
        station=county.industry, person=deputy, kind=StationMembership.Kind.DUAL
    )


# --- 双进站 (ORG-7) ----------------------------------------------------------------------------


def _join(client, station, person, kind):
    return client.post(
        reverse("directory:stationmember_create"),
        {"station": station.pk, "person": person.pk, "kind": kind, "starts_on": TODAY},
    )


def test_it_lets_a_deputy_with_a_home_station_join_an_industry_station_elsewhere_as_dual(
    world, county
):
    client = world.client_for(county.office, Role.OFFICE)
    response = _join(client, county.industry, world.a.deputy, "dual")
    assert response.status_code == 302, response.content.decode()[:2000]
    kinds = set(world.a.deputy.station_memberships.values_list("kind", flat=True))
    assert kinds == {"home", "dual"}
    page = client.get(reverse("directory:station_detail", args=[county.industry.pk]))
    assert "双进站（产业站）" in page.content.decode()


def test_it_refuses_a_home_sitting_at_a_station_outside_his_area(world, county):
    client = world.client_for(county.office, Role.OFFICE)
    response = _join(client, county.industry, world.a.deputy, "home")
    assert response.status_code == 200
    assert "已在" in response.content.decode()  # he already has his home station
    assert not county.industry.memberships.exists()


def test_it_refuses_a_second_home_station(world, county):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = _join(client, world.a.station, world.a.deputy, "home")
    assert response.status_code == 200
    form = response.context["form"]
    assert "属地进站" in " ".join(form.errors["station"])
    assert world.a.deputy.station_memberships.count() == 1


def test_it_refuses_dual_at_a_station_that_is_not_an_industry_station(world, county):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = _join(client, world.a.station, world.a.deputy, "dual")
    assert response.status_code == 200
    assert "企业（产业）代表联络站" in " ".join(response.context["form"].errors["kind"])


def test_it_applies_the_same_rules_through_the_api(world, county):
    api = api_for(world, county.office, Role.OFFICE)
    url = "/api/v1/station-memberships/"
    body = {"person": world.a.deputy.pk, "starts_on": TODAY}
    refused = api.post(url, {**body, "station": world.a.station.pk, "kind": "dual"}, format="json")
    assert refused.status_code == 400
    assert "kind" in refused.json()["error"]["fields"]
    second = api.post(url, {**body, "station": world.a.station.pk, "kind": "home"}, format="json")
    assert second.status_code == 400
    assert "station" in second.json()["error"]["fields"]
    dual = api.post(url, {**body, "station": county.industry.pk, "kind": "dual"}, format="json")
    assert dual.status_code == 201, dual.content
    assert dual.json()["kind"] == "dual"


# --- Mixed-level groups and one leader (ORG-8) ------------------------------------------------


@pytest.fixture
def city_deputy(world) -> Person:
    """A city deputy living in township a."""
    city = world.a.county.parent
    congress = CongressFactory(region=city, level=Congress.Level.CITY, name=f"{city.name}人大")
    person = PersonFactory(name="市代表甲", region=world.a.region)
    MandateFactory(person=person, term=TermFactory(congress=congress))
    return person


def _group(world, *, mixed: bool) -> DeputyGroup:
    return DeputyGroup.objects.create(
        name="混合小组" if mixed else "镇代表小组",
        kind=DeputyGroup.Kind.AREA,
        region=world.a.region,
        congress=world.a.congress,
        mixed_levels=mixed,
    )


def _add_member(client, group, person, position="member"):
    return client.post(
        reverse("directory:groupmember_create"),
        {"group": group.pk, "person": person.pk, "position": position, "starts_on": TODAY},
    )


def test_it_takes_a_city_and_a_township_deputy_into_one_mixed_group(world, city_deputy):
    group = _group(world, mixed=True)
    client = world.client_for(world.a.office, Role.OFFICE)
    assert _add_member(client, group, city_deputy, "leader").status_code == 302
    assert _add_member(client, group, world.a.deputy).status_code == 302
    assert group.memberships.count() == 2
    html = client.get(reverse("directory:group_detail", args=[group.pk])).content.decode()
    assert "市" in html and "乡镇" in html  # each member's level
    assert "市代表甲" in html


def test_it_refuses_a_city_deputy_in_a_township_group_that_is_not_mixed(world, city_deputy):
    group = _group(world, mixed=False)
    client = world.client_for(world.a.office, Role.OFFICE)
    response = _add_member(client, group, city_deputy)
    assert response.status_code == 200
    assert "不是混合编组" in " ".join(response.context["form"].errors["person"])
    assert not group.memberships.exists()
    assert _add_member(client, group, world.a.deputy).status_code == 302


def test_it_keeps_one_leader_per_group(world, city_deputy):
    group = _group(world, mixed=True)
    client = world.client_for(world.a.office, Role.OFFICE)
    assert _add_member(client, group, world.a.deputy, "leader").status_code == 302
    response = _add_member(client, group, city_deputy, "leader")
    assert response.status_code == 200
    assert "本小组已有组长" in response.content.decode()
    api = api_for(world, world.a.office, Role.OFFICE)
    refused = api.post(
        "/api/v1/group-memberships/",
        {"group": group.pk, "person": city_deputy.pk, "position": "leader", "starts_on": TODAY},
        format="json",
    )
    assert refused.status_code == 400
    assert "本小组已有组长" in refused.content.decode()
    assert group.memberships.filter(position="leader").count() == 1


def test_it_ends_a_membership_without_deleting_it(world):
    group = _group(world, mixed=False)
    member = GroupMembership.objects.create(group=group, person=world.a.deputy, position="leader")
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.post(reverse("directory:groupmember_end", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ends_on == timezone.localdate()
    # The seat is free again: a new leader may be named.
    assert _add_member(client, group, world.a.deputy, "leader").status_code == 302
    assert group.memberships.count() == 2


# --- Grids across townships and one head (ORG-9) ----------------------------------------------


def _place(client, grid, person, role="deputy"):
    return client.post(
        reverse("directory:gridmember_create"),
        {"grid": grid.pk, "person": person.pk, "role": role, "starts_on": TODAY},
    )


@pytest.mark.parametrize("who", ["township_office", "industry_staff"])
def test_it_refuses_a_deputy_of_another_township_in_a_grid_for_township_staff(world, county, who):
    _dual(county, world.a.deputy)  # so that 甲二镇's staff reach him at all
    role = Role.OFFICE if who == "township_office" else Role.STATION
    client = world.client_for(getattr(county, who), role)
    response = _place(client, county.grid, world.a.deputy)
    assert response.status_code == 200, response.status_code
    errors = " ".join(response.context["form"].errors["person"])
    assert "不属于本网格所在的乡镇" in errors
    assert not county.grid.members.exists()


def test_it_lets_the_county_office_place_a_deputy_in_a_grid_of_another_township(world, county):
    client = world.client_for(county.office, Role.OFFICE)
    response = _place(client, county.grid, world.a.deputy)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert county.grid.members.get().person == world.a.deputy


def test_it_answers_the_cross_township_rule_with_a_400_in_chinese_through_the_api(world, county):
    _dual(county, world.a.deputy)
    body = {"grid": county.grid.pk, "person": world.a.deputy.pk, "role": "deputy"}
    refused = api_for(world, county.industry_staff, Role.STATION).post(
        "/api/v1/grid-members/", {**body, "starts_on": TODAY}, format="json"
    )
    assert refused.status_code == 400
    assert "不属于本网格所在的乡镇" in refused.json()["error"]["fields"]["person"][0]
    accepted = api_for(world, county.office, Role.OFFICE).post(
        "/api/v1/grid-members/", {**body, "starts_on": TODAY}, format="json"
    )
    assert accepted.status_code == 201, accepted.content


def test_it_keeps_one_head_per_grid(world):
    grid = Grid.objects.create(name="一村网格", region=world.a.village, station=world.a.room)
    client = world.client_for(world.a.station_staff, Role.STATION)
    head = PersonFactory(name="网格长甲", region=world.a.region)
    other = PersonFactory(name="网格长乙", region=world.a.region)
    GridMember.objects.create(grid=grid, person=head, role="head")
    # station staff reach the persons of their grids: the other one joins first as member
    GridMember.objects.create(grid=grid, person=other, role="member", ends_on=timezone.localdate())
    response = _place(client, grid, other, "head")
    assert response.status_code == 200
    assert "本网格已有网格长" in response.content.decode()
    assert grid.members.filter(role="head").count() == 1


# --- A deputy's reach (SPEC section 0) --------------------------------------------------------


def test_it_shows_a_deputy_his_own_groups_and_grids_and_not_others(world, extras):
    group = extras["a"].group
    other_group = _group(world, mixed=False)
    other_grid = Grid.objects.create(name="二村网格", region=world.a.village)
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    groups = client.get(reverse("directory:group_list")).content.decode()
    assert group.name in groups and other_group.name not in groups
    assert client.get(reverse("directory:group_detail", args=[group.pk])).status_code == 200
    assert client.get(reverse("directory:group_detail", args=[other_group.pk])).status_code == 404
    grids = client.get(reverse("directory:grid_list")).content.decode()
    assert extras["a"].grid.name in grids and other_grid.name not in grids
    assert client.get(reverse("directory:grid_detail", args=[other_grid.pk])).status_code == 404
    assert client.get(reverse("directory:group_edit", args=[group.pk])).status_code == 404
    api = api_for(world, world.a.deputy_user, Role.DEPUTY)
    ids = {row["id"] for row in api.get("/api/v1/deputy-groups/").json()["results"]}
    assert ids == {group.pk}


# --- Standing committee coverage (ORG-10) -----------------------------------------------------


def test_it_counts_each_members_links_and_flags_those_outside_the_range(world, settings):
    settings.LIANXIN_LINKS_PER_MEMBER = (2, 3)
    a = world.a
    committee = Body.objects.create(
        congress=a.congress, kind=Body.Kind.STANDING_COMMITTEE, name="常委会"
    )
    busy = PersonFactory(name="常委甲", region=a.region)
    idle = PersonFactory(name="常委乙", region=a.region)
    for p in (busy, idle):
        BodyMembership.objects.create(
            body=committee, person=p, position="委员", starts_on=datetime.date(2021, 10, 1)
        )
    deputies = [PersonFactory(name=f"联系代表{i}", region=a.region) for i in range(3)]
    for d in deputies:
        MandateFactory(person=d, term=a.term)
        CommitteeLink.objects.create(congress=a.congress, member=busy, deputy=d)
    CommitteeLink.objects.create(
        congress=a.congress, member=idle, deputy=deputies[0], ends_on=timezone.localdate()
    )
    client = world.client_for(a.office, Role.OFFICE)
    response = client.get(reverse("directory:link_coverage", args=[a.congress.pk]))
    assert response.status_code == 200
    rows = {r["member"].name: r for r in response.context["rows"]}
    assert rows["常委甲"]["count"] == 3 and rows["常委甲"]["flag"] == ""
    assert rows["常委乙"]["count"] == 0 and "不足2名" in rows["常委乙"]["flag"]
    assert response.context["flagged"] == 1
    assert "后续版本" in response.content.decode()  # contacts come later
    station = world.client_for(a.station_staff, Role.STATION)
    assert station.get(reverse("directory:link_coverage", args=[a.congress.pk])).status_code == 404
