"""Attendance (DUTY-3): staff confirmation and leave, the 空岗 flag raised once the same day and
told, absences after the day, repeated absences escalated once, the window units' report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.activities.duty import attendance
from lianxin.activities.models import Assignment, Shift
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.common.sweeps import registered
from lianxin.notifications.kinds import kinds
from lianxin.notifications.models import Notification
from tests.activities.conftest_attend import at, post, roster, shift
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 4)


@pytest.fixture
def duty(world):
    t = world.a
    r = roster(t.room, start=dt.date(2025, 12, 1), end=dt.date(2026, 3, 31))
    s = shift(r, DAY, needs={"deputy": 2})
    other = PersonFactory(name="甲镇值班代表", region=t.region)
    return t, r, s, post(s, t.deputy), post(s, other)


def _notices(kind):
    return Notification.objects.filter(kind=kind)


# --- 空岗 --------------------------------------------------------------------------------------


def test_it_flags_an_empty_post_once_the_same_day_and_tells_the_station_and_office(duty):
    t, _r, s, _mine, other = duty
    Assignment.objects.filter(pk=other.pk).update(
        status=Assignment.Status.PRESENT, checked_in_at=at(DAY, 8, 55)
    )
    assert attendance.flag_empty_posts(now=at(DAY, 9, 29)) == 0
    assert attendance.flag_empty_posts(now=at(DAY, 9, 30)) == 1
    s.refresh_from_db()
    assert s.empty_flagged_at == at(DAY, 9, 30)
    told = {n.recipient for n in _notices(attendance.EMPTY_KIND)}
    assert told == {t.station_staff, t.office}
    notice = _notices(attendance.EMPTY_KIND).first()
    assert "空岗提醒" in notice.title and t.deputy.name in notice.body
    assert attendance.flag_empty_posts(now=at(DAY, 10, 30)) == 0  # once
    assert _notices(attendance.EMPTY_KIND).count() == 2
    s.refresh_from_db()
    assert s.empty_flagged_at == at(DAY, 9, 30)


def test_it_does_not_flag_a_full_shift_or_another_days(duty):
    t, r, s, _mine, _other = duty
    Assignment.objects.filter(shift=s).update(
        status=Assignment.Status.PRESENT, checked_in_at=at(DAY, 8, 55)
    )
    yesterday = shift(r, DAY - dt.timedelta(days=1))
    post(yesterday, t.deputy)
    assert attendance.flag_empty_posts(now=at(DAY, 11)) == 0
    assert not Shift.objects.filter(empty_flagged_at__isnull=False).exists()


def test_it_flags_a_post_nobody_was_assigned_to(duty):
    _t, _r, s, _mine, _other = duty
    Assignment.objects.filter(shift=s).update(
        status=Assignment.Status.PRESENT, checked_in_at=at(DAY, 8, 55)
    )
    Shift.objects.filter(pk=s.pk).update(needs={"deputy": 3})
    assert attendance.flag_empty_posts(now=at(DAY, 9, 45)) == 1
    assert "1 个岗位未安排人员" in _notices(attendance.EMPTY_KIND).first().body


def test_it_waits_as_long_as_configured(duty, settings):
    settings.LIANXIN_DUTY_EMPTY_AFTER_MINUTES = 60
    assert attendance.flag_empty_posts(now=at(DAY, 9, 45)) == 0
    assert attendance.flag_empty_posts(now=at(DAY, 10, 0)) == 1


def test_it_registers_its_sweeps_and_notice_kinds():
    assert {"duty.empty_posts", "duty.absences"} <= set(registered())
    assert {attendance.EMPTY_KIND, attendance.ABSENCE_KIND} <= set(kinds())


# --- Absences ------------------------------------------------------------------------------------


def test_it_records_absences_after_the_day_and_leaves_the_rest(duty):
    _t, _r, _s, mine, other = duty
    Assignment.objects.filter(pk=other.pk).update(
        status=Assignment.Status.PRESENT, checked_in_at=at(DAY, 8, 55)
    )
    assert attendance.record_absences(now=at(DAY, 23, 59))["absent"] == 0
    counts = attendance.record_absences(now=at(DAY + dt.timedelta(days=1), 0, 5))
    assert counts["absent"] == 1
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == Assignment.Status.ABSENT
    assert other.status == Assignment.Status.PRESENT
    again = attendance.record_absences(now=at(DAY + dt.timedelta(days=1), 0, 10))
    assert again == {"absent": 0, "escalated": 0}


def test_it_escalates_repeated_absences_to_the_office_once(duty):
    t, r, _s, _mine, other = duty
    Assignment.objects.filter(pk=other.pk).update(
        status=Assignment.Status.PRESENT, checked_in_at=at(DAY, 8, 55)
    )
    earlier = shift(r, DAY - dt.timedelta(days=28))
    post(earlier, t.deputy)
    first = attendance.record_absences(now=at(DAY - dt.timedelta(days=27), 1))
    assert first == {"absent": 1, "escalated": 0}  # one absence: not yet
    second = attendance.record_absences(now=at(DAY + dt.timedelta(days=1), 1))
    assert second == {"absent": 1, "escalated": 1}
    notices = _notices(attendance.ABSENCE_KIND)
    assert [n.recipient for n in notices] == [t.office]
    assert "缺岗 2 次" in notices.get().title
    assert AuditEntry.objects.filter(note="多次值班缺岗，已报告人大机关").count() == 1
    # A third absence in the same streak is not escalated again.
    third = shift(r, DAY + dt.timedelta(days=7))
    post(third, t.deputy)
    assert attendance.record_absences(now=at(DAY + dt.timedelta(days=8), 1))["escalated"] == 0
    assert notices.count() == 1


def test_it_escalates_again_after_the_window(duty, settings):
    t, r, _s, _mine, other = duty
    settings.LIANXIN_DUTY_ABSENCE_ESCALATE = 1
    Assignment.objects.filter(pk=other.pk).update(status=Assignment.Status.EXCUSED)
    assert attendance.record_absences(now=at(DAY + dt.timedelta(days=1), 1))["escalated"] == 1
    later = shift(r, DAY + dt.timedelta(days=100))
    post(later, t.deputy)
    with time_machine.travel(at(DAY + dt.timedelta(days=120), 1), tick=False):
        # The notices are dated when sent: travel so the first lies outside the window.
        Notification.objects.update(created_at=at(DAY + dt.timedelta(days=1), 1))
        assert attendance.record_absences()["escalated"] == 1


# --- Staff confirmation and leave ---------------------------------------------------------------


def test_it_lets_station_staff_confirm_a_deputy_without_a_phone(duty):
    t, _r, _s, mine, _other = duty
    staff = actor_for(t.station_staff)
    done = attendance.confirm_present(actor=staff, assignment=mine, now=at(DAY, 9, 10))
    assert done.status == Assignment.Status.PRESENT
    assert done.method == Assignment.Method.STAFF
    assert done.confirmed_by == t.station_staff
    assert done.checked_in_at == at(DAY, 9, 10)
    with pytest.raises(Conflict):
        attendance.confirm_present(actor=staff, assignment=mine, now=at(DAY, 9, 11))


def test_it_refuses_a_confirmation_before_the_day_or_for_a_past_day_without_a_time(duty):
    t, _r, _s, mine, _other = duty
    staff = actor_for(t.station_staff)
    with pytest.raises(DomainError, match="还未到值班日期"):
        attendance.confirm_present(
            actor=staff, assignment=mine, now=at(DAY - dt.timedelta(days=1), 9)
        )
    later = at(DAY + dt.timedelta(days=2), 9)
    with pytest.raises(DomainError, match="请填写到岗时间"):
        attendance.confirm_present(actor=staff, assignment=mine, now=later)
    with pytest.raises(DomainError, match="之间"):
        attendance.confirm_present(actor=staff, assignment=mine, arrived_at=dt.time(14), now=later)
    done = attendance.confirm_present(
        actor=staff, assignment=mine, arrived_at=dt.time(9, 5), now=later
    )
    assert done.checked_in_at == at(DAY, 9, 5)


def test_it_refuses_a_deputy_or_another_township_confirming(world, duty):
    t, _r, _s, mine, _other = duty
    for user in (t.deputy_user, world.b.station_staff, t.unit_staff):
        with pytest.raises(NotAllowed):
            attendance.confirm_present(actor=actor_for(user), assignment=mine, now=at(DAY, 9))
    mine.refresh_from_db()
    assert mine.status == Assignment.Status.SCHEDULED


def test_it_marks_a_post_excused_with_a_note(duty):
    t, _r, _s, mine, other = duty
    staff = actor_for(t.office)
    with pytest.raises(DomainError, match="请填写请假说明"):
        attendance.mark_excused(actor=staff, assignment=mine, note="  ")
    done = attendance.mark_excused(actor=staff, assignment=mine, note="住院治疗")
    assert (done.status, done.absence_note) == (Assignment.Status.EXCUSED, "住院治疗")
    attendance.confirm_present(actor=staff, assignment=other, now=at(DAY, 9))
    with pytest.raises(DomainError, match="已到岗"):
        attendance.mark_excused(actor=staff, assignment=other, note="病假")


def test_it_confirms_and_excuses_through_the_days_page(world, duty):
    t, _r, _s, mine, other = duty
    client = world.client_for(t.station_staff, Role.STATION)
    with time_machine.travel(at(DAY, 9, 40), tick=False):
        page = client.get(reverse("duty:station_today", args=[t.room.pk]))
        body = page.content.decode()
        assert t.deputy.name in body and "确认到岗" in body and "登记请假" in body
        response = client.post(
            reverse("duty:assignment_confirm", args=[mine.pk]), {"arrived_at": "09:02"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"?date={DAY.isoformat()}")
        refused = client.post(reverse("duty:assignment_excuse", args=[other.pk]), {"note": ""})
        assert refused.status_code == 302
        follow = client.get(refused["Location"]).content.decode()
        assert "请填写请假说明" in follow
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.checked_in_at == at(DAY, 9, 2) and mine.method == Assignment.Method.STAFF
    assert other.status == Assignment.Status.SCHEDULED


def test_it_keeps_the_days_page_from_deputies_and_other_townships(world, duty):
    t = duty[0]
    url = reverse("duty:station_today", args=[t.room.pk])
    assert world.client_for(t.deputy_user, Role.DEPUTY).get(url).status_code == 404
    assert world.client_for(world.b.office, Role.OFFICE).get(url).status_code == 404
    assert world.client_for(t.office, Role.OFFICE).get(url).status_code == 200


# --- Absence pages --------------------------------------------------------------------------------


def test_it_lists_absences_by_month_and_person(world, duty):
    t, r, _s, mine, other = duty
    Assignment.objects.filter(pk__in=[mine.pk, other.pk]).update(status=Assignment.Status.ABSENT)
    feb = post(shift(r, dt.date(2026, 2, 4)), t.deputy, status=Assignment.Status.ABSENT)
    client = world.client_for(t.office, Role.OFFICE)
    url = reverse("duty:absence_list")
    body = client.get(url).content.decode()
    assert body.count(t.deputy.name) >= 2 and "甲镇值班代表" in body
    march = client.get(url, {"month": "2026-03", "person": t.deputy.name}).content.decode()
    assert "2026-03-04" in march and "2026-02-04" not in march and "甲镇值班代表" not in march
    assert (
        world.client_for(world.b.office, Role.OFFICE).get(url).content.decode().count(t.deputy.name)
        == 0
    )
    person = client.get(reverse("duty:person_absences", args=[t.deputy.pk])).content.decode()
    assert "2026-02-04" in person and "2026-03-04" in person
    assert feb.pk


def test_it_shows_a_deputy_his_own_absences_only(world, duty):
    t, _r, _s, mine, other = duty
    Assignment.objects.filter(pk__in=[mine.pk, other.pk]).update(status=Assignment.Status.ABSENT)
    body = world.client_for(t.deputy_user, Role.DEPUTY).get(reverse("duty:absence_list"))
    assert body.status_code == 200
    text = body.content.decode()
    assert t.deputy.name in text and "甲镇值班代表" not in text


# --- The window units' report --------------------------------------------------------------------


@pytest.fixture
def units(world):
    t = world.a
    r = roster(t.station, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), name="零断档")
    land = UnitFactory(region=t.region, parent=t.unit, name="不动产登记窗口")
    social = UnitFactory(region=t.region, name="社保医保窗口")
    heads = {u: PersonFactory(name=f"{u.name}负责人", region=t.region) for u in (land, social)}
    days = [dt.date(2026, 3, d) for d in (2, 3, 4, 5)]
    statuses = {
        land: ["on_time", "late", "absent", "excused"],
        social: ["on_time", "on_time", "on_time", "absent"],
    }
    shifts = {day: shift(r, day, needs={"unit_head": 2}) for day in days}
    for unit, marks in statuses.items():
        for day, mark in zip(days, marks, strict=True):
            status = {"on_time": "present", "late": "present"}.get(mark, mark)
            checked = {"on_time": at(day, 9, 5), "late": at(day, 10, 0)}.get(mark)
            post(shifts[day], heads[unit], role=DutyRole.UNIT_HEAD, unit=unit, status=status,
                 checked_in_at=checked)  # fmt: skip
    # A shift after "today" (the 6th) is not counted yet.
    post(shift(r, dt.date(2026, 3, 20)), heads[land], role=DutyRole.UNIT_HEAD, unit=land)
    return t, land, social


def test_it_reports_window_units_attendance_by_month(world, units):
    t, _land, _social = units
    rows = {
        r.unit: r
        for r in attendance.unit_report(
            actor_for(t.office), dt.date(2026, 3, 1), now=at(dt.date(2026, 3, 6), 9)
        )
    }
    assert set(rows) == {"不动产登记窗口", "社保医保窗口"}
    land_row = rows["不动产登记窗口"]
    assert (
        land_row.posts,
        land_row.present,
        land_row.on_time,
        land_row.absent,
        land_row.excused,
    ) == (4, 2, 1, 1, 1)
    assert land_row.rate_text == "66.7%"
    assert rows["社保医保窗口"].rate_text == "75.0%"


def test_it_shows_a_unit_its_own_report_only(world, units):
    t, _land, _social = units
    # The unit's account is the township government: the land window sits under it.
    rows = attendance.unit_report(
        actor_for(t.unit_staff), dt.date(2026, 3, 1), now=at(dt.date(2026, 3, 6), 9)
    )
    assert [r.unit for r in rows] == ["不动产登记窗口"]
    assert attendance.unit_report(actor_for(world.b.office), dt.date(2026, 3, 1)) == []


def test_it_exports_the_units_report_as_text_cells(world, units):
    t, _land, _social = units
    client = world.client_for(t.office, Role.OFFICE)
    with time_machine.travel(at(dt.date(2026, 3, 6), 9), tick=False):
        page = client.get(reverse("duty:unit_report"), {"month": "2026-03"}).content.decode()
        response = client.get(reverse("duty:unit_report_export"), {"month": "2026-03"})
    assert "不动产登记窗口" in page and "66.7%" in page
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["单位", "应到", "到岗"]
    assert ["不动产登记窗口", "4", "2", "1", "1", "1", "66.7%"] in values
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value is not None)


def test_it_keeps_the_units_report_from_deputies(world, units):
    t = units[0]
    client = world.client_for(t.deputy_user, Role.DEPUTY)
    assert client.get(reverse("duty:unit_report")).status_code == 404
