"""The record's pages (PERF-1): the deputy's phone record with its month calendar, kind filter
and paging; the staff page for persons within reach; the year's export in text cells."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.accounts.models import Role
from lianxin.activities.models import GoodDeed
from tests.activities.conftest_record import CITIZEN_PHONE, VOTER_NAME, VOTER_PHONE, everything

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 10)
NOW = dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)


@pytest.fixture
def filled(world):
    everything(world.a, DAY)
    everything(world.b, DAY)
    return world


def _phone(world, **query):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("mobile:record"), query).content.decode()


def test_the_phone_record_shows_the_months_of_the_year_with_counts(filled):
    html = _phone(filled)
    assert 'data-testid="record-calendar"' in html
    assert "2026年共 9 条" in html
    assert 'data-month="6"' in html and "9 条" in html
    assert "修通村口便民桥" in html and "定单" in html
    assert 'data-testid="deputy-mandates"' in html  # his mandates stay on the page
    for secret in (VOTER_NAME, VOTER_PHONE, CITIZEN_PHONE):
        assert secret not in html


def test_a_tap_on_a_month_shows_that_months_entries_only(filled):
    assert "修通村口便民桥" not in _phone(filled, month=5)
    assert "修通村口便民桥" in _phone(filled, month=6)
    # Another year: nothing.
    assert "这段时间没有履职记录" in _phone(filled, year=2025)


def test_the_kind_filter_keeps_one_kind(filled):
    html = _phone(filled, kind="deed")
    assert "修通村口便民桥" in html
    assert "联系选民" not in html.split('data-testid="record-entries"')[1]
    # A bad filter falls back to every kind, a bad year to this year.
    assert "2026年共 9 条" in _phone(filled, kind="nosuch", year="abc")


def test_the_phone_record_pages_its_entries(filled):
    t = filled.a
    GoodDeed.objects.bulk_create(
        GoodDeed(
            deputy=t.deputy, done_on=DAY, region=t.village, title=f"实事{i:02d}", description="x"
        )
        for i in range(25)
    )
    first = _phone(filled, kind="deed")
    assert "第 1 / 2 页" in first
    assert "page=2" in first and "kind=deed" in first
    assert "第 2 / 2 页" in _phone(filled, kind="deed", page=2)


def test_the_staff_page_shows_a_person_within_reach_and_links_case_pages(filled):
    a = filled.a
    url = reverse("activities:record_person", args=[a.deputy.pk])
    for user, role in (
        (a.office, Role.OFFICE),
        (a.station_staff, Role.STATION),
        (a.leadership, Role.LEADERSHIP),
    ):
        with time_machine.travel(NOW, tick=False):
            response = filled.client_for(user, role).get(url, {"year": 2026})
        assert response.status_code == 200, role
        html = response.content.decode()
        assert "修通村口便民桥" in html
        assert "/staff/cases/" in html and "/m/cases/" not in html
        assert reverse("activities:record_export", args=[a.deputy.pk]) in html


def test_another_townships_deputy_is_404_and_a_deputy_reaches_only_himself(filled):
    a, b = filled.a, filled.b
    office = filled.client_for(a.office, Role.OFFICE)
    assert office.get(reverse("activities:record_person", args=[b.deputy.pk])).status_code == 404
    assert office.get(reverse("activities:record_export", args=[b.deputy.pk])).status_code == 404
    deputy = filled.client_for(a.deputy_user, Role.DEPUTY)
    assert deputy.get(reverse("activities:record_person", args=[a.deputy.pk])).status_code == 200
    assert deputy.get(reverse("activities:record_person", args=[b.deputy.pk])).status_code == 404
    unit = filled.client_for(a.unit_staff, Role.UNIT)
    assert unit.get(reverse("activities:record_person", args=[a.deputy.pk])).status_code == 404


def test_the_person_page_links_the_record_for_staff(filled):
    a = filled.a
    html = (
        filled.client_for(a.office, Role.OFFICE)
        .get(reverse("directory:person_detail", args=[a.deputy.pk]))
        .content.decode()
    )
    assert reverse("activities:record_person", args=[a.deputy.pk]) in html


def test_the_export_has_the_years_entries_in_text_cells(filled):
    a = filled.a
    client = filled.client_for(a.office, Role.OFFICE)
    with time_machine.travel(NOW, tick=False):
        response = client.get(
            reverse("activities:record_export", args=[a.deputy.pk]), {"year": 2026}
        )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("日期", "类别", "事项", "情况", "状态")
    assert len(rows) == 10
    assert ("2026-06-10", "为民办实事", "修通村口便民桥", "甲镇一村", "待确认") in rows
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.value is None or isinstance(cell.value, str)
            assert cell.number_format == "@"
    text = " ".join(str(v) for r in rows for v in r)
    assert VOTER_NAME not in text and VOTER_PHONE not in text
