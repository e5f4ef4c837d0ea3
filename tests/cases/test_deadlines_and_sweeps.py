"""Deadlines of the closed loop (CASE-4): counted on the official calendar, recounted when the
calendar changes, reminded before and escalated after — idempotently (NOTE-2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lianxin.accounts.permissions import actor_for
from lianxin.cases import services
from lianxin.cases.deadlines import recompute_deadlines
from lianxin.cases.models import Case, DeadlineRule
from lianxin.cases.sweeps import case_deadlines
from lianxin.holidays.deadlines import BEIJING
from lianxin.holidays.models import CalendarDay
from lianxin.holidays.notice import DaySpec
from lianxin.holidays.services import calendar_year_save
from lianxin.notifications.models import Notification
from tests.cases.conftest import file

pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> dt.date:
    """The last day of a period ending at 24:00 Beijing time."""
    return (moment - dt.timedelta(seconds=1)).astimezone(BEIJING).date()


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BEIJING)


def test_it_gives_a_township_case_seven_days_from_receipt_to_dispatch(world, a):
    with time_machine.travel(at(2026, 11, 2), tick=False):
        case = services.confirm(who=a.deputy, case=file(world.a).case)
    with time_machine.travel(at(2026, 11, 4), tick=False):
        case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    assert case.due_step == "dispatch"
    assert local(case.due_at) == dt.date(2026, 11, 9)  # 2 Nov + 7 days, a Monday


def test_it_gives_a_unit_one_month_from_dispatch_and_moves_it_off_a_weekend(world, a):
    with time_machine.travel(at(2026, 10, 14), tick=False):
        case = services.confirm(who=a.deputy, case=file(world.a).case)
        case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
        case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    with time_machine.travel(at(2026, 10, 16), tick=False):
        case = services.accept(who=a.unit, case=case)
    # 14 October + 1 month = 14 November 2026, a Saturday: ends Monday 16 November (§203).
    assert case.due_step == "reply" and local(case.due_at) == dt.date(2026, 11, 16)


def test_it_uses_the_congress_rule_before_the_default_and_shorter_for_urgent(world, a):
    DeadlineRule.objects.create(
        congress=world.a.congress, step="report", amount=2, unit="working_days"
    )
    with time_machine.travel(at(2026, 11, 6), tick=False):  # a Friday
        normal = file(world.a).case
        urgent = file(world.a, priority=Case.Priority.URGENT).case
    assert local(normal.due_at) == dt.date(2026, 11, 10)  # 2 working days: Mon, Tue
    assert local(urgent.due_at) == dt.date(2026, 11, 10)  # the congress rule covers both
    DeadlineRule.objects.create(
        congress=world.a.congress, step="report", priority="urgent", amount=1, unit="calendar_days"
    )
    with time_machine.travel(at(2026, 11, 3), tick=False):
        urgent = file(world.a, priority=Case.Priority.URGENT).case
    assert local(urgent.due_at) == dt.date(2026, 11, 4)


def test_it_recounts_running_deadlines_when_staff_enter_a_holiday(
    world, a, django_capture_on_commit_callbacks
):
    """A 2027 holiday entered the way the State Council's notice would be: deadlines that
    ended on it move to the next working day."""
    with time_machine.travel(at(2027, 1, 26), tick=False):
        case = services.confirm(who=a.deputy, case=file(world.a).case)
        case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    assert local(case.due_at) == dt.date(2027, 2, 2)  # a Tuesday, no 2027 data yet
    days = [DaySpec(dt.date(2027, 2, d), CalendarDay.Kind.HOLIDAY, "春节") for d in range(1, 6)]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_save(actor=actor_for(world.sysadmin), year=2027, days=days,
                           notice="国务院办公厅关于2027年部分节假日安排的通知")  # fmt: skip
    case.refresh_from_db()
    assert local(case.due_at) == dt.date(2027, 2, 8)  # Mon 8 Feb, after the holiday
    assert recompute_deadlines(2027) == 0  # idempotent


def test_it_reminds_then_tells_the_office_then_leadership_once_each(world, a):
    with time_machine.travel(at(2026, 11, 2), tick=False):
        case = services.confirm(who=a.deputy, case=file(world.a).case)
        case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    due = case.due_at
    assert case_deadlines(now=due - dt.timedelta(days=3)) == {
        "expired": 0, "reminded": 0, "office": 0, "leadership": 0,
    }  # fmt: skip
    assert case_deadlines(now=due - dt.timedelta(hours=5))["reminded"] == 1
    assert case_deadlines(now=due - dt.timedelta(hours=4))["reminded"] == 0
    reminded = Notification.objects.filter(kind="cases.deadline")
    assert set(reminded.values_list("recipient__username", flat=True)) == {"a_office", "a_station"}
    assert case_deadlines(now=due + dt.timedelta(hours=1))["office"] == 1
    assert case_deadlines(now=due + dt.timedelta(hours=2))["office"] == 0
    assert case_deadlines(now=due + dt.timedelta(days=4))["leadership"] == 1
    assert case_deadlines(now=due + dt.timedelta(days=5))["leadership"] == 0
    leaders = Notification.objects.filter(kind="cases.overdue", recipient=world.a.leadership)
    assert leaders.count() == 1
    assert not Notification.objects.filter(recipient__username__startswith="b_").exists()
    case.refresh_from_db()
    assert case.escalation == 3


def test_it_counts_a_silent_citizen_as_unrated_when_the_window_ends(world, a):
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已修复。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    assert case.due_step == "rate"
    assert case_deadlines(now=case.due_at - dt.timedelta(hours=1))["expired"] == 0
    assert case_deadlines(now=case.due_at)["expired"] == 1
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.rating == Case.Rating.UNRATED
    assert case_deadlines(now=case.closed_at + dt.timedelta(days=30))["expired"] == 0
