"""A township office sees a county deputy's county mandate as public facts (SPEC section 0)."""

from lianxin.directory.models import Congress
from tests.factories import CongressFactory, MandateFactory, TermFactory


def test_it_shows_mandates_of_higher_congresses_without_a_link(world):
    county_congress = CongressFactory(
        region=world.a.county, level=Congress.Level.COUNTY, name="郏县人民代表大会"
    )
    county_mandate = MandateFactory(
        person=world.a.deputy, term=TermFactory(congress=county_congress)
    )
    html = (
        world.client_for(world.a.office)
        .get(f"/staff/directory/persons/{world.a.deputy.pk}/")
        .content.decode()
    )
    assert "其他人大的任职" in html
    assert "郏县人民代表大会" in html
    assert f"/staff/directory/mandates/{county_mandate.pk}/" not in html
