"""The deputy's duty on his phone (UI.md, DUTY-2, DUTY-3): 我的值班 with today's shift first,
upcoming and past shifts with how they went, swaps waiting for him; a shift with where and when
and who else is on it (names only); his leave; today's or the next shift on his home."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import resolve, reverse

from lianxin.accounts.models import Role
from lianxin.activities import views_setup
from lianxin.activities.duty import swaps
from lianxin.activities.models import Assignment, DutyLeave, Roster
from tests.activities.conftest_setup import NOW, actor, make_duty

pytestmark = pytest.mark.django_db

TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def duty(world):
    d = make_duty(world.a)
    me, li, wang = d.people
    d.today = d.shift(TODAY, me, li)
    d.next = d.shift(dt.date(2026, 9, 30), me, wang)
    d.present = d.shift(dt.date(2026, 9, 23), me)
    d.absent = d.shift(dt.date(2026, 9, 16), me)
    d.excused = d.shift(dt.date(2026, 9, 9), me)
    Assignment.objects.filter(shift=d.present).update(status="present", checked_in_at=NOW)
    Assignment.objects.filter(shift=d.absent).update(status="absent")
    Assignment.objects.filter(shift=d.excused).update(status="excused")
    return d


def _phone(world, user=None):
    return world.client_for(user or world.a.deputy_user, Role.DEPUTY)


def test_the_duty_tab_is_his_shifts_now(world):
    assert resolve(reverse("mobile:duty")).func is views_setup.mobile_duty
    assert reverse("mobile:duty") == "/m/duty/"


def test_it_shows_today_first_then_upcoming_then_past_with_how_they_went(world, duty):
    html = _phone(world).get(reverse("mobile:duty")).content.decode()
    today, upcoming, past = (
        html.index('data-testid="duty-today"'),
        html.index('data-testid="duty-upcoming"'),
        html.index('data-testid="duty-past"'),
    )
    assert today < upcoming < past
    mine_today = duty.assignment(duty.today, duty.people[0])
    assert reverse("mobile:duty_shift", args=[mine_today.pk]) in html[today:upcoming]
    assert "9月30日" in html[upcoming:past]
    for label in ("到岗", "缺岗", "请假"):
        assert label in html[past:]
    assert "功能建设中" not in html


def test_it_lists_swaps_waiting_for_his_answer(world, duty):
    li = actor(duty.users[1])
    shift = duty.shift(dt.date(2026, 10, 14), duty.people[1])
    swaps.swap_request(actor=li, assignment=duty.assignment(shift, duty.people[1]),
                       counterpart=duty.people[0], reason="培训")  # fmt: skip
    html = _phone(world).get(reverse("mobile:duty")).content.decode()
    assert 'data-testid="duty-to-answer"' in html
    assert "a李二 请您代班" in html


def test_it_shows_a_shift_with_place_time_and_names_but_no_phone_numbers(world, duty):
    world.a.station.phone = "0375-1234567"
    world.a.station.save()
    mine = duty.assignment(duty.next, duty.people[0])
    html = _phone(world).get(reverse("mobile:duty_shift", args=[mine.pk])).content.decode()
    assert "2026年9月30日" in html and "09:00—12:00" in html
    assert world.a.station.address in html and "0375-1234567" in html
    assert "a王三" in html
    for person in duty.people:
        assert person.phone not in html
    assert 'data-testid="swap-form"' in html


def test_it_offers_no_swap_for_a_shift_checked_in_or_past(world, duty):
    present = duty.assignment(duty.present, duty.people[0])
    html = _phone(world).get(reverse("mobile:duty_shift", args=[present.pk])).content.decode()
    assert 'data-testid="swap-form"' not in html and "到岗" in html


@pytest.mark.parametrize("which", ["another_persons", "unpublished", "another_township"])
def test_it_answers_404_for_a_shift_not_his_own_published_one(world, duty, which):
    if which == "another_persons":
        target = duty.assignment(duty.today, duty.people[1])
    elif which == "unpublished":
        Roster.objects.filter(pk=duty.roster.pk).update(status=Roster.Status.PROPOSED)
        target = duty.assignment(duty.next, duty.people[0])
    else:
        other = make_duty(world.b, tag="b")
        target = other.assignment(other.shift(dt.date(2026, 9, 30), world.b.deputy), world.b.deputy)
    assert _phone(world).get(reverse("mobile:duty_shift", args=[target.pk])).status_code == 404


def test_it_lets_him_take_leave_and_cancel_it_on_the_phone(world, duty):
    phone = _phone(world)
    url = reverse("mobile:duty_leave")
    response = phone.post(url, {"station": "", "starts_on": "2026-09-30", "ends_on": "2026-10-02",
                                "reason": "出差"})  # fmt: skip
    assert response.status_code == 302
    leave = DutyLeave.objects.get()
    assert leave.person == world.a.deputy and leave.station is None
    assert "1 个班次" in phone.get(url).content.decode()  # Wednesday is already his
    response = phone.post(url, {"station": "", "starts_on": "2026-09-01", "ends_on": "2026-09-02"})
    assert "开始日期不能早于今天" in str(response.context["form"].errors["starts_on"])
    phone.post(url, {"cancel": leave.pk})
    assert not DutyLeave.objects.exists()


def test_it_keeps_others_leave_out_of_his_hands(world, duty):
    theirs = DutyLeave.objects.create(person=duty.people[1], starts_on=TODAY, ends_on=TODAY)
    assert (
        _phone(world).post(reverse("mobile:duty_leave"), {"cancel": theirs.pk}).status_code == 404
    )
    assert DutyLeave.objects.filter(pk=theirs.pk).exists()


def test_it_shows_todays_shift_on_his_home(world, duty):
    html = _phone(world).get("/").content.decode()
    assert "今日值班" in html
    mine = duty.assignment(duty.today, duty.people[0])
    assert reverse("mobile:duty_shift", args=[mine.pk]) in html


def test_it_shows_the_next_shift_on_his_home_when_none_today(world, duty):
    Assignment.objects.filter(shift=duty.today).delete()
    html = _phone(world).get("/").content.decode()
    assert "下一次值班" in html and "9月30日" in html


def test_it_tells_a_deputy_outside_any_pool_what_happens(world):
    html = _phone(world).get(reverse("mobile:duty")).content.decode()
    assert "您还不在联络站的值班人员库中" in html
    assert "近期没有安排您值班" in _phone(world).get("/").content.decode()


@pytest.mark.parametrize("name", ["mobile:duty", "mobile:duty_swaps", "mobile:duty_leave"])
def test_it_answers_404_to_staff_on_the_phone_pages(world, name):
    client = world.client_for(world.a.station_staff, Role.STATION)
    assert client.get(reverse(name)).status_code == 404
