"""Check-in by the station's rotating code (DUTY-3): today's code checks the deputy in, a photo
of yesterday's does not; a wrong station, no shift, out of the window, a replay each get a
clear message and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.activities.duty import checkin
from lianxin.activities.models import Assignment, Roster
from lianxin.audit.models import AuditEntry
from tests.activities.conftest_attend import at, post, roster, shift
from tests.factories import StationFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 4)  # a Wednesday, a working day


@pytest.fixture
def duty(world):
    t = world.a
    r = roster(t.room, start=DAY.replace(day=1), end=DAY.replace(day=31))
    s = shift(r, DAY)
    return t, s, post(s, t.deputy)


def _open(world, station, code, moment):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    with time_machine.travel(moment, tick=False):
        return client.get(checkin.checkin_path(station, code))


def _screen(station, moment):
    return checkin.current_screen_code(station, moment)


def test_it_checks_the_deputy_in_with_the_code_on_the_screen(world, duty):
    t, _s, a = duty
    moment = at(DAY, 8, 50)
    response = _open(world, t.room, _screen(t.room, moment), moment)
    assert response.status_code == 200
    assert "签到成功" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Assignment.Status.PRESENT
    assert a.method == Assignment.Method.SCREEN
    assert a.checked_in_at == moment
    assert AuditEntry.objects.filter(
        object_type="activities.assignment", object_id=str(a.pk)
    ).exists()


def test_it_checks_in_with_todays_printed_code(world, duty):
    t, _s, a = duty
    moment = at(DAY, 11, 30)
    response = _open(world, t.room, checkin.today_printed_code(t.room, moment), moment)
    assert "签到成功" in response.content.decode()
    a.refresh_from_db()
    assert (a.status, a.method) == (Assignment.Status.PRESENT, Assignment.Method.PRINTED)


def test_it_accepts_the_code_of_the_window_before_but_not_older(world, duty):
    t, _s, _a = duty
    moment = at(DAY, 9, 0)
    minutes = checkin.window_minutes()
    older = _screen(t.room, moment - dt.timedelta(minutes=2 * minutes))
    assert checkin.match(t.room.public_key, older, moment) is None
    before = _screen(t.room, moment - dt.timedelta(minutes=minutes))
    assert checkin.match(t.room.public_key, before, moment) == Assignment.Method.SCREEN


def test_it_refuses_yesterdays_printed_code(world, duty):
    t, _s, a = duty
    yesterday = checkin.today_printed_code(t.room, at(DAY - dt.timedelta(days=1), 9))
    response = _open(world, t.room, yesterday, at(DAY, 9, 5))
    body = response.content.decode()
    assert response.status_code == 200
    assert "签到码无效或已过期" in body and "签到成功" not in body
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED and a.checked_in_at is None


def test_it_refuses_yesterdays_screen_code_photographed_at_the_same_hour(world, duty):
    t, _s, a = duty
    photo = _screen(t.room, at(DAY - dt.timedelta(days=1), 9, 5))
    _open(world, t.room, photo, at(DAY, 9, 5))
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


def test_it_refuses_a_wrong_code(world, duty):
    t, _s, a = duty
    response = _open(world, t.room, "abcdefghijkl", at(DAY, 9, 5))
    assert "签到码无效或已过期" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


def test_it_refuses_another_stations_code_and_a_station_where_he_has_no_shift(world, duty):
    t, _s, a = duty
    other = StationFactory(region=t.region, name="甲镇二村联系群众工作室")
    moment = at(DAY, 9, 5)
    # The code of the station where he serves, opened against another station's key.
    wrong = _open(world, other, _screen(t.room, moment), moment)
    assert "签到码无效或已过期" in wrong.content.decode()
    # A valid code of the other station: he has no shift there today.
    elsewhere = _open(world, other, _screen(other, moment), moment)
    assert "您今天在本站没有值班安排" in elsewhere.content.decode()
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


def test_it_says_so_when_he_has_no_shift_today(world, duty):
    t, _s, a = duty
    moment = at(DAY + dt.timedelta(days=1), 9, 5)
    response = _open(world, t.room, _screen(t.room, moment), moment)
    assert "您今天在本站没有值班安排" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


def test_it_ignores_an_unpublished_roster(world):
    t = world.a
    draft = roster(t.room, start=DAY, end=DAY, status=Roster.Status.PROPOSED)
    a = post(shift(draft, DAY), t.deputy)
    moment = at(DAY, 9, 5)
    response = _open(world, t.room, _screen(t.room, moment), moment)
    assert "您今天在本站没有值班安排" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [(8, 0, "还未到签到时间"), (12, 1, "本班次已结束")],
)
def test_it_keeps_to_the_check_in_window(world, duty, hour, minute, words):
    t, _s, a = duty
    moment = at(DAY, hour, minute)
    response = _open(world, t.room, _screen(t.room, moment), moment)
    body = response.content.decode()
    assert words in body and "08:30" in body and "12:00" in body
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


def test_it_opens_the_window_as_configured(world, duty, settings):
    t, _s, a = duty
    settings.LIANXIN_DUTY_CHECKIN_EARLY_MINUTES = 90
    moment = at(DAY, 7, 45)
    _open(world, t.room, _screen(t.room, moment), moment)
    a.refresh_from_db()
    assert a.status == Assignment.Status.PRESENT


def test_it_answers_a_replay_by_the_same_deputy_with_already_checked_in(world, duty):
    t, _s, a = duty
    moment = at(DAY, 9, 1)
    code = _screen(t.room, moment)
    _open(world, t.room, code, moment)
    a.refresh_from_db()
    first = a.checked_in_at
    again = _open(world, t.room, code, moment + dt.timedelta(minutes=2))
    assert "您已于 09:01 签到，无需重复签到" in again.content.decode()
    a.refresh_from_db()
    assert a.checked_in_at == first
    assert AuditEntry.objects.filter(object_type="activities.assignment").count() == 1


def test_it_tells_an_excused_deputy_to_ask_the_staff(world, duty):
    t, _s, a = duty
    Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.EXCUSED)
    moment = at(DAY, 9, 5)
    response = _open(world, t.room, _screen(t.room, moment), moment)
    assert "已登记请假" in response.content.decode()


def test_it_sends_a_visitor_who_is_not_logged_in_to_the_login_and_back(client, duty):
    t, _s, a = duty
    path = checkin.checkin_path(t.room, "abcdefghijkl")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"] and "checkin" in response["Location"]
    a.refresh_from_db()
    assert a.status == Assignment.Status.SCHEDULED


def test_it_says_an_unknown_station_is_unknown(world, duty):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    response = client.get(reverse("mobile:duty_checkin", args=["nosuchstation", "abcdefghijkl"]))
    assert response.status_code == 200
    assert "没有找到这个联络站" in response.content.decode()


def test_it_shows_the_deputy_his_shift_of_today(world, duty):
    t, _s, _a = duty
    client = world.client_for(t.deputy_user, Role.DEPUTY)
    with time_machine.travel(at(DAY, 8, 0), tick=False):
        body = client.get(reverse("mobile:duty_checkin_home")).content.decode()
    assert t.room.name in body and "09:00–12:00" in body and "08:30 起可签到" in body


def test_it_shows_the_station_a_screen_whose_code_changes(world, duty):
    t, _s, _a = duty
    client = world.client_for(t.station_staff, Role.STATION)
    first = at(DAY, 9, 0)
    with time_machine.travel(first, tick=False):
        page = client.get(reverse("duty:checkin_screen", args=[t.room.pk])).content.decode()
    assert checkin.checkin_path(t.room, _screen(t.room, first)) in page
    assert 'hx-trigger="every 15s"' in page
    later = first + dt.timedelta(minutes=checkin.window_minutes())
    with time_machine.travel(later, tick=False):
        part = client.get(reverse("duty:checkin_screen_code", args=[t.room.pk])).content.decode()
    assert checkin.checkin_path(t.room, _screen(t.room, later)) in part
    assert _screen(t.room, first) not in part


def test_it_prints_a_code_for_the_day(world, duty):
    t, _s, _a = duty
    client = world.client_for(t.station_staff, Role.STATION)
    with time_machine.travel(at(DAY, 7, 0), tick=False):
        page = client.get(reverse("duty:checkin_printed", args=[t.room.pk])).content.decode()
    assert checkin.checkin_path(t.room, checkin.today_printed_code(t.room, at(DAY, 7))) in page
    assert "仅限 2026年3月4日 当天有效" in page


def test_it_keeps_the_screen_from_deputies_and_other_townships(world, duty):
    t, _s, _a = duty
    url = reverse("duty:checkin_screen", args=[t.room.pk])
    assert world.client_for(t.deputy_user, Role.DEPUTY).get(url).status_code == 404
    assert world.client_for(world.b.station_staff, Role.STATION).get(url).status_code == 404


def test_it_uses_a_key_of_its_own_when_one_is_set(world, duty, settings):
    t, _s, _a = duty
    moment = at(DAY, 9)
    before = _screen(t.room, moment)
    settings.LIANXIN_DUTY_CHECKIN_KEY = "a-key-only-for-check-in"
    assert _screen(t.room, moment) != before


def test_it_checks_in_through_the_service_for_an_actor(world, duty):
    t, _s, _a = duty
    moment = at(DAY, 9, 10)
    result = checkin.check_in(
        actor=actor_for(t.deputy_user),
        station_key=t.room.public_key,
        code=_screen(t.room, moment),
        now=moment,
    )
    assert result.outcome == checkin.Outcome.CHECKED_IN and result.ok
