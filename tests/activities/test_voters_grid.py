"""Grid duties (VOT-3): counted from the grid activities a deputy attended, approved or not
needing approval, per half month, month, quarter and year in Beijing dates — correct across the
year boundary; the deputy's own view on his phone and the staff's list of those behind."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import voters
from lianxin.activities.models.activity import Activity, Participant
from lianxin.directory.models import Grid, GridMember
from tests.activities.conftest_voters import BEIJING, station_actor

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 2, 20, 9, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _february():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grid(world):
    t = world.a
    g = Grid.objects.create(name="甲镇一村第一网格", region=t.village, station=t.station)
    GridMember.objects.create(grid=g, person=t.deputy, role="deputy")
    return g


def held(t, grid, kind, at, *, present=True, approval="none", status="held"):
    a = Activity.objects.create(
        kind=kind, title="网格活动", region=t.village, grid=grid, place="村委会", starts_at=at,
        ends_at=at + dt.timedelta(minutes=20), status=status, approval=approval,
    )  # fmt: skip
    Participant.objects.create(
        activity=a, person=t.deputy, attendance="present" if present else "absent",
        signed_in_at=at if present else None, method="organiser" if present else "",
    )  # fmt: skip
    return a


def _by_code(person, year):
    return {d.code: d for d in voters.grid_duties(person, year)}


def test_duties_count_in_beijing_dates_across_the_year_boundary(world, grid):
    t = world.a
    held(t, grid, "grid_visit", dt.datetime(2025, 12, 31, 23, 30, tzinfo=BEIJING))
    held(t, grid, "grid_visit", dt.datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING))  # UTC: 2025
    held(t, grid, "grid_visit", dt.datetime(2026, 1, 16, 10, tzinfo=BEIJING))
    held(t, grid, "grid_meeting", dt.datetime(2026, 1, 5, 10, tzinfo=BEIJING))
    held(t, grid, "policy_talk", dt.datetime(2026, 2, 2, 10, tzinfo=BEIJING))
    held(t, grid, "inspection", dt.datetime(2026, 2, 3, 10, tzinfo=BEIJING))
    # Not counted: absent, pending approval, cancelled, no grid.
    held(t, grid, "grid_visit", dt.datetime(2026, 2, 1, 10, tzinfo=BEIJING), present=False)
    held(t, grid, "grid_visit", dt.datetime(2026, 2, 2, 10, tzinfo=BEIJING), approval="pending")
    held(t, grid, "grid_visit", dt.datetime(2026, 2, 4, 10, tzinfo=BEIJING), status="cancelled")
    held(t, None, "grid_meeting", dt.datetime(2026, 2, 5, 10, tzinfo=BEIJING))
    d2025, d2026 = _by_code(t.deputy, 2025), _by_code(t.deputy, 2026)
    assert d2025["grid_visits"].counts[23] == 1 and d2025["grid_visits"].total == 1
    visits = d2026["grid_visits"]
    assert visits.counts[:4] == [1, 1, 0, 0] and visits.total == 2
    assert visits.ended == 3 and visits.behind == 1  # 2月上半月 missed
    assert d2026["grid_meetings"].counts[:2] == [1, 0] and d2026["grid_meetings"].behind == 0
    assert d2026["policy_talks"].total == 1 and d2026["policy_talks"].behind == 0
    assert (d2026["grid_research"].total, d2026["grid_research"].quota) == (1, 2)


def test_staff_see_the_deputies_behind_and_the_deputy_his_own_view(world, grid):
    t = world.a
    held(t, grid, "grid_visit", dt.datetime(2026, 1, 2, 10, tzinfo=BEIJING))
    behind = voters.grid_deputies_behind(station_actor(t), 2026)
    assert [p for p, _d in behind] == [t.deputy]
    assert voters.grid_deputies_behind(station_actor(world.b), 2026) == []
    staff = world.client_for(t.station_staff, Role.STATION)
    assert t.deputy.name in staff.get(reverse("activities:voter_grid")).content.decode()
    phone = world.client_for(t.deputy_user, Role.DEPUTY)
    html = phone.get(reverse("mobile:voter_grid")).content.decode()
    assert "2026年网格职责" in html and "已过时段中 2 个未达标" in html
