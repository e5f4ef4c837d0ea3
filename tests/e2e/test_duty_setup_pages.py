"""The duty set-up pages at 375 px (UI.md, DUTY-1, DUTY-2): a deputy's 我的值班, a shift with
its swap request, his swaps and leave; the station's pattern form (with its preview and its
Chinese errors), pool, bulk adding and swap approval — nothing wider than the phone, thumb-sized
actions, no request leaving the server."""

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.activities.duty import swaps
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
def duty(live_server):
    from tests.activities.conftest_setup import make_duty
    from tests.factories import make_world

    world = make_world()
    d = make_duty(world.a)
    today = timezone.localdate()
    me, li, wang = d.people
    d.roster.starts_on, d.roster.ends_on = today, today + dt.timedelta(days=40)
    d.roster.save()
    d.today = d.shift(today, me, li)
    d.next = d.shift(today + dt.timedelta(days=7), me, li)
    d.theirs = d.shift(today + dt.timedelta(days=14), wang)
    theirs = d.assignment(d.theirs, wang)
    swap = swaps.swap_request(actor=actor_for(d.users[2]), assignment=theirs,
                              counterpart=li, reason="参加培训")  # fmt: skip
    swaps.swap_answer(actor=actor_for(d.users[1]), swap=swap, agree=True)
    d.swap = swap
    return world, d


def _log_in(page, live_server, user, role):
    client = Client()
    client.force_login(user)
    session = client.session
    session["lianxin_assignment_id"] = user.assignments.get(role=role).pk
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def _watch_external(page, live_server):
    external: list[str] = []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((live_server.url, "data:", "blob:"))
            else external.append(r.url)
        ),
    )
    return external


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


TARGETS = "main .btn, .lx-tabbar a, .lx-mobile-list a, .lx-mobile-list button"


def test_it_fits_the_deputys_duty_on_a_phone_and_sends_a_swap_request(live_server, duty, phone):
    world, d = duty
    external = _watch_external(phone, live_server)
    _log_in(phone, live_server, world.a.deputy_user, Role.DEPUTY)
    phone.goto(f"{live_server.url}/")
    assert phone.get_by_text("今日值班").first.is_visible()
    phone.locator(".lx-tabbar").get_by_role("link", name="值班").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="我的值班").is_visible()
    _fits(phone, "duty-mine-375")
    assert _short(phone, TARGETS) == []

    phone.get_by_test_id("duty-upcoming").get_by_test_id("my-shift").first.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("a李二").first.is_visible()  # who else is on the shift
    _fits(phone, "duty-shift-375")
    phone.get_by_label("找谁").select_option(f"take:{d.people[2].pk}")
    phone.get_by_label("事由").fill("外出开会")
    phone.get_by_role("button", name="发出申请").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已发出申请").is_visible()
    assert phone.get_by_text("待对方同意").is_visible()
    _fits(phone, "duty-shift-requested-375")
    assert _short(phone, TARGETS) == []

    for path, heading in (("/m/duty/swaps/", "换班申请"), ("/m/duty/leave/", "我要请假")):
        phone.goto(f"{live_server.url}{path}")
        assert phone.get_by_role("heading", name=heading, exact=True).is_visible()
        _fits(phone, f"duty-{heading}-375")
        assert _short(phone, TARGETS) == []
    assert external == []


def test_it_fits_the_station_duty_pages_on_a_phone(live_server, duty, phone):
    world, d = duty
    external = _watch_external(phone, live_server)
    _log_in(phone, live_server, world.a.station_staff, Role.STATION)

    phone.goto(f"{live_server.url}/staff/duty/patterns/new/")
    phone.get_by_label("名称").fill("逢六集日")
    phone.get_by_label("公历逢几（集日）").check()
    phone.get_by_label("逢几日").fill("逢六")
    phone.get_by_role("button", name="预览日期").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("预览：接下来的值班日期").is_visible()
    _fits(phone, "duty-pattern-preview-375")
    phone.get_by_label("逢几日").fill("6,32")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("alert").filter(has_text="保存未成功").is_visible()
    assert phone.get_by_text("取值应在 1 到 31 之间。").is_visible()
    _fits(phone, "duty-pattern-errors-375")

    for path, text in (
        (f"/staff/duty/patterns/{d.pattern.pk}/", "接下来的值班日期"),
        ("/staff/duty/pool/", "a王三"),
        ("/staff/duty/pool/bulk/", "添加本站进站代表"),
        ("/staff/duty/leave/new/", "登记请假"),
        (f"/staff/duty/swaps/{d.swap.pk}/", "参加培训"),
    ):
        phone.goto(f"{live_server.url}{path}")
        assert phone.get_by_text(text).first.is_visible(), path
        _fits(phone, "duty-staff-" + path.strip("/").replace("/", "-"))

    phone.get_by_label("批准", exact=True).check()
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已批准，班次已调换。").is_visible()
    assert external == []
