"""Browser tests (issue 2): log in through the real form, switch role in the header, open a
deputy, and the public deputy page on a 375-px phone with nothing loaded from elsewhere."""

import pytest

from lianxin.accounts.models import User
from lianxin.common.demo import DEMO_PASSWORD, load_demo
from lianxin.directory.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_it_logs_in_and_switches_between_the_three_roles_of_one_person(live_server, desktop):
    load_demo()
    external = _watch_external(desktop, live_server)
    _log_in(desktop, live_server, "anliang_zhuxi")
    assert desktop.url == f"{live_server.url}/"
    assert desktop.get_by_role("heading", name="工作台").is_visible()
    switch = desktop.locator("#lx-role")
    assert switch.locator("option").count() == 3

    with desktop.expect_navigation():
        switch.select_option(label="人大代表")
    assert desktop.get_by_text("已切换为：人大代表").is_visible()
    assert desktop.get_by_text("我的二维码").first.is_visible()
    assert desktop.locator(".lx-tabbar").is_visible()

    with desktop.expect_navigation():
        desktop.locator("#lx-role").select_option(label="联络站工作人员 · 安良镇人大代表联络站")
    assert desktop.get_by_role("heading", name="工作台").is_visible()
    assert desktop.get_by_text("当前角色：联络站工作人员 · 安良镇人大代表联络站").is_visible()
    assert external == []


def test_it_rejects_a_wrong_password_in_the_form(live_server, phone):
    load_demo()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("账号").fill("anliang_office")
    phone.get_by_label("密码").fill("wrong-password-1")
    with phone.expect_navigation():  # the form posts and the page comes back with the error
        phone.get_by_role("button", name="登录").click()
    assert "/accounts/login/" in phone.url
    phone.get_by_role("alert").wait_for(state="visible")


def test_it_opens_a_deputy_from_the_office(live_server, desktop):
    """The office finds a deputy in the list by name and opens his record; his phone number
    shows masked (SEC-2)."""
    load_demo()
    deputy = User.objects.get(username="anliang_deputy").person
    _log_in(desktop, live_server, "anliang_office")
    desktop.goto(f"{live_server.url}/staff/directory/persons/")
    desktop.get_by_label("搜索").fill(deputy.name)
    desktop.get_by_role("button", name="查询").click()
    desktop.get_by_role("link", name=deputy.name).first.click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", name=deputy.name).first.is_visible()
    assert deputy.phone not in desktop.content()


def test_it_shows_the_public_deputy_page_on_a_phone(live_server, phone):
    load_demo()
    deputy = Person.objects.get(account__username="anliang_deputy")
    external = _watch_external(phone, live_server)
    phone.goto(f"{live_server.url}/p/d/{deputy.public_key}/")
    assert phone.get_by_role("heading", name=deputy.name).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    for name in ("提意见建议", "查询办理进度"):
        button = phone.get_by_role("link", name=name)
        assert button.is_visible()
        box = button.bounding_box()
        assert box["height"] >= 44
        assert box["y"] + box["height"] <= 740  # above the fold
    assert deputy.phone not in phone.content()

    with phone.expect_navigation():
        phone.get_by_role("link", name="提意见建议").click()
    assert phone.get_by_test_id("opinion-form").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.go_back()
    with phone.expect_navigation():
        phone.get_by_role("link", name="安良镇人大代表联络站").click()
    assert phone.get_by_role("heading", name="进站代表").is_visible()
    assert phone.get_by_text(deputy.name).first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert external == []
