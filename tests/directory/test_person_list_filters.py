"""The persons list's 所在地区 filter (issue 7): it offers the regions down to two levels below
the office's own — a province office its cities and counties, not every village — and filters
by any of them."""

from django.urls import reverse

from lianxin.accounts.models import Role
from tests.factories import PersonFactory, UserFactory, assign


def region_choices(response) -> set[str]:
    field = response.context["filterset"].form.fields["region"]
    return {r.name for r in field.queryset}


def test_it_offers_a_city_office_its_counties_and_townships_but_no_village(world):
    city = world.a.county.parent
    user = UserFactory(username="a_city_office")
    assign(user, Role.OFFICE, region=city)
    client = world.client_for(user, Role.OFFICE)
    page = client.get(reverse("directory:person_list"))
    offered = region_choices(page)
    assert {world.a.county.name, world.a.region.name} <= offered
    assert world.a.village.name not in offered
    assert world.b.region.name not in offered  # another city's township: out of reach


def test_it_offers_a_township_office_its_township_and_villages(world):
    page = world.client_for(world.a.office, Role.OFFICE).get(reverse("directory:person_list"))
    assert region_choices(page) == {world.a.region.name, world.a.village.name}


def test_it_filters_the_list_by_the_region_chosen(world):
    villager = PersonFactory(name="一村村民代表", region=world.a.village)
    client = world.client_for(world.a.office, Role.OFFICE)
    page = client.get(reverse("directory:person_list"), {"region": world.a.village.pk})
    names = [row[0].name for row in page.context["rows"]]
    assert names == [villager.name]
