"""Group and grid pages at a 375-px phone and a 1280-px desktop (UI.md; ORG-8, ORG-9): nothing
wider than the screen. With LIANXIN_SHOTS=dir the pages are also saved as screenshots."""

import os

import pytest

from tests.directory.conftest import make_extras
from tests.factories import PASSWORD, make_world

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("LIANXIN_SHOTS", "")


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url}: {width}px wide in a {viewport}px screen"


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_it_fits_the_group_page_and_the_grid_form_on_the_screen(live_server, request, screen):
    world = make_world()
    extras = make_extras(world.a)
    page = request.getfixturevalue(screen)
    _log_in(page, live_server, world.a.office.username)
    pages = {
        "group": f"/staff/directory/groups/{extras.group.pk}/",
        "grid-form": f"/staff/directory/grid-members/new/?grid={extras.grid.pk}",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, page.url
        _fits(page)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{screen}.png"), full_page=True)
    page.goto(f"{live_server.url}/staff/directory/grid-members/new/?grid={extras.grid.pk}")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 1  # errors next to the fields
    _fits(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"grid-form-errors-{screen}.png"), full_page=True)
