"""Totals of long lists stop at a cap (issue 7): the queue says "超过 N 件" instead of counting
millions of cases, and paging still reaches every case; the API says ``count_capped``."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for, scope
from lianxin.cases.models import Case
from lianxin.cases.views import CaseQueue
from lianxin.common.paging import CAP, CappedPaginator
from tests.cases.conftest import file

CASES = 13


@pytest.fixture
def cases(world):
    for _ in range(CASES):
        file(world.a)
    return set(scope(actor_for(world.a.office), Case.objects.all()).values_list("pk", flat=True))


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 4 and a cap of 5, so 13 cases run past the cap."""
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    monkeypatch.setattr(CaseQueue, "paginate_by", 4)


def queue(client, page: int | str | None = None, **headers):
    url = reverse("cases:case_list") + (f"?page={page}" if page else "")
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def heading(response) -> str:
    return re.sub(r"\s+", " ", re.search(r"<h1.*?</h1>", response.content.decode(), re.S)[0])


def test_it_shows_a_capped_total_past_the_cap(world, cases, small_pages):
    page = queue(world.client_for(world.a.office, Role.OFFICE))
    assert "超过 5 件" in heading(page)
    assert "共 " not in heading(page)
    html = page.content.decode()
    assert "第 1 页" in html
    assert "page=2" in html


def test_it_shows_the_exact_total_under_the_cap(world, cases, monkeypatch):
    monkeypatch.setattr(CaseQueue, "paginate_by", 4)
    page = queue(world.client_for(world.a.office, Role.OFFICE))
    assert f"共 {CASES} 件" in heading(page)
    assert "第 1 / 4 页" in page.content.decode()


def test_it_pages_past_the_cap_to_the_last_case(world, cases, small_pages):
    office = world.client_for(world.a.office, Role.OFFICE)
    seen: list[int] = []
    number = 1
    while True:
        page = queue(office, number)
        seen += [r["case"].pk for r in page.context["cases"]]
        if not page.context["page_obj"].has_next():
            break
        assert f"page={number + 1}" in page.content.decode()
        number += 1
    assert number == 4  # 4 + 4 + 4 + 1 cases
    assert len(seen) == len(set(seen)) == CASES
    assert set(seen) == cases
    # On the last page the whole list has been counted: the exact total again.
    assert f"共 {CASES} 件" in heading(page)
    assert "第 4 / 4 页" in page.content.decode()


def test_it_answers_404_past_the_last_page_as_before(world, cases, small_pages):
    office = world.client_for(world.a.office, Role.OFFICE)
    assert office.get(reverse("cases:case_list") + "?page=5").status_code == 404


def test_it_says_more_than_in_english(world, cases, small_pages):
    page = queue(world.client_for(world.a.office, Role.OFFICE), HTTP_ACCEPT_LANGUAGE="en")
    assert "more than 5 opinions" in heading(page)
    assert "Page 1" in page.content.decode()


def test_it_caps_the_api_count_and_follows_next_to_the_end(world, cases, small_pages):
    client = APIClient()
    client.force_authenticate(world.a.office)
    body = client.get("/api/v1/cases/?page_size=4").json()
    assert body["count"] == 5
    assert body["count_capped"] is True
    seen = [r["id"] for r in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [r["id"] for r in body["results"]]
    assert len(seen) == len(set(seen)) == CASES
    assert set(seen) == cases
    assert body["count"] == CASES
    assert body["count_capped"] is False


def test_it_counts_exactly_under_the_cap_in_the_api(world, cases):
    client = APIClient()
    client.force_authenticate(world.a.office)
    body = client.get("/api/v1/cases/").json()
    assert body["count"] == CASES
    assert body["count_capped"] is False


def test_the_cap_reads_with_thousands_grouped():
    assert CAP == 10_000
    assert CappedPaginator(Case.objects.order_by("pk"), 30).cap_display == "10,000"


def test_it_finds_the_true_last_page_when_asked_for_it(world, cases, small_pages):
    page = queue(world.client_for(world.a.office, Role.OFFICE), "last")
    assert page.context["page_obj"].number == 4
    assert len(page.context["cases"]) == 1
    assert f"共 {CASES} 件" in heading(page)
