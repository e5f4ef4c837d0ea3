"""The admin shows only records within the acting role's reach and never personal data."""

from django.urls import reverse

from lianxin.accounts.models import Role


def test_it_scopes_the_admin_to_the_office_reach(world):
    world.a.office.is_staff = True
    world.a.office.save()
    client = world.client_for(world.a.office, Role.OFFICE)
    html = client.get(reverse("admin:directory_station_changelist")).content.decode()
    assert world.a.station.name in html
    assert world.b.station.name not in html
    other = client.get(reverse("admin:directory_station_change", args=[world.b.station.pk]))
    assert other.status_code == 302  # the admin's answer for a missing record
    person = client.get(reverse("admin:directory_person_change", args=[world.a.deputy.pk]))
    assert person.status_code == 200
    assert world.a.deputy.phone not in person.content.decode()
    regions = client.get(reverse("admin:regions_region_changelist")).content.decode()
    assert world.a.village.name in regions
    assert world.b.village.name not in regions
