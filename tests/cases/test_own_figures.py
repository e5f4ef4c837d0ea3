"""A deputy's own figures on his phone and a unit contact's figures of his unit, read from the
aggregate tables (CASE-10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.cases.models import CaseFigure, UnitFigure
from tests.cases.test_figures import build

pytestmark = pytest.mark.django_db
NOV = {"period": "custom", "start": "2026-11-01", "end": "2026-12-31"}


def test_a_deputy_sees_the_figures_of_the_cases_he_received(world):
    build(world)
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    assert 'data-testid="my-figures-link"' in client.get(reverse("mobile:cases")).content.decode()
    response = client.get(reverse("mobile:case_figures"), NOV)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="my-figures"' in html
    assert 'data-testid="received">6<' in html  # township a's six cases, all received by him
    assert 'data-testid="on-spot">1<' in html
    assert 'data-testid="satisfaction-rate">63.3%<' in html
    assert 'data-testid="resolution-rate">75.0%<' in html
    other = world.client_for(world.b.deputy_user, Role.DEPUTY)
    theirs = other.get(reverse("mobile:case_figures"), NOV).content.decode()
    assert 'data-testid="received">1<' in theirs


def test_the_figures_are_sums_of_the_aggregate_rows(world):
    build(world)
    CaseFigure.objects.filter(deputy_id=world.a.deputy.pk).update(received=0)
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    html = client.get(reverse("mobile:case_figures"), NOV).content.decode()
    assert 'data-testid="received">0<' in html


def test_an_empty_period_shows_dashes_not_errors(world):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    html = client.get(reverse("mobile:case_figures"), {"period": "month"}).content.decode()
    assert 'data-testid="received">0<' in html and 'data-testid="satisfaction-rate">—<' in html
    bad = client.get(reverse("mobile:case_figures"), {"period": "x", "start": "no"})
    assert bad.status_code == 200


def test_a_unit_contact_sees_his_units_figures(world):
    build(world)
    client = world.client_for(world.a.unit_staff, Role.UNIT)
    response = client.get(reverse("cases:unit_figures"), NOV)
    html = response.content.decode()
    assert response.status_code == 200 and world.a.unit.name in html
    # Dispatched to the lead unit and to its sub-unit as co-handler: 4 + 4.
    assert 'data-testid="received">8<' in html
    assert 'data-testid="resolved">75.0%<' in html and 'data-testid="satisfaction">63.3%<' in html
    assert 'data-testid="unit-figures"' in html and world.a.sub_unit.name in html
    assert world.b.unit.name not in html
    UnitFigure.objects.filter(unit_id=world.a.unit.pk).update(dispatched=0)
    assert (
        'data-testid="received">4<'
        in client.get(reverse("cases:unit_figures"), NOV).content.decode()
    )


def test_only_unit_staff_open_the_unit_figures(world):
    for user, role in (
        (world.a.office, Role.OFFICE),
        (world.a.station_staff, Role.STATION),
        (world.a.deputy_user, Role.DEPUTY),
        (world.a.leadership, Role.LEADERSHIP),
    ):
        assert world.client_for(user, role).get(reverse("cases:unit_figures")).status_code == 404
    office = world.client_for(world.a.office, Role.OFFICE)
    assert office.get(reverse("mobile:case_figures")).status_code == 404
