"""The activities demo (ACT, VOT, ORG-10) and the record it gives the demo deputy (PERF-1):
every kind of his work shows on his phone's record; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.activities import demo as activities_demo
from lianxin.activities.models import (
    Activity,
    ActivityKind,
    ActivityPlan,
    CallbackCall,
    CommitteeContact,
    FixedVoter,
    GoodDeed,
    VoterContact,
)
from lianxin.common.demo import load_demo
from lianxin.common.timeline import timeline
from lianxin.directory.models import Person

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)


def test_the_demo_deputys_record_shows_every_kind_of_work(client):
    with time_machine.travel(TODAY, tick=False):
        load_demo()
        assert activities_demo.load() == 0  # idempotent
        deputy = Person.objects.get(account__username="anliang_deputy")
        entries = timeline(deputy.pk, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
        kinds = {e.kind for e in entries}
        assert {"cases", "duty", "activity", "voters", "report", "deed"} <= kinds
        tags = {t for e in entries if e.kind == "voters" for t in e.tags}
        assert {"list", "contact"} <= tags
        # His phone shows them.
        client.force_login(deputy.account)
        page = client.get(reverse("mobile:record")).content.decode()
        deeds = client.get(reverse("mobile:record"), {"kind": "deed"}).content.decode()
        acts = client.get(reverse("mobile:record"), {"kind": "activity"}).content.decode()
    assert 'data-testid="record-calendar"' in page
    assert "协调修复村口路灯" in deeds and "帮助果农联系销路" in deeds
    assert "走访选区困难群众" in acts and "待审核" in acts


def test_the_demo_has_each_kind_of_activity_and_voter_work():
    with time_machine.travel(TODAY, tick=False):
        load_demo()
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {ActivityKind.GRID_VISIT, ActivityKind.GROUP_MEETING, ActivityKind.TRAINING} <= kinds
    assert Activity.objects.filter(training_plan__isnull=False).exists()
    assert ActivityPlan.objects.filter(items__isnull=False).exists()
    approvals = set(Activity.objects.values_list("approval", flat=True))
    assert {"pending", "approved"} <= approvals
    owners = set(FixedVoter.objects.values_list("deputy__account__username", flat=True))
    assert owners == {"anliang_deputy", "dinghe_deputy"}
    anliang = FixedVoter.objects.filter(deputy__account__username="anliang_deputy")
    assert anliang.count() == 10
    assert FixedVoter.objects.filter(deputy__account__username="dinghe_deputy").count() < 10
    assert anliang.first().phone.startswith("139")  # set through the encrypted field
    assert VoterContact.objects.filter(case__isnull=False).exists()
    assert CallbackCall.objects.filter(outcome="confirmed").exists()
    assert set(GoodDeed.objects.values_list("status", flat=True)) == {"confirmed", "pending"}
    assert CommitteeContact.objects.exists()
    for act in Activity.objects.all():
        act.full_clean()
