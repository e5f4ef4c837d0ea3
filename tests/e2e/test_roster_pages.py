"""Duty roster pages at 375 px (UI.md, DUTY-2): the roster list, a solved roster with an
empty post and its reason, one shift's edit and publishing fit a phone; the solve button works
from the page."""

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.test import Client

from lianxin.accounts.models import Role
from lianxin.activities.models import DutyLeave, Roster
from lianxin.regions.models import Region

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
SHOTS = os.environ.get("LIANXIN_SHOTS", "")  # a folder to keep screenshots in, when set


@pytest.fixture(autouse=True)
def _national_divisions(live_server):
    if not Region.objects.filter(code="41").exists():
        migration = importlib.import_module(
            "lianxin.regions.migrations.0002_load_national_divisions"
        )
        migration.load(apps, None)


@pytest.fixture
def roster(live_server):
    from lianxin.accounts.permissions import actor_for
    from lianxin.activities.duty import planning
    from tests.activities.conftest_solver import make_pattern, make_pool
    from tests.factories import make_world

    world = make_world()
    t = world.a
    members, persons = make_pool(t, n=3)
    members[2].is_active = False
    members[2].save()
    DutyLeave.objects.create(person=persons[0], starts_on=dt.date(2026, 3, 11),
                             ends_on=dt.date(2026, 3, 11))  # fmt: skip
    made = planning.roster_create(
        actor=actor_for(t.station_staff), pattern=make_pattern(t.station),
        name="2026年3月代表周三见", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31),
    )  # fmt: skip
    return world, made


def _log_in(page, live_server, user, role):
    client = Client()
    client.force_login(user)
    session = client.session
    session["lianxin_assignment_id"] = user.assignments.get(role=role).pk
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def _fits(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px"


def test_it_solves_edits_and_publishes_a_roster_on_a_phone(roster, phone, live_server):
    world, made = roster
    _log_in(phone, live_server, world.a.station_staff, Role.STATION)
    phone.goto(f"{live_server.url}/staff/duty/rosters/")
    _fits(phone, "roster-list")
    phone.get_by_role("link", name=made.name).click()
    phone.wait_for_load_state()
    _fits(phone, "roster-draft")
    phone.get_by_test_id("roster-solve").click()
    phone.wait_for_load_state()
    phone.get_by_test_id("roster-report").wait_for()
    assert "有 1 个岗位无法排满" in phone.get_by_test_id("roster-report").inner_text()
    assert "1人请假" in phone.get_by_test_id("roster-uncovered").inner_text()
    _fits(phone, "roster-solved")
    phone.get_by_test_id("roster-uncovered").get_by_role("link", name="调整").click()
    phone.wait_for_load_state()
    _fits(phone, "roster-shift")
    phone.goto(f"{live_server.url}/staff/duty/rosters/{made.pk}/publish/")
    _fits(phone, "roster-publish")
    phone.get_by_label("我已知晓上列岗位无人值班，仍然发布").check()
    phone.get_by_test_id("roster-publish").get_by_role("button", name="发布").click()
    phone.wait_for_load_state()
    assert "排班表已发布" in phone.content()
    made.refresh_from_db()
    assert made.status == Roster.Status.PUBLISHED
