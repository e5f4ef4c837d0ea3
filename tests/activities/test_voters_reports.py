"""Reports to voters (VOT-2): the deputy (on his phone) or staff record a 述职评议 with the
voters' tally — votes never more than those present — the satisfaction rate is shown, and the
staff list who has not reported this term."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import voters
from lianxin.activities.models.voters import VoterReport
from lianxin.common.errors import NotAllowed
from tests.activities.conftest_voters import NOW, TODAY, deputy_actor, station_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


FORM = {"held_on": TODAY.isoformat(), "place": "村委会", "report": "一年来的履职情况",
        "voters_present": 40, "satisfied": 30, "basically": 8, "dissatisfied": 2}  # fmt: skip


def test_the_deputy_reports_on_his_phone_and_sees_the_rate(world):
    phone = world.client_for(world.a.deputy_user, Role.DEPUTY)
    assert phone.post(reverse("mobile:voter_reports"), FORM).status_code == 302
    row = VoterReport.objects.get()
    assert row.deputy == world.a.deputy and voters.satisfaction_rate(row) == 95
    assert "满意率 95%" in phone.get(reverse("mobile:voter_reports")).content.decode()


def test_votes_never_exceed_the_voters_present(world):
    phone = world.client_for(world.a.deputy_user, Role.DEPUTY)
    response = phone.post(reverse("mobile:voter_reports"), FORM | {"voters_present": 10})
    assert "测评票数不能多于参加选民人数" in response.content.decode()
    assert not VoterReport.objects.exists()


def test_staff_record_for_a_deputy_within_reach_and_see_who_has_not_reported(world):
    staff = world.client_for(world.a.station_staff, Role.STATION)
    page = staff.get(reverse("activities:voter_reports")).content.decode()
    assert world.a.deputy.name in page.split('data-testid="not-reported"')[1].split("</section>")[0]
    assert world.b.deputy.name not in page
    staff.post(reverse("activities:voter_reports"), FORM | {"deputy": world.a.deputy.pk})
    assert VoterReport.objects.get().deputy == world.a.deputy
    assert voters.not_reported(station_actor(world.a)) == []
    with pytest.raises(NotAllowed):
        voters.record_report(actor=station_actor(world.b), deputy=world.a.deputy, **{
            k: v for k, v in FORM.items() if k != "held_on"}, held_on=TODAY)  # fmt: skip
    with pytest.raises(NotAllowed):
        voters.record_report(actor=deputy_actor(world.b), deputy=world.a.deputy, held_on=TODAY,
                             place="x", report="y", voters_present=1)  # fmt: skip
    with pytest.raises(ValidationError):
        voters.record_report(actor=deputy_actor(world.a), held_on=TODAY, place="", report="",
                             voters_present=1)  # fmt: skip
