"""A deputy checks in on duty from his phone (DUTY-3, issue 5 "Browser"): at 375 px he logs
in, sees today's shift, opens the link of the code the station's screen shows, and is checked
in; nothing is wider than the phone."""

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.activities.models import Assignment
from lianxin.regions.models import Region
from tests.activities.conftest_attend import post, roster, shift
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
THUMB = 44
SHOTS = os.environ.get("LIANXIN_SHOTS", "")


@pytest.fixture(autouse=True)
def _national_divisions(live_server):
    if not Region.objects.filter(code="41").exists():
        migration = importlib.import_module(
            "lianxin.regions.migrations.0002_load_national_divisions"
        )
        migration.load(apps, None)


@pytest.fixture
def duty(live_server):
    from tests.factories import make_world

    world = make_world()
    t = world.a
    today = timezone.localdate()
    r = roster(t.room, start=today, end=today)
    # The whole day, so that the check-in window is open whenever the test runs.
    s = shift(r, today, start=dt.time(0, 0), end=dt.time(23, 59))
    return world, post(s, t.deputy)


def _fits(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px"


def _staff_session(page, live_server, user, role):
    client = Client()
    client.force_login(user)
    session = client.session
    session["lianxin_assignment_id"] = user.assignments.get(role=role).pk
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def test_it_lets_a_deputy_check_in_on_his_phone(live_server, duty, phone, desktop):
    world, assignment = duty
    t = world.a
    # The deputy logs in on his phone and sees today's shift.
    phone.goto(f"{live_server.url}/accounts/login/?next=/m/duty/checkin/")
    phone.get_by_label("账号").fill(t.deputy_user.username)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_load_state()
    today = phone.get_by_test_id("duty-today")
    assert today.get_by_text(t.room.name).is_visible()
    assert today.get_by_text("00:00–23:59").is_visible()
    assert today.get_by_text("待值班").is_visible()
    _fits(phone, "duty-today-375")
    # The station's screen shows the current code.
    _staff_session(desktop, live_server, t.station_staff, Role.STATION)
    desktop.goto(f"{live_server.url}/staff/duty/stations/{t.room.pk}/checkin-qr/")
    qr = desktop.get_by_test_id("checkin-qr")
    assert qr.locator("svg").is_visible()
    link = qr.get_attribute("data-checkin-url")
    assert link and "/m/duty/checkin/" in link
    # He scans it: the link opens on his phone and checks him in.
    phone.goto(link)
    result = phone.get_by_test_id("checkin-result")
    assert result.get_by_role("heading", name="签到成功").is_visible()
    assert result.get_attribute("data-outcome") == "checked_in"
    _fits(phone, "duty-checkin-375")
    button = phone.get_by_role("link", name="查看我的今日值班")
    assert button.bounding_box()["height"] >= THUMB
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.PRESENT
    assert assignment.method == Assignment.Method.SCREEN
    # Opening it again says he is already checked in.
    phone.goto(link)
    assert phone.get_by_role("heading", name="已签到").is_visible()
    # The station's screen lists him as present after its next refresh.
    desktop.reload()
    assert desktop.get_by_text("已到岗").is_visible()
