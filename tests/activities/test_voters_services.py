"""Fixed voters, contacts, callback samples and good deeds through the services (VOT-1,
VOT-4): who may record what, Chinese validation, the random sample's rules, yearly counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lianxin.activities import voters
from lianxin.activities.models import Quota
from lianxin.activities.models.voters import CallbackSample, FixedVoter, GoodDeed, VoterContact
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.regions.models import Region
from tests.activities.conftest_voters import (
    NOW,
    TODAY,
    add,
    category,
    deputy_actor,
    office_actor,
    station_actor,
)
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_deputy_keeps_his_list_with_the_quota_as_progress(world):
    add(world.a, 3)
    p = voters.progress(world.a.deputy, 2026)
    assert (p.count, p.quota, p.over) == (3, 10, False)
    Quota.objects.create(congress=world.a.congress, code="fixed_voters", value=2)
    assert voters.progress(world.a.deputy, 2026).over  # more than the quota: warned, allowed
    assert AuditEntry.objects.filter(object_type="activities.fixedvoter").count() == 3


def test_a_bad_phone_or_a_village_outside_his_area_changes_nothing(world):
    with pytest.raises(ValidationError) as exc:
        voters.add_voter(
            actor=deputy_actor(world.a), name="张三", phone="12345", region=world.a.village
        )
    assert "手机号码" in exc.value.message_dict["phone"][0]
    with pytest.raises(ValidationError) as exc:
        voters.add_voter(actor=deputy_actor(world.a), name="张三", phone="13800000000",
                         region=world.b.village)  # fmt: skip
    assert "region" in exc.value.message_dict
    assert not FixedVoter.objects.exists()


def test_only_the_deputy_himself_records_his_voters_and_contacts(world):
    (voter,) = add(world.a)
    for other in (office_actor(world.a), station_actor(world.a), deputy_actor(world.b)):
        with pytest.raises(NotAllowed):
            voters.update_voter(actor=other, voter=voter, name="改名", phone="13900000000",
                                region=world.a.village)  # fmt: skip
    with pytest.raises(NotAllowed):
        voters.add_voter(actor=office_actor(world.a), name="张三", phone="13800000000",
                         region=world.a.village)  # fmt: skip
    with pytest.raises(ValidationError):
        voters.record_contact(actor=deputy_actor(world.b), voter=voter, contacted_on=TODAY,
                              method="visit", content="走访")  # fmt: skip
    voters.set_voter_active(actor=deputy_actor(world.a), voter=voter, active=False)
    assert voters.progress(world.a.deputy, 2026).count == 0


def test_a_contact_s_opinions_become_a_case_in_one_step(world):
    (voter,) = add(world.a)
    contact = voters.record_contact(
        actor=deputy_actor(world.a), voter=voter, contacted_on=TODAY, method="phone",
        content="电话询问近况", opinions="村里路灯坏了三个月", to_case=True,
        category=category(world.a),
    )  # fmt: skip
    case = contact.case
    assert case is not None and case.channel == "phone" and case.deputy == world.a.deputy
    assert case.region == world.a.village and "路灯" in case.text
    with pytest.raises(ValidationError) as exc:
        voters.record_contact(actor=deputy_actor(world.a), voter=None, contacted_on=TODAY,
                              method="visit", content="走访", to_case=True)  # fmt: skip
    assert set(exc.value.message_dict) == {"opinions", "category"}
    with pytest.raises(ValidationError):
        voters.record_contact(actor=deputy_actor(world.a), voter=None,
                              contacted_on=TODAY + dt.timedelta(days=1), method="visit",
                              content="走访")  # fmt: skip
    assert VoterContact.objects.count() == 1


def _contact(t, voter, day):
    voters.record_contact(actor=deputy_actor(t), voter=voter, contacted_on=day, method="visit",
                          content="走访")  # fmt: skip


def test_the_sample_draws_from_voters_contacted_that_month_of_the_office_s_region(world):
    mine = add(world.a, 6)
    theirs = add(world.b, 6)
    for v in mine[:3]:
        _contact(world.a, v, dt.date(2026, 2, 10))
    _contact(world.a, mine[3], dt.date(2026, 1, 31))  # another month
    for v in theirs:
        _contact(world.b, v, dt.date(2026, 2, 10))
    sample = voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 2, 20), size=10)
    picked = set(sample.calls.values_list("voter_id", flat=True))
    assert picked == {v.pk for v in mine[:3]}
    assert sample.month == dt.date(2026, 2, 1) and sample.size == 3 and sample.seed
    # A month without contacts draws from all active voters of the year; 10 %, at least 1.
    march = voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 3, 1))
    assert march.size == 1
    assert set(march.calls.values_list("voter__region", flat=True)) == {world.a.village.pk}


def test_one_sample_per_region_and_month(world):
    add(world.a, 2)
    voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 3, 1))
    with pytest.raises(Conflict):
        voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 3, 31))
    assert CallbackSample.objects.count() == 1
    with pytest.raises(NotAllowed):
        voters.draw_sample(actor=station_actor(world.a), month=dt.date(2026, 4, 1))
    with pytest.raises(NotAllowed):
        voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 4, 1),
                           region=world.b.region)  # fmt: skip


def test_the_draw_is_random_and_the_recorded_seed_reproduces_it(world):
    pool = list(range(1, 41))
    picks = {tuple(voters.pick(pool, 10, f"seed-{i}")) for i in range(5)}
    assert len(picks) > 1  # different seeds, different voters
    assert voters.pick(pool, 10, "seed-1") == voters.pick(list(reversed(pool)), 10, "seed-1")
    add(world.a, 30)
    sample = voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 3, 1), size=5)
    again = voters.pick(voters.callback_pool(world.a.region, sample.month), 5, sample.seed)
    assert sorted(sample.calls.values_list("voter_id", flat=True)) == again


def test_never_voters_of_other_regions_even_a_neighbouring_village(world):
    other = RegionFactory(parent=world.a.region, name="甲镇二村", level=Region.Level.VILLAGE)
    add(world.a, 3)
    add(world.a, 3, region=other, start=10)
    office = office_actor(world.a)
    sample = voters.draw_sample(actor=office, month=dt.date(2026, 3, 1), size=3,
                                region=world.a.village)  # fmt: skip
    assert set(sample.calls.values_list("voter__region", flat=True)) == {world.a.village.pk}


def test_a_call_is_recorded_and_the_phone_reveal_audited(world):
    add(world.a, 1)
    sample = voters.draw_sample(actor=office_actor(world.a), month=dt.date(2026, 3, 1))
    call = sample.calls.get()
    assert voters.reveal_phone(actor=office_actor(world.a), call=call) == "13800000000"
    assert AuditEntry.objects.filter(action="reveal", object_type="activities.fixedvoter").exists()
    with pytest.raises(ValidationError):
        voters.record_call(actor=office_actor(world.a), call=call, outcome="pending")
    voters.record_call(actor=office_actor(world.a), call=call, outcome="confirmed",
                       satisfaction="satisfied", answer="代表常来")  # fmt: skip
    (tally,) = voters.sample_summary(sample)
    assert tally.deputy == world.a.deputy and tally.outcomes["confirmed"] == 1


def test_good_deeds_count_once_confirmed_in_the_year_they_were_done(world):
    deputy = deputy_actor(world.a)
    december = voters.record_deed(actor=deputy, done_on=dt.date(2025, 12, 31), title="修路",
                                  description="协调修好村口道路")  # fmt: skip
    january = voters.record_deed(actor=deputy, done_on=dt.date(2026, 1, 1), title="送水",
                                 description="给五保户送水")  # fmt: skip
    assert voters.deeds_progress(world.a.deputy, 2026).count == 0  # pending does not count
    staff = station_actor(world.a)
    voters.decide_deed(actor=staff, deed=december, confirm=True)
    voters.decide_deed(actor=staff, deed=january, confirm=True, note="属实")
    assert voters.deeds_progress(world.a.deputy, 2025).count == 1
    p = voters.deeds_progress(world.a.deputy, 2026)
    assert (p.count, p.quota) == (1, 2)
    with pytest.raises(Conflict):
        voters.decide_deed(actor=staff, deed=january, confirm=False, note="重复")
    with pytest.raises(NotAllowed):
        voters.decide_deed(actor=station_actor(world.b), deed=december, confirm=True)
    third = voters.record_deed(actor=deputy, done_on=TODAY, title="调解", description="调解纠纷")
    with pytest.raises(ValidationError):
        voters.decide_deed(actor=staff, deed=third, confirm=False)
    assert GoodDeed.objects.get(pk=third.pk).status == "pending"
