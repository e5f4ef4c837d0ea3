"""Activities organised by staff (ACT-1): creation from the staff page, invitations, sign-in
by the changing QR code (today's code signs in, a stale one is refused), the organiser's
marks, collected opinions filed as cases linked to the activity, the paged list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import events
from lianxin.activities.duty import checkin
from lianxin.activities.models import Activity, ActivityCase, Participant
from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case, Category
from tests.activities.conftest_events import activity, at
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 13)


def _staff(world):
    return world.client_for(world.a.station_staff, Role.STATION)


def test_station_staff_create_an_activity_from_the_page(world):
    t = world.a
    response = _staff(world).post(
        reverse("activities:event_create"),
        {
            "kind": "stool",
            "title": "村口小板凳议事",
            "station": t.station.pk,
            "place": "一村村委会",
            "starts_at": "2026-05-13T09:00",
            "ends_at": "2026-05-13T11:00",
        },
    )
    assert response.status_code == 302
    a = Activity.objects.get(title="村口小板凳议事")
    assert a.region == t.region and a.created_by == t.station_staff
    assert a.approval == Activity.Approval.NOT_NEEDED
    assert AuditEntry.objects.filter(object_type="activities.activity", object_id=str(a.pk))
    detail = _staff(world).get(reverse("activities:event_detail", args=[a.pk]))
    assert "村口小板凳议事" in detail.content.decode()


def test_bad_input_shows_chinese_messages_and_changes_nothing(world):
    t = world.a
    response = _staff(world).post(
        reverse("activities:event_create"),
        {
            "kind": "stool",
            "title": "时间倒置",
            "station": t.station.pk,
            "place": "一村",
            "starts_at": "2026-05-13T11:00",
            "ends_at": "2026-05-13T09:00",
        },
    )
    assert response.status_code == 200
    assert "结束时间不能早于开始时间" in response.content.decode()
    assert not Activity.objects.filter(title="时间倒置").exists()


def test_another_townships_station_cannot_be_chosen(world):
    response = _staff(world).post(
        reverse("activities:event_create"),
        {
            "kind": "stool",
            "title": "越界",
            "station": world.b.station.pk,
            "place": "乙镇",
            "starts_at": "2026-05-13T09:00",
            "ends_at": "2026-05-13T11:00",
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.filter(title="越界").exists()


def test_inviting_the_stations_deputies_in_one_step(world):
    a = activity(world.a, DAY)
    response = _staff(world).post(
        reverse("activities:event_invite", args=[a.pk]), {"station_deputies": "on"}
    )
    assert response.status_code == 302
    assert list(a.participants.values_list("person", flat=True)) == [world.a.deputy.pk]


def _sign_in(world, a, code, moment):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    with time_machine.travel(moment, tick=False):
        return client.get(events.signin_path(a, code))


def test_todays_code_signs_the_deputy_in(world):
    a = activity(world.a, DAY)
    Participant.objects.create(activity=a, person=world.a.deputy)
    moment = at(DAY, 9, 10)
    response = _sign_in(world, a, events.current_code(a, moment), moment)
    assert "签到成功" in response.content.decode()
    p = a.participants.get()
    assert p.attendance == Participant.Attendance.PRESENT and p.invited
    assert p.method == Participant.Method.SCREEN and p.signed_in_at == moment


def test_a_stale_code_is_refused_with_a_clear_message(world):
    a = activity(world.a, DAY)
    Participant.objects.create(activity=a, person=world.a.deputy)
    moment = at(DAY, 9, 40)
    stale = events.current_code(a, moment - dt.timedelta(minutes=3 * checkin.window_minutes()))
    response = _sign_in(world, a, stale, moment)
    assert "签到码无效或已过期" in response.content.decode()
    assert a.participants.get().attendance == Participant.Attendance.INVITED


def test_a_code_of_another_activity_is_refused(world):
    a = activity(world.a, DAY)
    other = activity(world.a, DAY, title="另一场")
    moment = at(DAY, 9, 10)
    response = _sign_in(world, a, events.current_code(other, moment), moment)
    assert "签到码无效" in response.content.decode()
    assert not a.participants.exists()


def test_a_deputy_not_invited_signs_in_as_a_walk_in(world):
    a = activity(world.a, DAY)
    moment = at(DAY, 10)
    response = _sign_in(world, a, events.current_code(a, moment), moment)
    assert "签到成功" in response.content.decode()
    p = a.participants.get()
    assert p.person == world.a.deputy and not p.invited


def test_the_organiser_marks_attendance(world):
    a = activity(world.a, DAY)
    p = Participant.objects.create(activity=a, person=world.a.deputy)
    _staff(world).post(
        reverse("activities:participant_mark", args=[p.pk]), {"attendance": "excused"}
    )
    p.refresh_from_db()
    assert p.attendance == Participant.Attendance.EXCUSED
    _staff(world).post(
        reverse("activities:participant_mark", args=[p.pk]), {"attendance": "present"}
    )
    p.refresh_from_db()
    assert p.attendance == Participant.Attendance.PRESENT
    assert p.method == Participant.Method.ORGANISER


def test_the_signin_screen_shows_a_qr_code(world):
    a = activity(world.a, DAY)
    response = _staff(world).get(reverse("activities:event_signin_screen", args=[a.pk]))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_collected_opinions_become_cases_linked_to_the_activity(world):
    t = world.a
    a = activity(t, DAY)
    Participant.objects.create(
        activity=a, person=t.deputy, attendance="present", signed_in_at=at(DAY, 9)
    )
    roads = Category.objects.create(region=t.county, code="roads", name="道路")
    data = {
        "op-TOTAL_FORMS": "3",
        "op-INITIAL_FORMS": "0",
        "op-MIN_NUM_FORMS": "0",
        "op-MAX_NUM_FORMS": "30",
        "op-0-category": roads.pk,
        "op-0-text": "村口道路坑洼，雨天积水",
        "op-0-name": "王大妈",
        "op-0-phone": "13900001111",
        "op-1-category": roads.pk,
        "op-1-text": "路灯不亮",
    }
    response = _staff(world).post(reverse("activities:event_opinions", args=[a.pk]), data)
    assert response.status_code == 302
    links = ActivityCase.objects.filter(activity=a)
    assert links.count() == 2
    cases = Case.objects.filter(activity__activity=a)
    assert {c.channel for c in cases} == {Case.Channel.FORUM}
    assert {c.deputy_id for c in cases} == {t.deputy.pk}
    assert {c.station_id for c in cases} == {t.station.pk}
    detail = _staff(world).get(reverse("activities:event_detail", args=[a.pk])).content.decode()
    for c in cases:
        assert c.number in detail


def test_an_opinion_without_text_files_nothing(world):
    t = world.a
    a = activity(t, DAY)
    roads = Category.objects.create(region=t.county, code="roads", name="道路")
    data = {
        "op-TOTAL_FORMS": "2",
        "op-INITIAL_FORMS": "0",
        "op-MIN_NUM_FORMS": "0",
        "op-MAX_NUM_FORMS": "30",
        "op-0-category": roads.pk,
        "op-0-text": "好的意见",
        "op-1-category": roads.pk,
        "op-1-text": "",
    }
    response = _staff(world).post(reverse("activities:event_opinions", args=[a.pk]), data)
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_the_list_filters_and_pages(world):
    t = world.a
    for i in range(23):
        activity(t, DAY, title=f"议事{i}")
    activity(t, dt.date(2026, 6, 2), title="六月培训", kind="training")
    client = _staff(world)
    page1 = client.get(reverse("activities:event_list")).content.decode()
    assert "第 1 / 2 页" in page1
    june = client.get(reverse("activities:event_list"), {"month": "2026-06"}).content.decode()
    assert "六月培训" in june and "议事1<" not in june
    kind = client.get(reverse("activities:event_list"), {"kind": "training"}).content.decode()
    assert "六月培训" in kind and "议事2<" not in kind
    bad = client.get(reverse("activities:event_list"), {"month": "xx"})
    assert bad.status_code == 200 and "月份格式" in bad.content.decode()


def test_another_township_does_not_see_the_activity(world):
    a = activity(world.a, DAY)
    client = world.client_for(world.b.station_staff, Role.STATION)
    assert client.get(reverse("activities:event_detail", args=[a.pk])).status_code == 404


def test_cancelling(world):
    a = activity(world.a, DAY)
    _staff(world).post(reverse("activities:event_cancel", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == Activity.Status.CANCELLED
    assert not events.counts(a)


def test_invite_refuses_persons_out_of_reach(world):
    from lianxin.accounts.permissions import actor_for

    a = activity(world.a, DAY)
    outsider = PersonFactory(name="外人", region=world.b.region)
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        events.invite(actor=actor_for(world.a.station_staff), activity=a, persons=[outsider])
    assert not a.participants.exists()
