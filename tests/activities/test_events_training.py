"""Training (ACT-3): classes are activities of kind 学习培训 linked to a training plan; the plan
shows classes held against planned and the attendance of each class."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.activities import events
from lianxin.activities.models import Activity, Participant, TrainingPlan
from tests.activities.conftest_events import activity
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _plan(t):
    return TrainingPlan.objects.create(
        congress=t.congress, year=2026, title="新任代表培训", level=4, theme="初任培训",
        planned_classes=3,
    )  # fmt: skip


def test_attendance_per_class_and_classes_held_against_planned(world):
    t = world.a
    plan = _plan(t)
    office = actor_for(t.office)
    first = activity(t, dt.date(2026, 3, 3), kind="training", training_plan=plan, title="第一期")
    second = activity(t, dt.date(2026, 4, 7), kind="training", training_plan=plan, title="第二期")
    others = [PersonFactory(name=f"学员{i}", region=t.region) for i in range(3)]
    events.invite(actor=office, activity=first, persons=[t.deputy, *others])
    for p in first.participants.all()[:3]:
        events.mark(actor=office, participant=p, attendance=Participant.Attendance.PRESENT)
    events.mark_held(actor=office, activity=first)
    summary = events.training_summary(plan)
    assert (summary.planned, summary.held) == (3, 1)
    rates = {c.activity.title: c.rate for c in summary.classes}
    assert rates == {"第一期": 75, "第二期": None}
    events.cancel_activity(actor=office, activity=second)
    assert [c.activity.title for c in events.training_summary(plan).classes] == ["第一期"]


def test_only_a_training_may_join_a_training_plan(world):
    t = world.a
    plan = _plan(t)
    client = world.client_for(t.office, Role.OFFICE)
    response = client.post(
        reverse("activities:event_create"),
        {
            "kind": "stool",
            "title": "误归培训计划",
            "station": t.station.pk,
            "training_plan": plan.pk,
            "place": "站内",
            "starts_at": "2026-05-13T09:00",
            "ends_at": "2026-05-13T11:00",
        },
    )
    assert response.status_code == 200
    assert "只有学习培训才能归入培训计划" in response.content.decode()
    assert not Activity.objects.exists()
