"""The duty demo (DUTY-1..4): loaded by the demo, idempotent, with something on every page —
a published roster with check-ins, a 空岗, absences, an allowance statement, a pending swap, and
a shift for the demo deputies from today on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lianxin.activities.duty import demo as duty_demo
from lianxin.activities.models import (
    AllowanceRecipient,
    AllowanceStatement,
    Assignment,
    DutyPattern,
    PoolMember,
    Roster,
    Shift,
    SwapRequest,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.common.demo import load_demo
from lianxin.directory.models import Person
from lianxin.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)  # a Tuesday


def test_it_loads_duty_with_the_demo_once_with_something_on_every_page():
    with time_machine.travel(TODAY, tick=False):
        load_demo()
    # Two stations' patterns and published rosters.
    assert set(DutyPattern.objects.values_list("kind", flat=True)) == {"weekly", "solar"}
    assert Roster.objects.filter(status=Roster.Status.PUBLISHED).count() == 2
    # Check-ins, a 空岗, absences escalated, window-unit heads.
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert statuses == {"present", "absent", "excused", "scheduled"}
    assert Assignment.objects.filter(method=Assignment.Method.STAFF).exists()
    assert Shift.objects.filter(empty_flagged_at__isnull=False).exists()
    assert Notification.objects.filter(kind="duty.absences").exists()
    assert Assignment.objects.filter(role=DutyRole.UNIT_HEAD, unit__isnull=False).exists()
    # The demo deputies are on duty within the week.
    for username in ("anliang_deputy", "dinghe_deputy"):
        person = Person.objects.get(account__username=username)
        soon = Assignment.objects.filter(
            person=person,
            shift__date__gte=dt.date(2026, 12, 1),
            shift__date__lte=dt.date(2026, 12, 7),
            shift__roster__status=Roster.Status.PUBLISHED,
        )
        assert soon.exists(), username
    # Allowances and a swap.
    statement = AllowanceStatement.objects.get()
    assert statement.status == AllowanceStatement.Status.DRAFT
    assert statement.month == dt.date(2026, 11, 1) and statement.total > 0
    assert AllowanceRecipient.objects.exclude(bank_account="").count() == 5
    assert SwapRequest.objects.filter(status=SwapRequest.Status.PENDING).count() == 1
    # What an office could have entered.
    broken = []
    for model in (DutyPattern, PoolMember, Roster):
        for obj in model.objects.all():
            try:
                obj.clean()
                obj.validate_constraints()
            except ValidationError as exc:
                broken.append((model.__name__, str(obj), exc.messages))
    assert broken == []
    # A second run adds nothing.
    with time_machine.travel(TODAY, tick=False):
        assert duty_demo.load() == 0
        assert load_demo() == 0
