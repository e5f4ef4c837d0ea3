"""/api/v1/activities/ (API-1, ACT-1): within reach; staff create through the service (reach
of the organiser, validation in Chinese, audit); a deputy may read but not create."""

from __future__ import annotations

import datetime as dt

import pytest

from lianxin.accounts.models import Role
from lianxin.activities.models import Activity, Participant
from lianxin.audit.models import AuditEntry
from tests.activities.conftest_events import activity

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "reception",
    "title": "代表接待日",
    "place": "联络站",
    "starts_at": "2026-05-13T09:00:00+08:00",
    "ends_at": "2026-05-13T11:00:00+08:00",
}


def test_staff_create_an_activity_by_the_api(world):
    staff = world.client_for(world.a.station_staff, Role.STATION)
    response = staff.post(
        "/api/v1/activities/",
        {**BODY, "station": world.a.station.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    a = Activity.objects.get(pk=response.json()["id"])
    assert a.region == world.a.region and a.created_by == world.a.station_staff
    assert response.json()["counts"] is True
    assert AuditEntry.objects.filter(object_type="activities.activity", object_id=str(a.pk))


def test_the_api_refuses_an_organiser_out_of_reach_and_bad_times(world):
    staff = world.client_for(world.a.station_staff, Role.STATION)
    out = staff.post(
        "/api/v1/activities/",
        {**BODY, "station": world.b.station.pk},
        content_type="application/json",
    )
    assert out.status_code == 400
    bad = staff.post(
        "/api/v1/activities/",
        {**BODY, "station": world.a.station.pk, "ends_at": "2026-05-13T08:00:00+08:00"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "结束时间不能早于开始时间" in bad.content.decode()
    assert not Activity.objects.exists()


def test_a_deputy_reads_his_activities_but_cannot_create(world):
    mine = activity(world.a, dt.date(2026, 5, 1), title="我的活动")
    Participant.objects.create(activity=mine, person=world.a.deputy)
    activity(world.a, dt.date(2026, 5, 2), title="别人的活动")
    deputy = world.client_for(world.a.deputy_user, Role.DEPUTY)
    rows = deputy.get("/api/v1/activities/").json()["results"]
    assert [r["title"] for r in rows] == ["我的活动"]
    parts = deputy.get("/api/v1/activity-participants/").json()["results"]
    assert [p["person_name"] for p in parts] == [world.a.deputy.name]
    response = deputy.post(
        "/api/v1/activities/", {**BODY, "station": world.a.room.pk}, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    assert Activity.objects.count() == 2


def test_another_township_cannot_read_it(world):
    a = activity(world.a, dt.date(2026, 5, 1))
    other = world.client_for(world.b.office, Role.OFFICE)
    assert other.get(f"/api/v1/activities/{a.pk}/").status_code == 404
