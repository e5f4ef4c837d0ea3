"""Station staff run their station: edit it, its staff and members, and nothing else."""

from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.directory.models import StationStaff


def test_it_lets_station_staff_edit_their_station_and_not_another(world):
    client = world.client_for(world.a.station_staff, Role.STATION)
    url = reverse("directory:station_edit", args=[world.a.room.pk])
    response = client.post(
        url,
        {
            "name": world.a.room.name,
            "kind": "contact_room",
            "parent": world.a.station.pk,
            "region": world.a.village.pk,
            "opening_hours": "每周三上午",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    world.a.room.refresh_from_db()
    assert world.a.room.opening_hours == "每周三上午"
    assert client.get(reverse("directory:station_edit", args=[world.b.room.pk])).status_code == 404


def test_it_lets_station_staff_name_a_liaison_from_their_deputies(world):
    client = world.client_for(world.a.station_staff, Role.STATION)
    response = client.post(
        reverse("directory:stationstaff_create"),
        {
            "station": world.a.room.pk,
            "person": world.a.deputy.pk,
            "role": "liaison",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert StationStaff.objects.filter(station=world.a.room, role="liaison").exists()
    refused = client.post(
        reverse("directory:stationstaff_create"),
        {
            "station": world.b.room.pk,
            "person": world.a.deputy.pk,
            "role": "liaison",
            "starts_on": "2026-01-01",
        },
    )
    assert refused.status_code == 200
    assert not StationStaff.objects.filter(station=world.b.room, role="liaison").exists()


def test_it_shows_station_staff_no_congress_records_and_no_edit_of_persons(world):
    client = world.client_for(world.a.station_staff, Role.STATION)
    congress = reverse("directory:congress_detail", args=[world.a.congress.pk])
    assert client.get(congress).status_code == 404
    assert client.get(reverse("directory:person_create")).status_code == 404


def test_it_shows_a_deputy_the_stations_he_sits_in(world):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    html = client.get(reverse("directory:station_list")).content.decode()
    assert world.a.room.name in html
    assert world.b.room.name not in html
    assert client.get(reverse("directory:station_edit", args=[world.a.room.pk])).status_code == 404


def test_it_offers_the_public_page_and_the_qr_code_on_staff_records(world):
    client = world.client_for(world.a.office)
    station = client.get(f"/staff/directory/stations/{world.a.station.pk}/").content.decode()
    assert f"/p/s/{world.a.station.public_key}/qr.png" in station
    person = client.get(f"/staff/directory/persons/{world.a.deputy.pk}/").content.decode()
    assert f"/p/d/{world.a.deputy.public_key}/" in person
    assert f"/p/d/{world.a.deputy.public_key}/qr.png" in person
