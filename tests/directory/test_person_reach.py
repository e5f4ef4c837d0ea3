"""Who sees which persons (SEC-1, issue 7): the reach of persons asks each role a person holds
as ``EXISTS`` of one row instead of joining five multi-valued relations and de-duplicating.
Every persona must see exactly the persons the joins showed, each once, on the page and in
the API."""

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for, region_path, scope, station_path, unit_path
from lianxin.directory.models import (
    Expert,
    ExpertAssignment,
    Grid,
    GridMember,
    Person,
    StationMembership,
    StationStaff,
    UnitContact,
)
from tests.factories import MandateFactory, PersonFactory, UserFactory, assign

ENDED = datetime.date(2020, 1, 1)


def joins_reach(actor) -> Q | None:
    """The reach of persons as it was written before issue 7 (joins, then DISTINCT): the
    yardstick the new reach is held to."""
    today = timezone.localdate()

    def open_(prefix: str) -> Q:
        return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})

    path = region_path(actor) if actor.role in (Role.OFFICE, Role.LEADERSHIP) else None
    if path:
        return (
            Q(region__path__startswith=path)
            | Q(mandates__term__congress__region__path__startswith=path)
            | Q(station_memberships__station__region__path__startswith=path)
            | Q(station_roles__station__region__path__startswith=path)
            | Q(unit_contacts__unit__region__path__startswith=path)
        )
    if path := station_path(actor):
        return (
            (
                Q(station_memberships__station__path__startswith=path)
                & open_("station_memberships__")
            )
            | Q(station_roles__station__path__startswith=path)
            | Q(grid_roles__grid__station__path__startswith=path)
            | Q(expert_entries__assignments__station__path__startswith=path)
        )
    if path := unit_path(actor):
        return Q(unit_contacts__unit__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(pk=actor.person_id)
    if actor.role == Role.SYSTEM_ADMIN:
        return None
    return Q(pk__in=[])


@pytest.fixture
def ties(world):
    """Persons of township B tied to township A in one way each, and one tied in many."""
    a, b = world.a, world.b

    def person(name: str) -> Person:
        return PersonFactory(name=name, region=b.region)

    out = {
        "mandate": person("甲镇任职者"),
        "member_open": person("甲站在站代表"),
        "member_ended": person("甲站离站代表"),
        "staff": person("甲站工作人员"),
        "contact": person("甲镇下属单位联系人"),
        "grid": person("甲村网格员"),
        "expert": person("甲站专家"),
        "many": person("甲镇多重身份"),
        "none": person("乙镇居民"),
    }
    MandateFactory(person=out["mandate"], term=a.term)
    StationMembership.objects.create(station=a.room, person=out["member_open"])
    StationMembership.objects.create(
        station=a.room, person=out["member_ended"], starts_on=ENDED, ends_on=ENDED
    )
    StationStaff.objects.create(
        station=a.station, person=out["staff"], role=StationStaff.Role.LIAISON
    )
    UnitContact.objects.create(unit=a.sub_unit, person=out["contact"], is_primary=False)
    grid = Grid.objects.create(name="甲村第二网格", region=a.village, station=a.room, households=9)
    GridMember.objects.create(grid=grid, person=out["grid"], role=GridMember.Role.MEMBER)
    expert = Expert.objects.create(
        person=out["expert"], region=b.region, field=Expert.Field.LAW, organisation="律所"
    )
    ExpertAssignment.objects.create(expert=expert, station=a.room)
    many = out["many"]
    MandateFactory(person=many, term=a.term)
    MandateFactory(person=many, term=b.term)
    StationMembership.objects.create(station=a.room, person=many)
    StationMembership.objects.create(station=a.station, person=many)
    StationStaff.objects.create(station=a.station, person=many, role=StationStaff.Role.LIAISON)
    StationStaff.objects.create(station=a.room, person=many, role=StationStaff.Role.LIAISON)
    UnitContact.objects.create(unit=a.unit, person=many, is_primary=False)
    UnitContact.objects.create(unit=a.sub_unit, person=many, is_primary=False)
    GridMember.objects.create(grid=grid, person=many, role=GridMember.Role.DEPUTY)
    return out


def personas(world):
    county_office = UserFactory(username="a_county_office")
    assign(county_office, Role.OFFICE, region=world.a.county)
    return {
        "office a": world.a.office,
        "leadership a": world.a.leadership,
        "county office a": county_office,
        "station a": world.a.station_staff,
        "unit a": world.a.unit_staff,
        "deputy a": world.a.deputy_user,
        "office b": world.b.office,
        "station b": world.b.station_staff,
        "unit b": world.b.unit_staff,
        "system admin": world.sysadmin,
        "security admin": world.secadmin,
    }


def visible(actor) -> list[str]:
    return list(scope(actor, Person.objects.all()).values_list("name", flat=True))


def test_it_shows_every_persona_the_persons_the_joins_showed_each_once(world, ties):
    for label, user in personas(world).items():
        actor = actor_for(user)
        condition = joins_reach(actor)
        before = Person.objects.all() if condition is None else Person.objects.filter(condition)
        names = visible(actor)
        assert len(names) == len(set(names)), label
        assert set(names) == set(before.distinct().values_list("name", flat=True)), label


def test_it_shows_the_office_everybody_serving_in_its_township(world, ties):
    names = set(visible(actor_for(world.a.office)))
    # Everyone but the man with no tie; an ended station membership still counts for the
    # office (the station's history), not for the station.
    assert names >= {p.name for key, p in ties.items() if key not in ("none", "grid", "expert")}
    assert ties["none"].name not in names
    assert ties["grid"].name not in names
    assert ties["expert"].name not in names


def test_it_shows_the_station_its_sitting_deputies_staff_grid_and_experts(world, ties):
    names = set(visible(actor_for(world.a.station_staff)))
    for key in ("member_open", "staff", "grid", "expert", "many"):
        assert ties[key].name in names, key
    for key in ("member_ended", "mandate", "contact", "none"):
        assert ties[key].name not in names, key


def test_it_shows_the_unit_the_contacts_of_its_unit_and_sub_units(world, ties):
    names = set(visible(actor_for(world.a.unit_staff)))
    assert {ties["contact"].name, ties["many"].name} <= names
    assert ties["mandate"].name not in names


def test_it_lists_each_person_once_on_the_page_and_in_the_api(world, ties):
    office = world.client_for(world.a.office, Role.OFFICE)
    expected = set(visible(actor_for(world.a.office)))
    page = office.get(reverse("directory:person_list"))
    assert page.status_code == 200
    assert page.context["paginator"].count == len(expected)
    listed = [row[0].name for row in page.context["rows"]]
    assert sorted(listed) == sorted(expected)
    api_client = APIClient()
    api_client.force_authenticate(world.a.office)
    api = api_client.get("/api/v1/persons/").json()
    assert api["count"] == len(expected)
    assert api["count_capped"] is False
    assert sorted(r["name"] for r in api["results"]) == sorted(expected)
