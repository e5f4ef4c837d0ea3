"""/api/v1/ for duty (API-1, DUTY): read-only patterns, rosters, shifts and assignments within
reach, the caller's own assignments, and the OpenAPI schema that documents them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lianxin.accounts.models import Role
from lianxin.activities.models import DutyPattern, Roster
from tests.activities.conftest_setup import NOW, make_duty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def duties(world):
    a, b = make_duty(world.a), make_duty(world.b, tag="b")
    a.wed = a.shift(dt.date(2026, 9, 30), a.people[0], a.people[1])
    b.wed = b.shift(dt.date(2026, 9, 30), b.people[0], b.people[1])
    return a, b


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_it_lists_patterns_with_requirements_within_reach(world, duties):
    a, b = duties
    staff = world.client_for(world.a.station_staff, Role.STATION)
    rows = _rows(staff.get("/api/v1/duty-patterns/"))
    assert [r["id"] for r in rows] == [a.pattern.pk]
    assert rows[0]["requirements"] == [{"role": "deputy", "count": 2}]
    assert rows[0]["weekdays"] == [2]
    assert staff.get(f"/api/v1/duty-patterns/{b.pattern.pk}/").status_code == 404


def test_it_lists_rosters_shifts_and_assignments_of_the_station(world, duties):
    a, _b = duties
    staff = world.client_for(world.a.station_staff, Role.STATION)
    assert [r["id"] for r in _rows(staff.get("/api/v1/duty-rosters/"))] == [a.roster.pk]
    assert [r["id"] for r in _rows(staff.get("/api/v1/duty-shifts/"))] == [a.wed.pk]
    rows = _rows(staff.get("/api/v1/duty-assignments/"))
    assert {r["person_name"] for r in rows} == {"a代表", "a李二"}
    assert rows[0]["date"] == "2026-09-30" and rows[0]["station"] == world.a.station.pk
    body = staff.get("/api/v1/duty-assignments/").content.decode()
    for person in a.people:
        assert person.phone not in body


def test_it_gives_a_deputy_his_own_published_assignments(world, duties):
    a, _b = duties
    phone = world.client_for(world.a.deputy_user, Role.DEPUTY)
    mine = _rows(phone.get("/api/v1/duty-assignments/mine/"))
    assert [r["person"] for r in mine] == [world.a.deputy.pk]
    assert [r["id"] for r in _rows(phone.get("/api/v1/duty-rosters/"))] == [a.roster.pk]
    assert _rows(phone.get("/api/v1/duty-patterns/")) == []
    Roster.objects.filter(pk=a.roster.pk).update(status=Roster.Status.PROPOSED)
    assert _rows(phone.get("/api/v1/duty-assignments/mine/")) == []
    assert _rows(phone.get("/api/v1/duty-shifts/")) == []


def test_it_is_read_only(world, duties):
    a, _b = duties
    office = world.client_for(world.a.office, Role.OFFICE)
    before = DutyPattern.objects.count()
    response = office.post(
        "/api/v1/duty-patterns/", {"name": "x", "station": world.a.station.pk}, format="json"
    )
    assert response.status_code == 405
    assert (
        office.patch(
            f"/api/v1/duty-patterns/{a.pattern.pk}/", {"name": "y"}, content_type="application/json"
        ).status_code
        == 405
    )
    assert DutyPattern.objects.count() == before


def test_it_answers_units_and_anonymous_as_the_rest_of_the_api(world, duties, client):
    unit = world.client_for(world.a.unit_staff, Role.UNIT)
    assert _rows(unit.get("/api/v1/duty-assignments/")) == []
    assert client.get("/api/v1/duty-patterns/").status_code in (401, 403)


def test_it_documents_the_duty_endpoints_in_the_schema(client):
    schema = client.get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/duty-patterns/", "/api/v1/duty-rosters/", "/api/v1/duty-shifts/",
                 "/api/v1/duty-assignments/mine/"):  # fmt: skip
        assert path in schema
