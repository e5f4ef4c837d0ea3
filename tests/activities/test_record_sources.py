"""The sources of the deputy's record (PERF-1): each gives the right person's entries of the
right period only, and no entry carries a citizen's or a voter's name or phone (SEC-2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lianxin.activities.models import Activity, Assignment, GoodDeed
from lianxin.common.timeline import sources, timeline
from tests.activities.conftest_attend import roster, shift
from tests.activities.conftest_record import (
    CITIZEN_NAME,
    CITIZEN_PHONE,
    VOTER_NAME,
    VOTER_PHONE,
    activity,
    at,
    everything,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 10)
KINDS = {"cases", "duty", "activity", "voters", "report", "deed", "committee"}


def _text(entries) -> str:
    return " ".join(f"{e.title} {e.detail} {e.status} {e.url}" for e in entries)


def test_every_source_is_registered():
    assert set(sources()) >= KINDS


def test_each_source_gives_the_persons_entries_of_the_period_only(world):
    everything(world.a, DAY)
    everything(world.b, DAY)
    mine = timeline(world.a.deputy.pk, dt.date(2026, 6, 1), dt.date(2026, 7, 1))
    assert {e.kind for e in mine} == KINDS
    assert all(e.day == DAY for e in mine)
    # The other township's deputy's entries are his own, not a's.
    theirs = timeline(world.b.deputy.pk, dt.date(2026, 6, 1), dt.date(2026, 7, 1))
    assert {e.kind for e in theirs} == KINDS

    # Their links name their own records (the voters' list entry links the list page).
    def named(entries):
        return {e.url for e in entries if e.url and "list" not in e.tags}

    assert not named(mine) & named(theirs)
    # Outside the period: nothing; the end is exclusive.
    assert timeline(world.a.deputy.pk, dt.date(2026, 6, 11), dt.date(2026, 7, 1)) == []
    assert timeline(world.a.deputy.pk, dt.date(2026, 5, 1), DAY) == []
    # The kind filter.
    only = timeline(world.a.deputy.pk, DAY, DAY + dt.timedelta(days=1), ["deed"])
    assert [e.title for e in only] == ["修通村口便民桥"]


def test_entries_never_carry_a_citizens_or_voters_name_or_phone(world):
    everything(world.a, DAY)
    text = _text(timeline(world.a.deputy.pk, dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    for secret in (CITIZEN_NAME, CITIZEN_PHONE, VOTER_NAME, VOTER_PHONE):
        assert secret not in text
    # What they do say: the case number and status, the voters' list size, the contact.
    assert "收到群众意见" in text and "定单" in text
    assert "建立2026年固定联系选民名单" in text and "共1人" in text
    assert "联系选民 · 上门走访" in text


def test_cases_link_the_deputys_case_page_and_its_status(world):
    everything(world.a, DAY)
    cases = timeline(world.a.deputy.pk, DAY, DAY + dt.timedelta(days=1), ["cases"])
    assert len(cases) == 2
    assert all(e.url.startswith("/m/cases/") for e in cases)
    assert {str(e.status) for e in cases} == {"待研处"}


def test_duty_shows_served_missed_and_past_unconfirmed_posts_not_future_ones(world):
    t = world.a
    r = roster(t.station, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30))
    days = {
        dt.date(2026, 6, 3): Assignment.Status.ABSENT,
        dt.date(2026, 6, 10): Assignment.Status.EXCUSED,
        dt.date(2026, 6, 17): Assignment.Status.SCHEDULED,  # past, never confirmed
        dt.date(2026, 6, 24): Assignment.Status.SCHEDULED,  # future
    }
    for day, status in days.items():
        Assignment.objects.create(
            shift=shift(r, day), person=t.deputy, role="deputy", status=status
        )
    with time_machine.travel(at(dt.date(2026, 6, 20)), tick=False):
        entries = timeline(t.deputy.pk, dt.date(2026, 6, 1), dt.date(2026, 7, 1), ["duty"])
    assert [e.day.day for e in entries] == [17, 10, 3]
    assert [str(e.status) for e in entries] == ["待值班", "已请假", "缺岗"]


def test_activities_mark_self_reports_and_leave_out_rejected_and_absent_ones(world):
    t = world.a
    activity(t, t.deputy, DAY, title="自报走访", approval=Activity.Approval.PENDING)
    activity(t, t.deputy, DAY, title="已审走访", approval=Activity.Approval.APPROVED)
    activity(t, t.deputy, DAY, title="被退回", approval=Activity.Approval.REJECTED)
    activity(t, t.deputy, DAY, title="取消了", status=Activity.Status.CANCELLED)
    other = activity(t, world.b.deputy, DAY, title="别人的活动")
    assert other.participants.get().person == world.b.deputy
    entries = timeline(t.deputy.pk, DAY, DAY + dt.timedelta(days=1), ["activity"])
    assert {e.title: str(e.status) for e in entries} == {"自报走访": "待审核", "已审走访": "已审核"}


def test_good_deeds_show_their_status_and_committee_contacts_both_sides(world):
    everything(world.a, DAY)
    GoodDeed.objects.update(status=GoodDeed.Status.CONFIRMED)
    deeds = timeline(world.a.deputy.pk, DAY, DAY + dt.timedelta(days=1), ["deed"])
    assert [str(e.status) for e in deeds] == ["已确认"]
    committee = timeline(world.a.deputy.pk, DAY, DAY + dt.timedelta(days=1), ["committee"])
    assert "联系本人" in str(committee[0].title)
    member = committee_member(world)
    as_member = timeline(member.pk, DAY, DAY + dt.timedelta(days=1), ["committee"])
    assert str(as_member[0].title) == f"联系代表 {world.a.deputy.name}"


def committee_member(world):
    from lianxin.directory.models import CommitteeLink

    return CommitteeLink.objects.get(deputy=world.a.deputy).member
