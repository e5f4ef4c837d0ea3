"""The closed loop's staff and deputy pages at 375 px and on a desktop (UI.md, CASE):
nothing wider than the phone, thumb-sized actions, deadlines with a text mark."""

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.cases import services
from lianxin.cases.models import Case
from lianxin.cases.workflow import Who
from lianxin.regions.models import Region

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
THUMB = 44
SHOTS = os.environ.get("LIANXIN_SHOTS", "")  # a folder to keep screenshots in, when set


@pytest.fixture(autouse=True)
def _national_divisions(live_server):
    if not Region.objects.filter(code="41").exists():
        migration = importlib.import_module(
            "lianxin.regions.migrations.0002_load_national_divisions"
        )
        migration.load(apps, None)


@pytest.fixture
def cases(live_server):
    from tests.cases.conftest import file
    from tests.factories import make_world

    world = make_world()
    t = world.a
    office, deputy = Who.staff(actor_for(t.office)), Who.staff(actor_for(t.deputy_user))
    waiting = file(t, text="村口的路灯坏了三个月，晚上出行不便，请尽快修复。").case
    late = services.confirm(
        who=deputy, case=file(t, text="小区门口的下水道堵塞，雨天积水严重。").case
    )
    late = services.triage(who=office, case=late, scope="township")
    late = services.dispatch(
        who=office, case=late, lead=t.unit, co=[t.sub_unit], note="请一周内答复"
    )
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=3))
    file(t, text="学校门口没有减速带，车速快，孩子上学危险。", priority="urgent")
    return world, waiting, late


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


def _short(page, selector):
    short = []
    for element in page.locator(selector).all():
        box = element.bounding_box() if element.is_visible() else None
        if box and box["height"] < THUMB:
            short.append(f"{element.inner_text().strip()}: {box['height']:.0f}")
    return short


def test_it_fits_the_deputys_cases_on_a_phone(live_server, cases, phone):
    world, waiting, _late = cases
    _log_in(phone, live_server, world.a.deputy_user, Role.DEPUTY)
    phone.goto(f"{live_server.url}/m/cases/")
    assert phone.get_by_role("heading", name="意见建议", exact=True).is_visible()
    assert phone.get_by_text("待定单").first.is_visible()
    _fits(phone, "my-cases-375")
    assert _short(phone, "main .btn, .lx-tabbar a, .lx-mobile-list a") == []
    phone.get_by_text(waiting.number).first.click()
    phone.wait_for_load_state()
    submit = phone.locator("#lx-act-confirm").get_by_role("button", name="定单")
    assert submit.is_visible()
    _fits(phone, "my-case-detail-375")
    submit.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已定单。").is_visible()
    assert Case.objects.get(pk=waiting.pk).status == Case.Status.CONFIRMED
    phone.goto(f"{live_server.url}/m/cases/new/")
    assert phone.get_by_label("反映内容").is_visible()
    _fits(phone, "intake-375")


def test_it_fits_the_queue_and_the_case_on_a_phone_and_a_desktop(
    live_server, cases, phone, desktop
):
    world, waiting, late = cases
    for page, size in ((phone, "375"), (desktop, "desktop")):
        _log_in(page, live_server, world.a.office, Role.OFFICE)
        page.goto(f"{live_server.url}/staff/cases/")
        assert page.get_by_text("已超期3天").first.is_visible()
        if size == "375":
            _fits(page, f"queue-{size}")
        elif SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"queue-{size}.png"), full_page=True)
        page.goto(f"{live_server.url}/staff/cases/{late.pk}/")
        assert page.get_by_text("内部说明：请一周内答复").is_visible()
        if size == "375":
            _fits(page, f"detail-{size}")
        elif SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"detail-{size}.png"), full_page=True)
    desktop.goto(f"{live_server.url}/staff/cases/{waiting.pk}/")
    if SHOTS:
        desktop.screenshot(path=os.path.join(SHOTS, "detail-submitted-desktop.png"), full_page=True)
