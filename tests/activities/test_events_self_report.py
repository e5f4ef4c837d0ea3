"""A deputy's self-reported activity (PERF-3): he reports it from his phone, it is pending and
does not count; his station's staff approve (it counts) or reject it with a note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import events
from lianxin.activities.models import Activity, Participant
from tests.activities.conftest_events import activity

pytestmark = pytest.mark.django_db


def _deputy(world):
    return world.client_for(world.a.deputy_user, Role.DEPUTY)


def _report(world, **extra):
    data = {
        "kind": "constituency",
        "title": "走访一村困难户",
        "day": "2026-03-02",
        "place": "一村",
        "content": "走访三户，了解冬季取暖情况。",
    }
    data.update(extra)
    return _deputy(world).post(reverse("mobile:activity_report"), data)


def test_a_deputy_reports_an_activity_and_it_waits_for_approval(world):
    response = _report(world)
    assert response.status_code == 302
    a = Activity.objects.get(title="走访一村困难户")
    assert a.approval == Activity.Approval.PENDING
    assert a.station == world.a.room  # his station (a contact room under the station)
    p = a.participants.get()
    assert p.person == world.a.deputy and p.method == Participant.Method.SELF
    assert not events.counts(a)
    assert a not in events.counted_activities()
    mine = _deputy(world).get(reverse("mobile:activities")).content.decode()
    assert "走访一村困难户" in mine and "待审核" in mine


def test_a_future_date_is_refused(world):
    response = _report(world, day="2099-01-01")
    assert response.status_code == 200
    assert "活动日期不能晚于今天" in response.content.decode()
    assert not Activity.objects.exists()


def test_missing_fields_are_named(world):
    response = _report(world, title="", kind="")
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_station_approves_and_then_it_counts(world):
    _report(world)
    a = Activity.objects.get()
    staff = world.client_for(world.a.station_staff, Role.STATION)
    pending = staff.get(reverse("activities:event_pending")).content.decode()
    assert "走访一村困难户" in pending
    staff.post(reverse("activities:event_decide", args=[a.pk]), {"approve": "1", "note": ""})
    a.refresh_from_db()
    assert a.approval == Activity.Approval.APPROVED and a.approved_by == world.a.station_staff
    assert events.counts(a)
    assert "走访一村困难户" not in staff.get(reverse("activities:event_pending")).content.decode()


def test_a_rejection_needs_a_note(world):
    _report(world)
    a = Activity.objects.get()
    staff = world.client_for(world.a.station_staff, Role.STATION)
    staff.post(reverse("activities:event_decide", args=[a.pk]), {"reject": "1", "note": ""})
    a.refresh_from_db()
    assert a.approval == Activity.Approval.PENDING
    staff.post(
        reverse("activities:event_decide", args=[a.pk]), {"reject": "1", "note": "请补充照片"}
    )
    a.refresh_from_db()
    assert a.approval == Activity.Approval.REJECTED and a.approval_note == "请补充照片"
    assert not events.counts(a)
    assert "请补充照片" in _deputy(world).get(reverse("mobile:activities")).content.decode()


def test_another_townships_staff_cannot_approve(world):
    _report(world)
    a = Activity.objects.get()
    other = world.client_for(world.b.station_staff, Role.STATION)
    response = other.post(reverse("activities:event_decide", args=[a.pk]), {"approve": "1"})
    assert response.status_code == 404
    a.refresh_from_db()
    assert a.approval == Activity.Approval.PENDING


def test_the_deputy_lists_activities_he_was_invited_to(world):
    a = activity(world.a, dt.date(2026, 4, 1), title="普法讲堂")
    Participant.objects.create(activity=a, person=world.a.deputy)
    page = _deputy(world).get(reverse("mobile:activities")).content.decode()
    assert "普法讲堂" in page and "已邀请" in page
