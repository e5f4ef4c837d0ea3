"""Overdue cases are escalated on the right dates whichever way the sweeps run (CASE-4,
NOTE-2): by Celery beat's task in production and by the in-process timer's command in the
embedded default — and running both changes nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from lianxin.cases import services
from lianxin.cases.models import Case
from lianxin.common.tasks import run_sweeps
from lianxin.notifications.models import Notification
from tests.cases.conftest import file
from tests.cases.test_deadlines_and_sweeps import at

pytestmark = pytest.mark.django_db


def _overdue_township_case(world, a) -> Case:
    with time_machine.travel(at(2026, 11, 2), tick=False):
        case = services.confirm(who=a.deputy, case=file(world.a).case)
        return services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)


def test_the_celery_task_escalates_on_the_day_after_the_deadline_and_not_before(world, a):
    case = _overdue_township_case(world, a)
    with time_machine.travel(case.due_at - dt.timedelta(hours=1), tick=False):
        run_sweeps.delay()
    assert not Notification.objects.filter(kind="cases.overdue").exists()
    with time_machine.travel(case.due_at + dt.timedelta(hours=1), tick=False):
        run_sweeps.delay()
        run_sweeps.delay()
    overdue = Notification.objects.filter(kind="cases.overdue")
    # The office and the station that owe the step are told, each once.
    assert sorted(overdue.values_list("recipient__username", flat=True)) == [
        "a_office",
        "a_station",
    ]
    case.refresh_from_db()
    assert case.escalation >= 1


def test_the_embedded_command_and_the_task_together_escalate_once(world, a):
    case = _overdue_township_case(world, a)
    with time_machine.travel(case.due_at + dt.timedelta(days=4), tick=False):
        call_command("run_sweeps")
        run_sweeps.delay()
        call_command("run_sweeps")
    leaders = Notification.objects.filter(kind="cases.overdue", recipient=world.a.leadership)
    assert leaders.count() == 1
    assert (
        Notification.objects.filter(kind="cases.overdue", recipient__username="a_office").count()
        == 1
    )
