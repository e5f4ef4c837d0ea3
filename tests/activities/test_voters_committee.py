"""Standing committee members' contacts with their linked deputies (ORG-10): the member
records one on his phone; the office sees each member's coverage against the yearly quota."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import voters
from lianxin.activities.models.voters import CommitteeContact
from lianxin.common.errors import NotAllowed
from lianxin.directory.models import CommitteeLink
from tests.activities.conftest_voters import NOW, TODAY, deputy_actor, office_actor
from tests.factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def links(world):
    t = world.a
    other = PersonFactory(name="甲镇另一代表", region=t.region)
    MandateFactory(person=other, term=t.term)
    return [
        CommitteeLink.objects.create(congress=t.congress, member=t.deputy, deputy=d)
        for d in (other, PersonFactory(name="甲镇第三代表", region=t.region))
    ]


def test_a_member_records_contacts_on_his_phone_and_the_office_sees_coverage(world, links):
    phone = world.client_for(world.a.deputy_user, Role.DEPUTY)
    for _ in range(2):
        response = phone.post(reverse("mobile:voter_committee"), {
            "link": links[0].pk, "contacted_on": TODAY.isoformat(), "method": "phone",
            "content": "听取代表对议案的意见",
        })  # fmt: skip
        assert response.status_code == 302
    assert CommitteeContact.objects.count() == 2
    assert "2/2" in phone.get(reverse("mobile:voter_committee")).content.decode()
    (row,) = voters.committee_coverage(office_actor(world.a), 2026)
    assert row.member == world.a.deputy and row.short == [links[1].deputy]
    office = world.client_for(world.a.office, Role.OFFICE)
    html = office.get(reverse("activities:voter_committee")).content.decode()
    assert "1 名代表未达 2 次" in html
    other = world.client_for(world.b.office, Role.OFFICE)
    assert (
        world.a.deputy.name not in other.get(reverse("activities:voter_committee")).content.decode()
    )


def test_only_the_member_himself_records_and_only_for_his_links(world, links):
    with pytest.raises(NotAllowed):
        voters.record_committee_contact(actor=deputy_actor(world.b), link=links[0],
                                        contacted_on=TODAY, method="visit", content="x")  # fmt: skip
    phone = world.client_for(world.b.deputy_user, Role.DEPUTY)
    html = phone.get(reverse("mobile:voter_committee")).content.decode()
    assert 'data-testid="no-links"' in html
    response = phone.post(reverse("mobile:voter_committee"), {
        "link": links[0].pk, "contacted_on": TODAY.isoformat(), "method": "visit", "content": "x",
    })  # fmt: skip
    assert response.status_code == 200 and not CommitteeContact.objects.exists()
