"""Sweeps are idempotent: running them twice sends each reminder once (NOTE-2)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from lianxin.accounts.models import Role
from lianxin.common.sweeps import registered, run_all_sweeps
from lianxin.common.tasks import run_sweeps
from lianxin.holidays.models import HolidayYear
from lianxin.notifications.models import Notification
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.django_db

OCTOBER = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


def test_it_registers_the_missing_calendar_sweep():
    assert "holidays.year_missing" in registered()


@time_machine.travel(OCTOBER, tick=False)
def test_it_reminds_every_active_system_administrator_once_when_next_year_is_missing(world):
    second_admin = UserFactory(username="sys2")
    assign(second_admin, Role.SYSTEM_ADMIN)
    retired = UserFactory(username="sys3", is_active=False)
    assign(retired, Role.SYSTEM_ADMIN)

    run_all_sweeps()
    run_all_sweeps()

    reminders = Notification.objects.filter(kind="holidays.year_missing")
    assert sorted(reminders.values_list("recipient__username", flat=True)) == ["sys", "sys2"]
    assert all("2027年" in n.title for n in reminders)
    assert reminders.first().url == "/staff/calendar/2027/edit/"
    assert not Notification.objects.exclude(kind="holidays.year_missing").exists()


@time_machine.travel(OCTOBER, tick=False)
def test_it_runs_through_the_celery_task_and_the_command_idempotently(world):
    run_sweeps.delay()
    call_command("run_sweeps")
    assert Notification.objects.filter(recipient=world.sysadmin).count() == 1


@time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_it_does_not_remind_before_october(world):
    run_all_sweeps()
    assert not Notification.objects.exists()


@time_machine.travel(OCTOBER, tick=False)
def test_it_does_not_remind_when_next_year_is_entered(world):
    HolidayYear.objects.create(year=2027, source=HolidayYear.Source.STAFF)
    run_all_sweeps()
    assert not Notification.objects.exists()
