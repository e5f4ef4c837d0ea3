"""Group minimums (ACT-2): per group and calendar year (Beijing time), the group's activities
that count and its research reports against the congress's figures; a warning when behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import events
from lianxin.activities.models import Activity, Quota
from lianxin.holidays.deadlines import BEIJING
from tests.activities.conftest_events import activity, group

pytestmark = pytest.mark.django_db


def _held(t, g, moment, **extra):
    return activity(
        t,
        moment.date(),
        kind="group",
        group=g,
        starts_at=moment,
        ends_at=moment,
        status=Activity.Status.HELD,
        **extra,
    )


def test_new_years_eve_late_evening_counts_in_that_year(world):
    t = world.a
    g = group(t)
    _held(t, g, dt.datetime(2025, 12, 31, 23, 30, tzinfo=BEIJING))  # 15:30 UTC
    _held(t, g, dt.datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING))  # still 2025 in UTC
    (y2025,) = events.group_minimums([g], 2025, today=dt.date(2026, 3, 1))
    (y2026,) = events.group_minimums([g], 2026, today=dt.date(2026, 3, 1))
    assert (y2025.activities, y2026.activities) == (1, 1)


def test_pending_rejected_and_cancelled_do_not_count(world):
    t = world.a
    g = group(t)
    moment = dt.datetime(2026, 2, 1, 9, tzinfo=BEIJING)
    _held(t, g, moment, report_title="关于农村道路的调研报告")
    _held(t, g, moment, approval=Activity.Approval.PENDING)
    _held(t, g, moment, approval=Activity.Approval.REJECTED)
    cancelled = _held(t, g, moment)
    Activity.objects.filter(pk=cancelled.pk).update(status=Activity.Status.CANCELLED)
    (row,) = events.group_minimums([g], 2026, today=dt.date(2026, 2, 10))
    assert (row.activities, row.reports) == (1, 1)


def test_behind_pace_warns_and_the_congress_figure_is_used(world):
    t = world.a
    g = group(t)
    _held(t, g, dt.datetime(2026, 2, 1, 9, tzinfo=BEIJING))
    (row,) = events.group_minimums([g], 2026, today=dt.date(2026, 4, 15))
    assert row.need_activities == 4 and not row.warn  # 1 by the end of March: on pace
    (row,) = events.group_minimums([g], 2026, today=dt.date(2026, 7, 15))
    assert row.warn and "活动" in row.behind  # 2 by the end of June
    Quota.objects.create(congress=t.congress, code="group_activities", value=1)
    Quota.objects.create(congress=t.congress, code="group_reports", value=0)
    (row,) = events.group_minimums([g], 2026, today=dt.date(2026, 10, 2))
    assert row.need_activities == 1 and not row.warn


def test_office_and_group_leader_see_the_page(world):
    t = world.a
    g = group(t)
    _held(t, g, dt.datetime(2026, 2, 1, 9, tzinfo=BEIJING))
    office = world.client_for(t.office, Role.OFFICE)
    page = office.get(reverse("activities:group_minimums"), {"year": "2026"}).content.decode()
    assert g.name in page and "尚未统计（建议模块上线后统计）" in page
    leader = world.client_for(t.deputy_user, Role.DEPUTY)
    mine = leader.get(reverse("mobile:activity_groups"), {"year": "2026"}).content.decode()
    assert g.name in mine
    other = world.client_for(world.b.office, Role.OFFICE)
    assert g.name not in other.get(reverse("activities:group_minimums")).content.decode()
