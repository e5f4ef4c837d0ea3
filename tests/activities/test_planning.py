"""Roster services (DUTY-1, DUTY-2): who may create, solve, edit and publish within reach;
the background solve applies an independent-validated roster; publishing notifies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lianxin.activities.duty import planning
from lianxin.activities.models import Assignment, DutyLeave, Roster
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.notifications.models import Notification
from tests.activities import conftest_solver
from tests.activities.conftest_solver import make_pattern, make_pool, make_roster

duty = conftest_solver.duty

D = dt.date


def solved(duty, django_capture_on_commit_callbacks, roster=None, **kw) -> Roster:
    roster = roster or make_roster(duty, **kw)
    with django_capture_on_commit_callbacks(execute=True):
        planning.roster_solve_start(actor=duty.actor("station"), roster=roster)
    roster.refresh_from_db()
    return roster


def test_it_creates_a_roster_with_the_patterns_shifts(duty):
    roster = make_roster(duty)
    assert roster.status == Roster.Status.DRAFT
    assert [s.date for s in roster.shifts.order_by("date")] == [
        D(2026, 3, 4), D(2026, 3, 11), D(2026, 3, 18), D(2026, 3, 25)
    ]  # fmt: skip
    assert roster.shifts.first().needs == {"deputy": 2}
    assert AuditEntry.objects.filter(object_type="activities.roster", action="create").exists()


def test_it_refuses_a_period_longer_than_a_year(duty):
    with pytest.raises(ValidationError):
        make_roster(duty, start=D(2026, 1, 1), end=D(2027, 1, 1))


@pytest.mark.parametrize("persona", ["unit", "deputy", "leadership"])
def test_it_lets_only_staff_who_manage_duty_create_rosters(duty, persona):
    with pytest.raises(NotAllowed):
        planning.roster_create(
            actor=duty.actor(persona), pattern=duty.pattern, name="x",
            starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 31),
        )  # fmt: skip


def test_it_keeps_another_townships_staff_out(duty):
    outsider = duty.actor("station", "b")
    with pytest.raises(NotAllowed):
        planning.roster_create(
            actor=outsider, pattern=duty.pattern, name="x",
            starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 31),
        )  # fmt: skip
    roster = make_roster(duty)
    for call in (planning.roster_solve_start, planning.roster_publish):
        with pytest.raises(NotAllowed):
            call(actor=outsider, roster=roster)


def test_it_solves_in_the_background_and_proposes_a_complete_fair_roster(
    duty, django_capture_on_commit_callbacks
):
    roster = make_roster(duty)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        planning.roster_solve_start(actor=duty.actor("station"), roster=roster)
    roster.refresh_from_db()
    assert roster.status == Roster.Status.SOLVING and len(queued) == 1
    queued[0]()  # the worker runs the task
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PROPOSED and roster.progress == 100
    assert roster.report["complete"] and roster.report["fair"]
    assert roster.report["violations"] == []
    rows = Assignment.objects.filter(shift__roster=roster)
    assert rows.count() == 8
    assert {a.source for a in rows} == {Assignment.Source.SOLVER}
    loads = {}
    for a in rows:
        loads[a.person_id] = loads.get(a.person_id, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1
    assert planning.check(roster) == []


def test_it_respects_leave_and_names_the_shift_it_cannot_fill(
    duty, django_capture_on_commit_callbacks
):
    # Only two deputies in the pool; one is away on 11 March.
    for member in duty.members[2:]:
        member.is_active = False
        member.save()
    DutyLeave.objects.create(
        person=duty.persons[0], starts_on=D(2026, 3, 11), ends_on=D(2026, 3, 11)
    )
    roster = solved(duty, django_capture_on_commit_callbacks)
    assert roster.status == Roster.Status.PROPOSED and not roster.report["complete"]
    [gap] = roster.report["uncovered"]
    assert gap["day"] == "2026-03-11" and gap["reason"] == "few_available"
    assert "当天只有 1 名代表可以值班" in planning.reason_text(gap)
    assert not Assignment.objects.filter(
        person=duty.persons[0], shift__date=D(2026, 3, 11)
    ).exists()


def test_it_keeps_staff_edits_when_solving_again(duty, django_capture_on_commit_callbacks):
    roster = make_roster(duty)
    shift = roster.shifts.order_by("date").first()
    kept = planning.assignment_add(actor=duty.actor("station"), shift=shift, member=duty.members[5])
    roster = solved(duty, django_capture_on_commit_callbacks, roster=roster)
    assert Assignment.objects.filter(pk=kept.pk).exists()
    assert Assignment.objects.filter(shift=shift).count() == 2
    roster = solved(duty, django_capture_on_commit_callbacks, roster=roster)
    assert Assignment.objects.filter(shift__roster=roster).count() == 8


def test_it_refuses_a_manual_edit_that_breaks_a_rule(duty):
    roster = make_roster(duty)
    shift = roster.shifts.order_by("date").first()
    actor = duty.actor("station")
    planning.assignment_add(actor=actor, shift=shift, member=duty.members[0])
    with pytest.raises(ValidationError, match="此人已在这个班次中"):
        planning.assignment_add(actor=actor, shift=shift, member=duty.members[0])
    DutyLeave.objects.create(person=duty.persons[1], starts_on=shift.date, ends_on=shift.date)
    with pytest.raises(ValidationError, match="请假"):
        planning.assignment_add(actor=actor, shift=shift, member=duty.members[1])
    planning.assignment_add(actor=actor, shift=shift, member=duty.members[2])
    with pytest.raises(ValidationError, match="已满"):
        planning.assignment_add(actor=actor, shift=shift, member=duty.members[3])
    # another roster of the same station on the same day: not twice a day
    other = planning.roster_create(
        actor=actor, pattern=make_pattern(duty.world.a.station, name="加班"), name="加班",
        starts_on=shift.date, ends_on=shift.date,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="同一天"):
        planning.assignment_add(actor=actor, shift=other.shifts.get(), member=duty.members[0])
    # not in this station's pool
    members_b, _persons = make_pool(duty.world.b, n=1)
    with pytest.raises(ValidationError, match="不在本站"):
        planning.assignment_add(actor=actor, shift=shift, member=members_b[0])


def test_it_replaces_and_removes_a_person(duty):
    roster = make_roster(duty)
    shift = roster.shifts.order_by("date").first()
    actor = duty.actor("office")
    first = planning.assignment_add(actor=actor, shift=shift, member=duty.members[0])
    new = planning.assignment_replace(actor=actor, assignment=first, member=duty.members[1])
    assert list(shift.assignments.values_list("person_id", flat=True)) == [duty.persons[1].pk]
    planning.assignment_remove(actor=actor, assignment=new)
    assert not shift.assignments.exists()
    roster.refresh_from_db()
    assert roster.report["edited"] is True


def test_it_publishes_only_a_complete_roster_unless_staff_accept_the_empty_posts(
    duty, django_capture_on_commit_callbacks
):
    for member in duty.members[2:]:
        member.is_active = False
        member.save()
    DutyLeave.objects.create(
        person=duty.persons[0], starts_on=D(2026, 3, 11), ends_on=D(2026, 3, 11)
    )
    roster = solved(duty, django_capture_on_commit_callbacks)
    actor = duty.actor("station")
    with pytest.raises(ValidationError, match="无人值班"):
        planning.roster_publish(actor=actor, roster=roster)
    with django_capture_on_commit_callbacks(execute=True):
        planning.roster_publish(actor=actor, roster=roster, accept_uncovered=True)
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PUBLISHED
    assert roster.report["accepted_uncovered"] == [
        {"shift": roster.shifts.get(date=D(2026, 3, 11)).pk, "day": "2026-03-11",
         "role": "deputy", "missing": 1}
    ]  # fmt: skip
    with pytest.raises(Conflict):
        planning.roster_publish(actor=actor, roster=roster)


def test_it_tells_every_assigned_person_when_it_publishes(duty, django_capture_on_commit_callbacks):
    roster = solved(duty, django_capture_on_commit_callbacks)
    planning.roster_publish(actor=duty.actor("office"), roster=roster)
    notes = Notification.objects.filter(kind=planning.KIND_PUBLISHED)
    assert notes.count() == 6
    mine = notes.get(recipient=duty.persons[0].account)
    assert "您有" in mine.title and "值班日期" in mine.body
    assert AuditEntry.objects.filter(note="发布排班表").exists()


def test_it_refuses_to_publish_a_roster_that_breaks_a_rule(
    duty, django_capture_on_commit_callbacks
):
    roster = solved(duty, django_capture_on_commit_callbacks)
    someone = Assignment.objects.filter(shift__roster=roster).first()
    DutyLeave.objects.create(
        person=someone.person, starts_on=someone.shift.date, ends_on=someone.shift.date
    )
    with pytest.raises(ValidationError, match="请假"):
        planning.roster_publish(actor=duty.actor("station"), roster=roster)


def test_it_refuses_to_change_a_published_roster(duty, django_capture_on_commit_callbacks):
    roster = solved(duty, django_capture_on_commit_callbacks)
    planning.roster_publish(actor=duty.actor("station"), roster=roster)
    with pytest.raises(Conflict):
        planning.roster_solve_start(actor=duty.actor("station"), roster=roster)
    with pytest.raises(Conflict):
        planning.roster_generate_shifts(actor=duty.actor("station"), roster=roster)


def test_it_ends_a_failed_solve_in_a_state_the_page_can_show(duty, monkeypatch):
    roster = make_roster(duty)
    Roster.objects.filter(pk=roster.pk).update(status=Roster.Status.SOLVING)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(planning.solver, "solve", broken)
    planning.roster_solve_run(roster_pk=roster.pk)
    roster.refresh_from_db()
    assert roster.status == Roster.Status.FAILED and roster.report["error"] == "unexpected"


def test_it_does_nothing_when_the_task_runs_for_a_roster_not_being_solved(duty):
    roster = make_roster(duty)
    planning.roster_solve_run(roster_pk=roster.pk)
    roster.refresh_from_db()
    assert roster.status == Roster.Status.DRAFT
    assert not Assignment.objects.exists()


def test_it_lets_staff_restart_a_solve_whose_process_died(duty, django_capture_on_commit_callbacks):
    from django.utils import timezone

    roster = make_roster(duty)
    Roster.objects.filter(pk=roster.pk).update(status=Roster.Status.SOLVING)
    with pytest.raises(Conflict):
        planning.roster_solve_start(actor=duty.actor("station"), roster=roster)
    Roster.objects.filter(pk=roster.pk).update(
        updated_at=timezone.now() - planning.STALE_SOLVE - dt.timedelta(minutes=1)
    )
    roster = solved(duty, django_capture_on_commit_callbacks, roster=roster)
    assert roster.status == Roster.Status.PROPOSED
