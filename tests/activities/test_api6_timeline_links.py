"""The record's links (PERF-1): each activity, voters' list, voter contact, report to voters,
good deed and committee contact on a deputy's record links a page that opens for whoever reads
it — his own phone pages on his phone, the staff page the reader may open on the staff record
(none when the reader may not open one). The deputy's phone page of one activity shows its
evidence (ACT-1, PERF-3); a linked deputy sees the members' contacts with him (ORG-10)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities.models import Activity
from tests.activities.conftest_record import VOTER_NAME, everything

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 10)
NOW = dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)
LINKED = {"activity", "voters", "report", "deed", "committee"}


@pytest.fixture
def filled(world):
    everything(world.a, DAY)
    everything(world.b, DAY)
    return world


def _entries(html: str) -> list[tuple[str, str]]:
    """(kind, href or "") of each entry of the record's list."""
    block = html.split('data-testid="record-entries"', 1)[1].split("</ul>", 1)[0]
    found = []
    for kind, body in re.findall(r'data-kind="(\w+)">(.*?)</li>', block, flags=re.S):
        href = re.search(r'href="([^"]+)"', body)
        found.append((kind, href.group(1) if href else ""))
    return found


def _get(client, url, **query):
    with time_machine.travel(NOW, tick=False):
        return client.get(url, query)


def test_every_entry_on_his_phone_record_links_a_page_that_opens(filled):
    phone = filled.client_for(filled.a.deputy_user, Role.DEPUTY)
    entries = _entries(_get(phone, reverse("mobile:record"), year=2026).content.decode())
    kinds = {kind for kind, _href in entries}
    assert kinds >= LINKED
    for kind, href in entries:
        if kind in LINKED:
            assert href.startswith("/m/"), (kind, href)
            response = _get(phone, href)
            assert response.status_code == 200, (kind, href)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office", LINKED),
        ("station", LINKED - {"committee"}),  # the members' coverage is the office's
        ("leadership", {"activity", "voters", "committee"}),  # reads, confirms nothing
    ],
)
def test_the_staff_record_links_only_pages_the_reader_opens(filled, persona, expected):
    a = filled.a
    user, role = {
        "office": (a.office, Role.OFFICE),
        "station": (a.station_staff, Role.STATION),
        "leadership": (a.leadership, Role.LEADERSHIP),
    }[persona]
    client = filled.client_for(user, role)
    html = _get(client, reverse("activities:record_person", args=[a.deputy.pk]), year=2026)
    entries = _entries(html.content.decode())
    linked = {kind for kind, href in entries if href and kind in LINKED}
    assert linked == expected
    for kind, href in entries:
        if href:
            assert not href.startswith("/m/"), (kind, href)
            response = _get(client, href)
            assert response.status_code == 200, (persona, kind, href)


def test_his_phone_page_of_an_activity_shows_its_evidence_and_not_another_s(filled):
    a, b = filled.a, filled.b
    mine = Activity.objects.get(participants__person=a.deputy)
    mine.minutes, mine.solved_on_spot = "现场协调修路资金", 2
    mine.save()
    theirs = Activity.objects.get(participants__person=b.deputy)
    phone = filled.client_for(a.deputy_user, Role.DEPUTY)
    html = _get(phone, reverse("mobile:activity_detail", args=[mine.pk])).content.decode()
    assert mine.title in html and "现场协调修路资金" in html and "现场解决问题 2 个" in html
    assert "已签到" in html and "组织者确认" in html
    listing = _get(phone, reverse("mobile:activities")).content.decode()
    assert reverse("mobile:activity_detail", args=[mine.pk]) in listing
    other = _get(phone, reverse("mobile:activity_detail", args=[theirs.pk]))
    assert other.status_code == 404


def test_a_linked_deputy_sees_the_members_contacts_with_him(filled):
    phone = filled.client_for(filled.a.deputy_user, Role.DEPUTY)
    html = _get(phone, reverse("mobile:voter_committee")).content.decode()
    assert 'data-testid="committee-received"' in html
    assert f"{filled.a.region.name}常委" in html and "了解履职情况" in html
    assert VOTER_NAME not in html
