"""值班提醒 (DUTY-2, NOTE-2): the day before his shift each person of a published roster is
reminded once; the window is ``LIANXIN_DUTY_REMIND_HOURS`` (24 by default)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.activities.duty import reminders, swaps
from lianxin.activities.models import Assignment, Roster
from lianxin.common.sweeps import registered
from lianxin.notifications.models import Notification
from tests.activities.conftest_setup import NOW, actor, make_duty

pytestmark = pytest.mark.django_db

BEIJING = NOW.tzinfo
WED = dt.date(2026, 9, 30)
TUESDAY_10 = dt.datetime(2026, 9, 29, 10, 0, tzinfo=BEIJING)  # 23 hours before 9:00 Wednesday


@pytest.fixture
def duty(world):
    d = make_duty(world.a)
    d.wed = d.shift(WED, d.people[0], d.people[1])
    return d


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind="duty.reminder")


def test_it_is_a_registered_sweep():
    assert registered()["duty.reminders"] is reminders.remind_shifts


def test_it_reminds_each_person_once_the_day_before(world, duty):
    assert reminders.remind_shifts(now=NOW) == 0  # Monday: more than 24 hours ahead
    assert reminders.remind_shifts(now=TUESDAY_10) == 2
    assert reminders.remind_shifts(now=TUESDAY_10) == 0
    assert reminders.remind_shifts(now=TUESDAY_10 + dt.timedelta(hours=5)) == 0
    note = _reminders(world.a.deputy_user).get()
    assert note.title == f"值班提醒：9月30日 09:00 在{world.a.station.name}值班"
    assert world.a.station.address in note.body
    mine = duty.assignment(duty.wed, duty.people[0])
    assert note.url == reverse("mobile:duty_shift", args=[mine.pk])
    assert Assignment.objects.filter(shift=duty.wed, reminded_at__isnull=False).count() == 2


def test_it_sends_nothing_twice_even_if_the_mark_is_lost(world, duty):
    reminders.remind_shifts(now=TUESDAY_10)
    Assignment.objects.update(reminded_at=None)
    assert reminders.remind_shifts(now=TUESDAY_10) == 0  # the dedupe key is taken
    assert _reminders(world.a.deputy_user).count() == 1


def test_it_reminds_only_for_published_rosters_and_scheduled_posts(world, duty):
    Roster.objects.filter(pk=duty.roster.pk).update(status=Roster.Status.PROPOSED)
    assert reminders.remind_shifts(now=TUESDAY_10) == 0
    Roster.objects.filter(pk=duty.roster.pk).update(status=Roster.Status.PUBLISHED)
    Assignment.objects.filter(person=duty.people[1]).update(status="excused")
    assert reminders.remind_shifts(now=TUESDAY_10) == 1
    assert not _reminders(duty.users[1]).exists()


def test_it_never_reminds_of_a_shift_already_begun(world, duty):
    assert reminders.remind_shifts(now=dt.datetime(2026, 9, 30, 9, 30, tzinfo=BEIJING)) == 0


def test_it_skips_persons_without_an_account(world, duty):
    account = duty.people[1].account
    duty.people[1].account = None
    duty.people[1].save(update_fields=["account"])
    assert reminders.remind_shifts(now=TUESDAY_10) == 1
    assert not _reminders(account).exists()


def test_it_reminds_earlier_when_configured(world, duty, settings):
    settings.LIANXIN_DUTY_REMIND_HOURS = 50  # Monday 8:00 to Wednesday 9:00 is 49 hours
    assert reminders.remind_shifts(now=NOW) == 2


def test_it_reminds_the_new_person_after_a_swap(world, duty):
    reminders.remind_shifts(now=TUESDAY_10 - dt.timedelta(hours=1))
    mine = duty.assignment(duty.wed, duty.people[0])
    with_time = TUESDAY_10 - dt.timedelta(minutes=30)
    with time_machine.travel(with_time, tick=False):
        swap = swaps.swap_request(actor=actor(world.a.deputy_user), assignment=mine,
                                  counterpart=duty.people[2], reason="出差")  # fmt: skip
        swaps.swap_answer(actor=actor(duty.users[2]), swap=swap, agree=True)
        swaps.swap_decide(actor=actor(world.a.station_staff), swap=swap, approve=True)
    assert reminders.remind_shifts(now=TUESDAY_10) == 1
    assert _reminders(duty.users[2]).count() == 1
    assert _reminders(world.a.deputy_user).count() == 1  # his, from before the swap
