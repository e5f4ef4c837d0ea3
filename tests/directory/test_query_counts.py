"""List pages and API lists cost the same number of queries whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from lianxin.accounts.models import Role
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Delegation,
    Session,
    StationMembership,
    StationStaff,
    UnitContact,
    WorkPlan,
)
from tests.factories import MandateFactory, PersonFactory, StationFactory, UnitFactory


def grow(world, n):
    t = world.a
    start = Session.objects.count()
    for i in range(start, start + n):
        Session.objects.create(
            term=t.term,
            number=i + 1,
            starts_on=datetime.date(2022, 1, 1),
            ends_on=datetime.date(2022, 1, 2),
        )
        body = Body.objects.create(congress=t.congress, kind="working", name=f"委室{i}")
        Delegation.objects.create(term=t.term, name=f"第{i}选区")
        WorkPlan.objects.create(congress=t.congress, year=1900 + i, title=f"计划{i}", content="x")
        person = PersonFactory(region=t.region)
        BodyMembership.objects.create(
            body=body, person=person, position="委员", starts_on=datetime.date(2022, 1, 1)
        )
        MandateFactory(person=person, term=t.term)
        station = StationFactory(region=t.village, parent=t.station)
        StationMembership.objects.create(station=station, person=person)
        StationStaff.objects.create(station=station, person=person, role="liaison")
        unit = UnitFactory(region=t.region, parent=t.unit)
        UnitContact.objects.create(unit=unit, person=person)


PAGES = [
    "directory:person_list",
    "directory:station_list",
    "directory:unit_list",
    "directory:mandate_list",
    "directory:stationstaff_list",
    "directory:stationmember_list",
    "directory:unitcontact_list",
    "directory:congress_list",
    "directory:term_list",
    "directory:session_list",
    "directory:body_list",
    "directory:bodymember_list",
    "directory:workplan_list",
    "directory:delegation_list",
    "regions:list",
]
APIS = [
    "persons",
    "stations",
    "units",
    "mandates",
    "station-staff",
    "station-memberships",
    "unit-contacts",
    "sessions",
    "bodies",
    "body-memberships",
    "work-plans",
    "delegations",
    "regions",
]


def count(fn):
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_it_keeps_list_page_queries_flat(world, name, django_assert_max_num_queries):
    client = world.client_for(world.a.office, Role.OFFICE)
    url = reverse(name)
    grow(world, 2)
    client.get(url)  # warm the session
    small = count(lambda: client.get(url))
    grow(world, 20)
    with django_assert_max_num_queries(small):
        client.get(url)


@pytest.mark.parametrize("prefix", APIS)
def test_it_keeps_api_list_queries_flat(world, prefix, django_assert_max_num_queries):
    client = APIClient()
    client.force_authenticate(world.a.office)
    url = f"/api/v1/{prefix}/"
    grow(world, 2)
    client.get(url)
    small = count(lambda: client.get(url))
    grow(world, 20)
    with django_assert_max_num_queries(small):
        client.get(url)
