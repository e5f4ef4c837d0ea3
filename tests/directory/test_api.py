"""/api/v1/ for the directory: the same reach as the pages, masked personal data (API-1)."""

import pytest
from rest_framework.test import APIClient

from lianxin.accounts.models import Role
from lianxin.directory.models import Mandate, Person, Station

ENDPOINTS = {
    "congresses": lambda w, x, t: getattr(w, t).congress,
    "terms": lambda w, x, t: getattr(w, t).term,
    "sessions": lambda w, x, t: x[t].session,
    "bodies": lambda w, x, t: x[t].body,
    "body-memberships": lambda w, x, t: x[t].seat,
    "work-plans": lambda w, x, t: x[t].plan,
    "delegations": lambda w, x, t: x[t].delegation,
    "persons": lambda w, x, t: getattr(w, t).deputy,
    "mandates": lambda w, x, t: x[t].mandate,
    "stations": lambda w, x, t: getattr(w, t).station,
    "station-staff": lambda w, x, t: x[t].staff,
    "station-memberships": lambda w, x, t: x[t].membership,
    "units": lambda w, x, t: getattr(w, t).unit,
    "unit-contacts": lambda w, x, t: x[t].contact,
}


def api_for(world, user, role):
    client = APIClient()
    client.force_authenticate(user)
    assignment = user.assignments.get(role=role)
    client.credentials(HTTP_X_LIANXIN_ROLE=str(assignment.pk))
    return client


@pytest.fixture
def office_a(world):
    return api_for(world, world.a.office, Role.OFFICE)


@pytest.mark.parametrize("prefix", ENDPOINTS)
def test_it_lists_only_records_in_reach(world, extras, office_a, prefix):
    mine = ENDPOINTS[prefix](world, extras, "a")
    theirs = ENDPOINTS[prefix](world, extras, "b")
    response = office_a.get(f"/api/v1/{prefix}/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert mine.pk in ids
    assert theirs.pk not in ids


@pytest.mark.parametrize("prefix", ENDPOINTS)
def test_it_answers_404_for_another_townships_record_read_and_write(
    world, extras, office_a, prefix
):
    theirs = ENDPOINTS[prefix](world, extras, "b")
    url = f"/api/v1/{prefix}/{theirs.pk}/"
    assert office_a.get(url).status_code == 404
    assert office_a.patch(url, {}, format="json").status_code == 404
    assert office_a.put(url, {}, format="json").status_code == 404


@pytest.mark.parametrize("prefix", ENDPOINTS)
def test_it_has_no_deletes(world, extras, office_a, prefix):
    mine = ENDPOINTS[prefix](world, extras, "a")
    assert office_a.delete(f"/api/v1/{prefix}/{mine.pk}/").status_code == 405


def test_it_exposes_personal_data_masked_only(world, office_a):
    deputy = world.a.deputy
    row = office_a.get(f"/api/v1/persons/{deputy.pk}/").json()
    assert row["phone"] == deputy.phone[:3] + "****" + deputy.phone[-4:]
    assert deputy.id_number not in str(row)


def test_it_creates_and_updates_a_person_through_the_api(world, office_a):
    response = office_a.post(
        "/api/v1/persons/",
        {"name": "接口代表", "region": world.a.region.pk, "phone": "13900001111"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(name="接口代表")
    assert person.phone == "13900001111"
    assert response.json()["phone"] == "139****1111"
    patch = office_a.patch(f"/api/v1/persons/{person.pk}/", {"phone": ""}, format="json")
    assert patch.status_code == 200
    person.refresh_from_db()
    assert person.phone == "13900001111"
    bad = office_a.patch(f"/api/v1/persons/{person.pk}/", {"phone": "123"}, format="json")
    assert bad.status_code == 400
    assert "请输入11位手机号码。" in str(bad.json())


def test_it_refuses_to_create_a_record_pointing_out_of_reach(world, office_a):
    response = office_a.post(
        "/api/v1/stations/",
        {"name": "越界站", "kind": "home", "region": world.b.region.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not Station.objects.filter(name="越界站").exists()
    response = office_a.post(
        "/api/v1/persons/", {"name": "越界人", "region": world.b.region.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Person.objects.filter(name="越界人").exists()


def test_it_refuses_to_move_a_station_out_of_reach(world, office_a):
    response = office_a.patch(
        f"/api/v1/stations/{world.a.station.pk}/", {"region": world.b.region.pk}, format="json"
    )
    assert response.status_code == 400
    world.a.station.refresh_from_db()
    assert world.a.station.region == world.a.region


def test_it_validates_writes_with_the_model_rules(world, office_a):
    response = office_a.post(
        "/api/v1/terms/",
        {
            "congress": world.a.congress.pk,
            "number": 18,
            "starts_on": "2026-10-01",
            "ends_on": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in str(response.json())


def test_it_ends_a_mandate_through_the_api(world, office_a):
    mandate = world.a.deputy.mandates.get()
    url = f"/api/v1/mandates/{mandate.pk}/end/"
    response = office_a.post(url, {"ended_on": "2026-03-01", "end_reason": "moved"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "terminated"
    assert office_a.post(url, {"ended_on": "2026-03-01", "end_reason": "moved"}).status_code == 409
    other = world.b.deputy.mandates.get()
    denied = office_a.post(
        f"/api/v1/mandates/{other.pk}/end/", {"ended_on": "2026-03-01", "end_reason": "moved"}
    )
    assert denied.status_code == 404
    other.refresh_from_db()
    assert other.status == Mandate.Status.SERVING


def test_it_lets_station_staff_read_but_not_write_persons(world):
    client = api_for(world, world.a.station_staff, Role.STATION)
    ids = {r["id"] for r in client.get("/api/v1/persons/").json()["results"]}
    assert world.a.deputy.pk in ids
    assert world.b.deputy.pk not in ids
    assert client.patch(f"/api/v1/persons/{world.a.deputy.pk}/", {"name": "x"}).status_code == 403


def test_it_lets_station_staff_edit_their_station_only(world):
    client = api_for(world, world.a.station_staff, Role.STATION)
    ok = client.patch(f"/api/v1/stations/{world.a.room.pk}/", {"opening_hours": "每周三"})
    assert ok.status_code == 200
    assert (
        client.patch(f"/api/v1/stations/{world.b.room.pk}/", {"opening_hours": "x"}).status_code
        == 404
    )


def test_it_shows_a_deputy_only_himself(world):
    client = api_for(world, world.a.deputy_user, Role.DEPUTY)
    rows = client.get("/api/v1/persons/").json()["results"]
    assert [r["id"] for r in rows] == [world.a.deputy.pk]


def test_it_filters_stations_by_kind_and_subtree(world, office_a):
    rows = office_a.get("/api/v1/stations/", {"kind": "contact_room"}).json()["results"]
    assert [r["id"] for r in rows] == [world.a.room.pk]
    rows = office_a.get("/api/v1/stations/", {"under": world.a.station.pk}).json()["results"]
    assert {r["id"] for r in rows} == {world.a.station.pk, world.a.room.pk}
    assert office_a.get("/api/v1/stations/", {"under": world.b.station.pk}).status_code == 400
