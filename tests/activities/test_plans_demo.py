"""The demo's plans (ACT-1, ACT-3): the county office sees a training plan with a class held
(with its absences) and one ahead; the township station sees its annual plan month by month,
with the early months it left undone flagged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.activities import events
from lianxin.activities.models import ActivityPlan, TrainingPlan
from lianxin.common.demo import load_demo

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)


def test_the_demo_shows_plans_with_something_in_them():
    with time_machine.travel(TODAY, tick=False):
        load_demo()
        plan = TrainingPlan.objects.get(congress__region__name="郏县")
        summary = events.training_summary(plan)
        assert summary.held >= 1 and summary.upcoming >= 1
        assert any(c.absent and c.excused for c in summary.classes)
        office = Client()
        office.force_login(User.objects.get(username="jiaxian_office"))
        page = office.get(reverse("activities:training_detail", args=[plan.pk]))
        assert page.status_code == 200
        assert 'data-testid="trainee-row"' in page.content.decode()
        station_plan = ActivityPlan.objects.get(station__region__name="安良镇", year=2026)
        staff = Client()
        staff.force_login(User.objects.get(username="anliang_station"))
        body = staff.get(reverse("activities:plan_detail", args=[station_plan.pk])).content.decode()
    assert "计划未落实" in body  # March and June planned, nothing held
    assert "代表集中进站接待选民" in body and 'data-testid="held-activity"' in body
