"""Layout at a 375-px phone and a 1280-px desktop (UI.md): nothing wider than the screen,
thumb-sized primary actions on the deputy's and citizens' pages, the left navigation on a
desktop, and not one request leaving the server."""

import importlib

import pytest
from django.apps import apps

from lianxin.accounts.models import User
from lianxin.common.demo import DEMO_PASSWORD, load_demo
from lianxin.directory.models import Station
from lianxin.regions.models import Region

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 375
THUMB = 44  # px: WCAG 2.5.5 target size, UI.md "buttons ≥ 44 px high"


@pytest.fixture(autouse=True)
def _national_divisions(live_server):
    """The demo needs the shipped county rows; reload them when an earlier test in this
    process flushed them (see test_roles_and_public_pages)."""
    if not Region.objects.filter(code="41").exists():
        migration = importlib.import_module(
            "lianxin.regions.migrations.0002_load_national_divisions"
        )
        migration.load(apps, None)


@pytest.fixture
def demo(live_server):
    load_demo()
    return live_server


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


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px"


def _short_targets(page, selector):
    """Visible elements matching ``selector`` lower than a thumb, as 'text: height'."""
    short = []
    for element in page.locator(selector).all():
        if not element.is_visible():
            continue
        box = element.bounding_box()
        if box and box["height"] < THUMB:
            short.append(f"{element.inner_text().strip()}: {box['height']:.0f}")
    return short


def test_it_fits_the_login_and_the_staff_pages_on_a_phone(demo, phone):
    external = _watch_external(phone, demo)
    phone.goto(f"{demo.url}/accounts/login/")
    _assert_fits(phone)
    assert _short_targets(phone, "button") == []

    _log_in(phone, demo, "anliang_office")
    station = Station.objects.get(name="安良镇人大代表联络站")
    deputy = User.objects.get(username="anliang_deputy").person

    # The demo's township has more persons than one page holds: search for the deputy.
    phone.goto(f"{demo.url}/staff/directory/persons/?q={deputy.name}")
    _assert_fits(phone)
    assert phone.get_by_role("link", name="代表与人员").first.is_hidden()  # nav folded away
    assert phone.get_by_role("link", name=deputy.name).is_visible()

    phone.get_by_role("button", name="菜单").click()
    nav = phone.locator("#lx-nav")
    nav.get_by_role("link", name="联络站").wait_for()
    assert nav.get_by_role("link", name="联络站").is_visible()
    nav.get_by_role("button", name="关闭").click()

    phone.goto(f"{demo.url}/staff/directory/persons/{deputy.pk}/")
    _assert_fits(phone)
    assert phone.get_by_role("heading", name=deputy.name).is_visible()

    phone.goto(f"{demo.url}/staff/directory/stations/{station.pk}/")
    _assert_fits(phone)
    assert phone.get_by_role("heading", name=station.name).is_visible()

    phone.goto(f"{demo.url}/staff/directory/persons/new/")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    _assert_fits(phone)
    assert phone.get_by_role("alert").filter(has_text="保存未成功").is_visible()
    assert phone.get_by_label("姓名").get_attribute("aria-invalid") == "true"
    assert phone.get_by_role("link", name="工作台").first.is_visible()  # breadcrumb
    assert external == []


def test_it_shows_the_left_navigation_on_a_desktop(demo, desktop):
    external = _watch_external(desktop, demo)
    _log_in(desktop, demo, "anliang_office")
    nav = desktop.locator("#lx-nav")
    assert nav.is_visible()
    assert nav.get_by_role("link", name="代表与人员").is_visible()
    nav.get_by_role("link", name="代表与人员").click()
    desktop.wait_for_load_state()
    assert nav.get_by_role("link", name="代表与人员").get_attribute("aria-current") == "page"
    assert desktop.locator("table thead").is_visible()  # a table, not cards, on a desktop
    assert external == []


def test_it_fits_the_deputy_pages_on_a_phone_with_thumb_sized_actions(demo, phone):
    external = _watch_external(phone, demo)
    _log_in(phone, demo, "anliang_deputy")
    assert phone.get_by_text("我的二维码").first.is_visible()
    _assert_fits(phone)
    targets = "main .btn, .lx-tabbar a, .lx-mobile-list a, .lx-mobile-list button"
    assert _short_targets(phone, targets) == []

    phone.locator(".lx-tabbar").get_by_role("link", name="我的").click()
    phone.wait_for_load_state()
    _assert_fits(phone)
    assert _short_targets(phone, targets) == []
    assert phone.get_by_role("link", name="打印二维码").is_visible()
    assert phone.get_by_role("button", name="退出登录").is_visible()

    for tab, heading in (("意见", "意见建议"), ("值班", "我的值班"), ("履职", "履职记录")):
        phone.locator(".lx-tabbar").get_by_role("link", name=tab).click()
        phone.wait_for_load_state()
        assert phone.get_by_role("heading", name=heading, exact=True).is_visible()
        if tab == "履职":  # his record (PERF-1), and where he records his own work
            assert phone.get_by_role("link", name="联系选民", exact=True).is_visible()
        _assert_fits(phone)
        assert _short_targets(phone, targets) == []
    assert external == []


def test_it_fits_the_public_deputy_page_on_a_phone(demo, phone):
    deputy = User.objects.get(username="anliang_deputy").person
    external = _watch_external(phone, demo)
    phone.goto(f"{demo.url}/p/d/{deputy.public_key}/")
    assert phone.get_by_role("heading", name=deputy.name).is_visible()
    _assert_fits(phone)
    assert _short_targets(phone, ".lx-pub-actions a") == []
    assert external == []
