"""A published annual deputy-work plan is public; a draft is not (ORG-2, 代表法 §43)."""

import pytest

from lianxin.accounts.permissions import actor_for
from lianxin.directory.models import WorkPlan
from lianxin.directory.services import workplan_publish

pytestmark = pytest.mark.django_db


def _plan(world, year=2026):
    return WorkPlan.objects.create(
        congress=world.a.congress,
        year=year,
        title=f"{year}年代表工作计划",
        content="一、加强联络站建设",
    )


def test_it_publishes_a_plan_for_everybody_to_read(client, world):
    plan = _plan(world)
    url = f"/p/c/{world.a.congress.pk}/plans/2026/"
    assert client.get(url).status_code == 404  # a draft is not public
    workplan_publish(actor=actor_for(world.a.office), plan=plan)
    page = client.get(url)
    assert page.status_code == 200
    assert "一、加强联络站建设" in page.content.decode()
    listing = client.get(f"/p/c/{world.a.congress.pk}/plans/").content.decode()
    assert "2026年代表工作计划" in listing


def test_it_links_the_station_page_to_the_published_plans(client, world):
    plan = _plan(world)
    station_page = f"/p/s/{world.a.station.public_key}/"
    assert "/plans/" not in client.get(station_page).content.decode()
    workplan_publish(actor=actor_for(world.a.office), plan=plan)
    assert f"/p/c/{world.a.congress.pk}/plans/" in client.get(station_page).content.decode()


def test_it_answers_404_for_a_congress_without_published_plans(client, world):
    _plan(world, year=2025)
    assert client.get(f"/p/c/{world.a.congress.pk}/plans/").status_code == 404
    assert client.get(f"/p/c/{world.b.congress.pk}/plans/2026/").status_code == 404


def test_it_shows_the_public_link_on_the_staff_page_once_published(world):
    plan = _plan(world)
    workplan_publish(actor=actor_for(world.a.office), plan=plan)
    html = (
        world.client_for(world.a.office)
        .get(f"/staff/directory/work-plans/{plan.pk}/")
        .content.decode()
    )
    assert f"/p/c/{world.a.congress.pk}/plans/2026/" in html
