"""The personas reach what SPEC section 0 says, and nothing of the other township."""

from lianxin.accounts.permissions import actor_for, scope
from lianxin.directory.models import Person, Station


def test_it_gives_each_office_its_own_township(world):
    actor = actor_for(world.a.office)
    stations = set(scope(actor, Station.objects.all()))
    assert stations == {world.a.station, world.a.room}
    assert world.b.deputy not in scope(actor, Person.objects.all())


def test_it_lets_station_staff_see_the_deputies_sitting_below(world):
    actor = actor_for(world.a.station_staff)
    assert world.a.deputy in scope(actor, Person.objects.all())
    assert world.b.deputy not in scope(actor, Person.objects.all())


def test_it_shows_a_deputy_only_himself(world):
    actor = actor_for(world.a.deputy_user)
    assert list(scope(actor, Person.objects.all())) == [world.a.deputy]
