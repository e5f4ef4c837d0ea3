"""The role homes: the staff workbench per role and the deputy's phone tabs (UI.md)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.holidays.models import HolidayYear

pytestmark = pytest.mark.django_db

DEPUTY_TABS = ["mobile:me", "mobile:cases", "mobile:duty", "mobile:record", "mobile:qr_print"]
TAB_HEADINGS = {
    "mobile:me": "我的二维码",
    "mobile:cases": "意见建议",
    "mobile:duty": "进站值班",
    "mobile:record": "履职记录",
    "mobile:qr_print": "有事找代表",
}


@pytest.mark.parametrize("name", DEPUTY_TABS)
def test_it_opens_each_deputy_tab_for_the_deputy(world, name):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert TAB_HEADINGS[name] in response.content.decode()


@pytest.mark.parametrize("name", DEPUTY_TABS)
def test_it_answers_404_to_staff_on_the_deputy_tabs(world, name):
    client = world.client_for(world.a.office, Role.OFFICE)
    assert client.get(reverse(name)).status_code == 404


def test_it_sends_an_anonymous_visitor_of_a_tab_to_the_login(client):
    response = client.get(reverse("mobile:me"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_the_deputy_his_qr_his_settings_and_logout(world):
    html = world.client_for(world.a.deputy_user, Role.DEPUTY).get(reverse("mobile:me")).content
    html = html.decode()
    assert "<svg" in html
    assert reverse("mobile:qr_print") in html
    assert reverse("notifications:preferences") in html
    assert reverse("notifications:inbox") in html
    assert reverse("accounts:logout") in html


def test_it_shows_his_cases_tab_with_what_waits_for_him(world):
    """意见 (CASE): the placeholder gave way to his cases (tests/cases/test_pages.py)."""
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    html = client.get(reverse("mobile:cases")).content.decode()
    assert "等您处理" in html
    assert reverse("mobile:case_new") in html


def test_it_links_every_tab_of_the_bar_to_a_real_page(world):
    html = world.client_for(world.a.deputy_user, Role.DEPUTY).get("/").content.decode()
    for name in ("mobile:cases", "mobile:duty", "mobile:record", "mobile:me"):
        assert f'href="{reverse(name)}"' in html
    assert 'href="/#' not in html


@time_machine.travel(dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC), tick=False)
def test_it_warns_the_system_administrator_of_a_missing_calendar_year(world):
    HolidayYear.objects.filter(year=2027).delete()
    html = world.client_for(world.sysadmin).get("/").content.decode()
    assert "2027年" in html
    assert reverse("holidays:year_edit", args=[2027]) in html


def test_it_counts_the_office_figures_within_reach_only(world):
    html = world.client_for(world.a.office, Role.OFFICE).get("/").content.decode()
    assert "在任代表" in html
    assert reverse("directory:person_create") in html


def test_it_gives_each_administrator_his_own_tasks(world):
    pages = {
        world.secadmin: reverse("accounts:assignment_create"),
        world.auditadmin: reverse("audit:entry_list"),
        world.sysadmin: reverse("accounts:user_create"),
    }
    for user, link in pages.items():
        html = world.client_for(user).get("/").content.decode()
        assert link in html
    assert (
        reverse("accounts:user_create")
        not in world.client_for(world.secadmin).get("/").content.decode()
    )


def test_it_shows_station_staff_their_own_station(world):
    html = world.client_for(world.a.station_staff, Role.STATION).get("/").content.decode()
    assert world.a.station.name in html
    assert reverse("portal:station_qr_png", args=[world.a.station.public_key]) in html
