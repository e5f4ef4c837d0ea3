"""Rosters as a service (DUTY-1, DUTY-2): create, expand into shifts, solve in the background,
apply the solution, edit by hand, publish.

Every write takes an ``Actor`` and checks the capability (``Perm.MANAGE_DUTY``) and the reach
of the roster's station. The solver (``duty.solver``) works on plain dataclasses: this module
converts the models into them and the solution back into assignments; the independent
validator (``duty.validator``) checks every roster before it is published.

Solving is background work (ARCHITECTURE: roster solves must not hang on a request): the
service marks the roster "正在排班" and queues ``activities.solve_roster`` after the commit; in
the embedded default Celery runs it in-process right after the request's commit, in production
a worker runs it. Progress goes to ``Roster.progress`` from the solver's solution callback, so
the roster page can poll it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import Actor, Perm, actor_for, can_edit, in_reach
from lianxin.activities.duty import patterns, solver, validator
from lianxin.activities.models import (
    Assignment,
    DutyLeave,
    DutyPattern,
    PoolMember,
    Roster,
    Shift,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.context import acting_as
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.directory.models import Station
from lianxin.notifications.kinds import register_kind

log = logging.getLogger(__name__)

KIND_PUBLISHED = "duty.roster_published"
KIND_CHANGED = "duty.shift_changed"
register_kind(KIND_PUBLISHED, gettext_lazy("值班排班发布通知"))
register_kind(KIND_CHANGED, gettext_lazy("值班安排变动通知"))

UNPUBLISHED = (Roster.Status.DRAFT, Roster.Status.PROPOSED, Roster.Status.FAILED)
# A solve whose process died leaves the roster "solving": it may be restarted after this.
STALE_SOLVE = dt.timedelta(minutes=15)
PROGRESS_EVERY_SECONDS = 1.0
ACTIVE = (Assignment.Status.SCHEDULED, Assignment.Status.PRESENT)


# --- Checks ----------------------------------------------------------------------------------


def _require_manage(
    actor: Actor, roster: Roster | None = None, station: Station | None = None
) -> None:
    if not actor.has(Perm.MANAGE_DUTY):
        raise NotAllowed
    if roster is not None and not can_edit(actor, roster):
        raise NotAllowed
    if station is not None and not in_reach(actor, station):
        raise NotAllowed


def _require_unpublished(roster: Roster) -> None:
    if roster.status == Roster.Status.PUBLISHED:
        raise Conflict(_("排班表已发布，不能再改动排班设置。"))
    if roster.status == Roster.Status.SOLVING:
        raise Conflict(_("正在排班，请等排班结束后再操作。"))


def _check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if not within_a_year(starts_on, ends_on):
        raise ValidationError({"ends_on": _("一张排班表最长一年。")})


def within_a_year(starts_on: dt.date, ends_on: dt.date) -> bool:
    """At most one year: 2026-01-01 … 2026-12-31, not … 2027-01-01."""
    from lianxin.holidays.deadlines import add_months

    return ends_on < add_months(starts_on, 12)


# --- Create, change, expand into shifts ------------------------------------------------------


@dataclass
class Generated:
    created: int = 0
    removed: int = 0
    kept: int = 0
    missing_years: tuple[int, ...] = ()


def roster_create(
    *,
    actor: Actor,
    pattern: DutyPattern,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    max_per_month: int | None = None,
    time_limit_seconds: int = 30,
) -> Roster:
    """A draft roster of ``pattern`` over a period of at most a year, with its shifts."""
    _require_manage(actor, station=pattern.station)
    _check_period(starts_on, ends_on)
    with transaction.atomic():
        roster = Roster(
            station=pattern.station,
            pattern=pattern,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            max_per_month=max_per_month,
            time_limit_seconds=time_limit_seconds,
            created_by=actor.user if actor.is_authenticated else None,
        )
        roster.full_clean()
        roster.save()
        if not can_edit(actor, roster):
            raise NotAllowed
        generated = _generate(roster)
        record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=roster,
            changes={
                "pattern": pattern.pk,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "shifts": generated.created,
            },
            note=_("新建排班表"),
        )
    return roster


def roster_update(*, actor: Actor, roster: Roster, **values: Any) -> Roster:
    """Changes an unpublished roster's settings; a new pattern or period expands the shifts
    again (assignments of dropped days go with them)."""
    _require_manage(actor, roster)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        _require_unpublished(roster)
        before = {k: getattr(roster, k) for k in values}
        for key, value in values.items():
            setattr(roster, key, value)
        if "pattern" in values:
            roster.station = roster.pattern.station
            _require_manage(actor, station=roster.station)
        _check_period(roster.starts_on, roster.ends_on)
        roster.full_clean()
        roster.save()
        if not can_edit(actor, roster):
            raise NotAllowed
        changed = {k: str(v) for k, v in values.items() if before[k] != v}
        if {"pattern", "starts_on", "ends_on"} & set(changed):
            changed["shifts"] = str(_generate(roster).created)
        record(actor=actor, action=AuditEntry.Action.UPDATE, obj=roster, changes=changed)
    return roster


def roster_generate_shifts(*, actor: Actor, roster: Roster) -> Generated:
    """Expands the pattern over the period again: new days get a shift, days the pattern no
    longer has lose theirs, the posts follow the pattern's requirements."""
    _require_manage(actor, roster)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        _require_unpublished(roster)
        generated = _generate(roster)
        record(
            actor=actor,
            action=AuditEntry.Action.ACTION,
            obj=roster,
            changes={"created": generated.created, "removed": generated.removed},
            note=_("生成班次"),
        )
    return generated


def _generate(roster: Roster) -> Generated:
    pattern = roster.pattern
    expansion = patterns.expand_with_calendar(
        patterns.PatternSpec.of(pattern), roster.starts_on, roster.ends_on
    )
    needs = pattern.needs()
    wanted = set(expansion.days)
    existing = {s.date: s for s in roster.shifts.all()}
    result = Generated(missing_years=expansion.missing_years)
    obsolete = [s.pk for day, s in existing.items() if day not in wanted]
    if obsolete:
        Shift.objects.filter(pk__in=obsolete).delete()
        result.removed = len(obsolete)
    for day, shift in existing.items():
        if day in wanted and (
            shift.needs != needs
            or shift.starts_at != pattern.starts_at
            or shift.ends_at != pattern.ends_at
        ):
            Shift.objects.filter(pk=shift.pk).update(
                needs=needs, starts_at=pattern.starts_at, ends_at=pattern.ends_at
            )
    new = [
        Shift(
            roster=roster,
            station=roster.station,
            date=day,
            starts_at=pattern.starts_at,
            ends_at=pattern.ends_at,
            needs=needs,
        )
        for day in sorted(wanted - set(existing))
    ]
    Shift.objects.bulk_create(new)
    result.created = len(new)
    result.kept = len(wanted) - len(new)
    report = dict(roster.report or {})
    report["missing_years"] = list(expansion.missing_years)
    Roster.objects.filter(pk=roster.pk).update(report=report)
    roster.report = report
    return result


# --- Models -> the solver's dataclasses ----------------------------------------------------


@dataclass
class Inputs:
    """The solver's and the validator's view of one roster."""

    shifts: list[solver.ShiftSlot]
    pool: list[solver.Member]
    leave: list[solver.Leave]
    busy: set[tuple[int, dt.date]]
    fixed: list[solver.Fixed]
    members: dict[tuple[int, str], PoolMember] = field(default_factory=dict)


def _inputs(roster: Roster) -> Inputs:
    shifts = list(roster.shifts.order_by("date", "starts_at"))
    slots = [
        solver.ShiftSlot(
            key=s.pk, day=s.date, needs={k: int(v) for k, v in (s.needs or {}).items()}
        )
        for s in shifts
    ]
    members = {
        (m.person_id, m.role): m
        for m in PoolMember.objects.filter(station=roster.station, is_active=True).order_by("pk")
    }
    pool = [
        solver.Member(
            person=m.person_id,
            role=m.role,
            delegation=m.delegation_id,
            unit=m.unit_id,
            unavailable_weekdays=frozenset(int(d) for d in m.unavailable_weekdays or []),
            max_per_month=m.max_per_month,
        )
        for m in members.values()
    ]
    persons = {person for person, _role in members}
    leave = [
        solver.Leave(person=item.person_id, starts_on=item.starts_on, ends_on=item.ends_on)
        for item in DutyLeave.objects.filter(
            Q(station__isnull=True) | Q(station=roster.station),
            person_id__in=persons,
            starts_on__lte=roster.ends_on,
            ends_on__gte=roster.starts_on,
        )
    ]
    # On duty that day at this station under another roster: not free here.
    busy = set(
        Assignment.objects.filter(
            shift__station=roster.station,
            shift__date__gte=roster.starts_on,
            shift__date__lte=roster.ends_on,
            status__in=ACTIVE,
        )
        .exclude(shift__roster=roster)
        .values_list("person_id", "shift__date")
    )
    # What staff set by hand (and swaps) stays; the solver fills around it.
    fixed = [
        solver.Fixed(shift=a.shift_id, person=a.person_id, role=a.role)
        for a in Assignment.objects.filter(shift__roster=roster)
        .exclude(source=Assignment.Source.SOLVER, status=Assignment.Status.SCHEDULED)
        .exclude(status=Assignment.Status.EXCUSED)  # excused: the post is open again
    ]
    return Inputs(shifts=slots, pool=pool, leave=leave, busy=busy, fixed=fixed, members=members)


# --- Solving ---------------------------------------------------------------------------------


def roster_solve_start(*, actor: Actor, roster: Roster) -> Roster:
    """Marks the roster as being solved and queues the solve after the commit."""
    _require_manage(actor, roster)
    if actor.assignment is None:
        raise NotAllowed
    stale = timezone.now() - STALE_SOLVE
    with transaction.atomic():
        claimed = Roster.objects.filter(
            Q(status__in=UNPUBLISHED) | Q(status=Roster.Status.SOLVING, updated_at__lt=stale),
            pk=roster.pk,
        ).update(status=Roster.Status.SOLVING, progress=0, updated_at=timezone.now())
        if not claimed:
            roster.refresh_from_db()
            _require_unpublished(roster)
            raise Conflict
        if not roster.shifts.exists():
            raise Conflict(_("这张排班表还没有班次，请先生成班次。"))
        report = dict(roster.report or {})
        report["queued_by"] = [actor.user.pk, actor.assignment.pk]
        report.pop("error", None)
        Roster.objects.filter(pk=roster.pk).update(report=report)
        record(actor=actor, action=AuditEntry.Action.ACTION, obj=roster, note=_("开始自动排班"))
        _queue(roster.pk)
    roster.refresh_from_db()
    return roster


def _queue(roster_pk: int) -> None:
    from lianxin.activities.tasks import solve_roster

    transaction.on_commit(lambda: solve_roster.delay(roster_pk))


def roster_solve_run(*, roster_pk: int) -> None:
    """The background work: solves a roster marked "solving" and applies the solution.
    Running it for a roster in any other state does nothing."""
    roster = Roster.objects.select_related("station", "pattern").filter(pk=roster_pk).first()
    if roster is None or roster.status != Roster.Status.SOLVING:
        return
    queued = (roster.report or {}).get("queued_by") or [None, None]
    actor = _actor_of(queued)
    try:
        with acting_as(actor):
            _solve(roster, actor)
    except Exception:  # the roster must end in a state the page can show
        log.exception("roster %s: solve failed", roster_pk)
        report = dict(roster.report or {})
        report["error"] = "unexpected"
        Roster.objects.filter(pk=roster.pk, status=Roster.Status.SOLVING).update(
            status=Roster.Status.FAILED, progress=100, report=report, updated_at=timezone.now()
        )


def _actor_of(queued: list[Any]) -> Actor | None:
    from lianxin.accounts.models import User

    user = User.objects.filter(pk=queued[0]).first() if queued and queued[0] else None
    return actor_for(user, queued[1]) if user is not None else None


def _solve(roster: Roster, actor: Actor | None) -> None:
    inputs = _inputs(roster)
    problem = solver.Problem(
        shifts=inputs.shifts,
        pool=inputs.pool,
        leave=inputs.leave,
        busy=inputs.busy,
        fixed=inputs.fixed,
        max_per_month=roster.max_per_month,
        time_limit=float(roster.time_limit_seconds),
        workers=2,
    )
    solution = _solve_watching(problem, roster.pk)
    with transaction.atomic():
        locked = Roster.objects.select_for_update().get(pk=roster.pk)
        if locked.status != Roster.Status.SOLVING:
            return  # somebody reset it meanwhile
        applied = _apply(locked, inputs, solution) if solution.status != solver.FAILED else 0
        report = dict(locked.report or {})
        report.update(solution.report())
        report["applied"] = applied
        report["edited"] = False
        report["violations"] = [
            v.kind for v in check(locked, claims_fair=solution.fair, accept_uncovered=True)
        ]
        locked.report = report
        locked.status = (
            Roster.Status.FAILED if solution.status == solver.FAILED else Roster.Status.PROPOSED
        )
        locked.progress = 100
        locked.solved_at = timezone.now()
        locked.save(update_fields=["report", "status", "progress", "solved_at", "updated_at"])
        record(
            actor=actor,
            action=AuditEntry.Action.ACTION,
            obj=locked,
            changes={
                "status": solution.status,
                "assignments": applied,
                "uncovered": sum(u.missing for u in solution.uncovered),
                "seconds": round(solution.wall_seconds, 1),
            },
            note=_("自动排班完成"),
        )


def _solve_watching(problem: solver.Problem, roster_pk: int) -> solver.Solution:
    """Runs the solver in a thread of its own while this thread writes its progress to the
    roster every second: the solver's callbacks come from CP-SAT's threads, which must not
    touch the database (one connection per thread)."""
    latest = {"percent": 0}
    outcome: dict[str, Any] = {}

    def progress(step: solver.Progress) -> None:
        latest["percent"] = max(1, min(99, round(step.fraction * 100)))

    def run() -> None:
        try:
            outcome["solution"] = solver.solve(problem, progress=progress)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"roster-{roster_pk}", daemon=True)
    worker.start()
    written = 0
    while worker.is_alive():
        worker.join(PROGRESS_EVERY_SECONDS)
        if latest["percent"] != written:
            written = latest["percent"]
            Roster.objects.filter(pk=roster_pk, status=Roster.Status.SOLVING).update(
                progress=written
            )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["solution"]  # type: ignore[no-any-return]


def _apply(roster: Roster, inputs: Inputs, solution: solver.Solution) -> int:
    """Replaces the solver's scheduled assignments of this unpublished roster with the new
    solution; staff edits, swaps and check-ins stay."""
    Assignment.objects.filter(
        shift__roster=roster,
        source=Assignment.Source.SOLVER,
        status=Assignment.Status.SCHEDULED,
    ).delete()
    rows = []
    for placed in solution.assignments:
        member = inputs.members.get((placed.person, placed.role))
        rows.append(
            Assignment(
                shift_id=placed.shift,
                person_id=placed.person,
                role=placed.role,
                delegation_id=member.delegation_id if member else None,
                unit_id=member.unit_id if member else None,
                source=Assignment.Source.SOLVER,
            )
        )
    Assignment.objects.bulk_create(rows)
    return len(rows)


# --- Validation ------------------------------------------------------------------------------


def check(
    roster: Roster, *, claims_fair: bool | None = None, accept_uncovered: bool = False
) -> list[validator.Violation]:
    """The independent validator's verdict on the roster as it stands."""
    inputs = _inputs(roster)
    rows = [
        solver.Placed(shift=a.shift_id, person=a.person_id, role=a.role)
        for a in Assignment.objects.filter(shift__roster=roster).exclude(
            status=Assignment.Status.EXCUSED
        )
    ]
    report = roster.report or {}
    if claims_fair is None:
        claims_fair = bool(report.get("fair")) and not report.get("edited")
    accepted: set[tuple[int, str]] = set()
    if accept_uncovered:
        accepted = {(s.key, role) for s in inputs.shifts for role in s.needs}
    return validator.validate(
        inputs.shifts,
        inputs.pool,
        inputs.leave,
        rows,
        validator.Rules(
            max_per_month=roster.max_per_month,
            claims_fair=claims_fair,
            accepted_uncovered=accepted,
            busy=inputs.busy,
        ),
    )


# --- Manual edits ----------------------------------------------------------------------------


def _check_member(
    roster: Roster, shift: Shift, member: PoolMember, *, ignore: Assignment | None = None
) -> None:
    """A person may take a post: in the station's pool in that role, not on leave, not on
    duty elsewhere that day, under his monthly maximum."""
    if member.station_id != roster.station_id or not member.is_active:
        raise ValidationError(_("此人不在本站值班人员库中。"))
    need = int((shift.needs or {}).get(member.role, 0))
    if need <= 0:
        raise ValidationError(_("这个班次不需要该岗位的人员。"))
    others = Assignment.objects.filter(shift=shift, role=member.role, status__in=ACTIVE)
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    if others.count() >= need:
        raise ValidationError(_("这个班次的该岗位已满，请先移除一人或使用替换。"))
    on_shift = Assignment.objects.filter(shift=shift, person_id=member.person_id)
    if ignore is not None:
        on_shift = on_shift.exclude(pk=ignore.pk)
    if on_shift.exists():
        raise ValidationError(_("此人已在这个班次中。"))
    if DutyLeave.objects.filter(
        Q(station__isnull=True) | Q(station=roster.station),
        person_id=member.person_id,
        starts_on__lte=shift.date,
        ends_on__gte=shift.date,
    ).exists():
        raise ValidationError(_("此人当天请假，不能安排。"))
    if member.unavailable_weekdays and shift.date.weekday() in member.unavailable_weekdays:
        raise ValidationError(_("此人固定不能在这一天值班。"))
    same_day = Assignment.objects.filter(
        person_id=member.person_id,
        shift__station=roster.station,
        shift__date=shift.date,
        status__in=ACTIVE,
    )
    if ignore is not None:
        same_day = same_day.exclude(pk=ignore.pk)
    if same_day.exists():
        raise ValidationError(_("此人当天已有值班，同一天不能安排两次。"))
    limit = member.max_per_month if member.max_per_month is not None else roster.max_per_month
    if limit is not None:
        in_month = Assignment.objects.filter(
            person_id=member.person_id,
            role=member.role,
            shift__roster=roster,
            shift__date__year=shift.date.year,
            shift__date__month=shift.date.month,
        )
        if ignore is not None:
            in_month = in_month.exclude(pk=ignore.pk)
        if in_month.count() >= limit:
            raise ValidationError(
                _("此人本月已值班 %(n)s 次，达到每月上限。") % {"n": in_month.count()}
            )


def _editable_shift(actor: Actor, shift: Shift) -> Roster:
    roster = shift.roster
    _require_manage(actor, roster)
    if roster.status == Roster.Status.SOLVING:
        raise Conflict(_("正在排班，请等排班结束后再调整。"))
    if shift.date < timezone.localdate() and roster.status == Roster.Status.PUBLISHED:
        raise Conflict(_("已过去的班次不能再调整。"))
    return roster


def _mark_edited(roster: Roster) -> None:
    report = dict(roster.report or {})
    report["edited"] = True
    Roster.objects.filter(pk=roster.pk).update(report=report, updated_at=timezone.now())


def assignment_add(*, actor: Actor, shift: Shift, member: PoolMember) -> Assignment:
    """Puts a person of the pool on a shift by hand (人工调整)."""
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("roster").get(pk=shift.pk)
        roster = _editable_shift(actor, shift)
        _check_member(roster, shift, member)
        assignment = Assignment.objects.create(
            shift=shift,
            person_id=member.person_id,
            role=member.role,
            delegation_id=member.delegation_id,
            unit_id=member.unit_id,
            source=Assignment.Source.MANUAL,
        )
        _mark_edited(roster)
        record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=assignment,
            changes={"shift": shift.pk, "person": member.person_id, "role": member.role},
            note=_("人工排班"),
        )
        if roster.status == Roster.Status.PUBLISHED:
            _tell(assignment, added=True)
    return assignment


def assignment_remove(*, actor: Actor, assignment: Assignment) -> None:
    """Takes a person off a shift he has not checked in to."""
    with transaction.atomic():
        shift = (
            Shift.objects.select_for_update().select_related("roster").get(pk=assignment.shift_id)
        )
        roster = _editable_shift(actor, shift)
        assignment = Assignment.objects.select_related("person").get(pk=assignment.pk)
        if assignment.status != Assignment.Status.SCHEDULED:
            raise Conflict(_("已签到或已处理的值班不能移除。"))
        if roster.status == Roster.Status.PUBLISHED:
            _tell(assignment, added=False)
        record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=assignment,
            changes={"shift": shift.pk, "person": assignment.person_id, "role": assignment.role},
            note=_("人工排班"),
        )
        assignment.delete()
        _mark_edited(roster)


def assignment_replace(*, actor: Actor, assignment: Assignment, member: PoolMember) -> Assignment:
    """Puts another person of the pool in place of one on a shift."""
    with transaction.atomic():
        shift = (
            Shift.objects.select_for_update().select_related("roster").get(pk=assignment.shift_id)
        )
        roster = _editable_shift(actor, shift)
        old = Assignment.objects.get(pk=assignment.pk)
        if old.status != Assignment.Status.SCHEDULED:
            raise Conflict(_("已签到或已处理的值班不能替换。"))
        if member.role != old.role:
            raise ValidationError(_("替换的人员须是同一岗位。"))
        _check_member(roster, shift, member, ignore=old)
        if roster.status == Roster.Status.PUBLISHED:
            _tell(old, added=False)
        record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=old,
            changes={"person": [old.person_id, member.person_id]},
            note=_("人工排班：替换"),
        )
        old.delete()
        new = Assignment.objects.create(
            shift=shift,
            person_id=member.person_id,
            role=member.role,
            delegation_id=member.delegation_id,
            unit_id=member.unit_id,
            source=Assignment.Source.MANUAL,
        )
        _mark_edited(roster)
        if roster.status == Roster.Status.PUBLISHED:
            _tell(new, added=True)
    return new


def _tell(assignment: Assignment, *, added: bool) -> None:
    from lianxin.notifications.services import notify

    user = getattr(assignment.person, "account", None)
    if user is None:
        return
    shift = assignment.shift
    when = f"{shift.date:%Y-%m-%d} {shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}"
    title = (
        _("您被安排在%(station)s值班：%(when)s")
        if added
        else _("您在%(station)s的值班已取消：%(when)s")
    ) % {"station": shift.station.name, "when": when}
    notify(recipient=user, kind=KIND_CHANGED, title=title, url=_my_shifts_url())


def _my_shifts_url() -> str:
    try:
        return reverse("mobile:duty")
    except Exception:
        return ""


# --- Publishing ------------------------------------------------------------------------------


def uncovered_posts(roster: Roster) -> list[tuple[Shift, str, int]]:
    """(shift, role, posts missing) as the roster stands now."""
    filled: dict[tuple[int, str], int] = defaultdict(int)
    for shift_id, role in Assignment.objects.filter(
        shift__roster=roster, status__in=(*ACTIVE, Assignment.Status.ABSENT)
    ).values_list("shift_id", "role"):
        filled[shift_id, role] += 1
    found = []
    for shift in roster.shifts.order_by("date", "starts_at"):
        for role, need in (shift.needs or {}).items():
            missing = int(need) - filled[shift.pk, role]
            if missing > 0:
                found.append((shift, role, missing))
    return found


def roster_publish(*, actor: Actor, roster: Roster, accept_uncovered: bool = False) -> Roster:
    """Publishes a roster the validator passes, or whose only fault is empty posts staff
    accepted by name; tells every person on it."""
    _require_manage(actor, roster)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status == Roster.Status.PUBLISHED:
            raise Conflict(_("排班表已发布。"))
        if roster.status == Roster.Status.SOLVING:
            raise Conflict(_("正在排班，请等排班结束后再发布。"))
        if not roster.shifts.exists():
            raise Conflict(_("这张排班表还没有班次。"))
        violations = check(roster, accept_uncovered=True)
        if violations:
            raise ValidationError(
                [violation_text(v) for v in violations[:20]],
            )
        empty = uncovered_posts(roster)
        if empty and not accept_uncovered:
            raise ValidationError(
                _("还有 %(n)s 个岗位无人值班，请补齐，或确认知晓后再发布。") % {"n": len(empty)}
            )
        report = dict(roster.report or {})
        report["accepted_uncovered"] = [
            {"shift": s.pk, "day": s.date.isoformat(), "role": role, "missing": n}
            for s, role, n in empty
        ]
        roster.report = report
        roster.status = Roster.Status.PUBLISHED
        roster.published_at = timezone.now()
        roster.published_by = actor.user
        roster.save(
            update_fields=["report", "status", "published_at", "published_by", "updated_at"]
        )
        record(
            actor=actor,
            action=AuditEntry.Action.ACTION,
            obj=roster,
            changes={"accepted_uncovered": len(empty)},
            note=_("发布排班表"),
        )
        _announce(roster)
    return roster


def _announce(roster: Roster) -> int:
    """One message to each person on the roster with an account, listing his days."""
    from lianxin.notifications.services import notify

    days: dict[int, list[Assignment]] = defaultdict(list)
    for a in (
        Assignment.objects.filter(shift__roster=roster, status=Assignment.Status.SCHEDULED)
        .select_related("person__account", "shift")
        .order_by("shift__date")
    ):
        days[a.person_id].append(a)
    sent = 0
    for person_id, items in days.items():
        user = getattr(items[0].person, "account", None)
        if user is None:
            continue
        dates = "、".join(f"{a.shift.date:%m月%d日}" for a in items[:12])
        if len(items) > 12:
            dates += _("等")
        notify(
            recipient=user,
            kind=KIND_PUBLISHED,
            title=_("%(station)s排班表已发布：您有 %(n)s 次值班")
            % {"station": roster.station.name, "n": len(items)},
            body=_("值班日期：%(dates)s。%(start)s-%(end)s，请按时到岗并扫码签到。")
            % {
                "dates": dates,
                "start": f"{items[0].shift.starts_at:%H:%M}",
                "end": f"{items[0].shift.ends_at:%H:%M}",
            },
            url=_my_shifts_url(),
            dedupe_key=f"duty-roster-{roster.pk}-published-{person_id}",
        )
        sent += 1
    return sent


# --- Words for the pages ---------------------------------------------------------------------

ROLE_LABELS = dict(DutyRole.choices)


def reason_text(item: dict[str, Any]) -> str:
    """Why a post stays empty, in words (the solver gives a code and counts)."""
    role = ROLE_LABELS.get(item.get("role", ""), item.get("role", ""))
    counts = item.get("counts") or {}
    available = item.get("available", 0)
    reason = item.get("reason")
    if reason == solver.NO_POOL:
        return _("值班人员库中没有%(role)s。") % {"role": role}
    if reason == solver.FEW_AVAILABLE:
        parts = []
        if counts.get("leave"):
            parts.append(_("%(n)s人请假") % {"n": counts["leave"]})
        if counts.get("weekday"):
            parts.append(_("%(n)s人固定不能在这一天值班") % {"n": counts["weekday"]})
        if counts.get("busy"):
            parts.append(_("%(n)s人当天另有值班") % {"n": counts["busy"]})
        why = "，".join(str(p) for p in parts)
        text = _("当天只有 %(n)s 名%(role)s可以值班") % {"n": available, "role": role}
        return f"{text}（{why}）。" if why else f"{text}。"
    if reason == solver.MONTHLY_MAX:
        return _("当天能值班的%(role)s本月都已达到每月值班上限。") % {"role": role}
    if reason == solver.SAME_DAY:
        return _("当天能值班的%(role)s都已排在同一天的其他班次。") % {"role": role}
    if reason == solver.BAND:
        return _("当天能值班的%(role)s都已达到本期应承担的次数。") % {"role": role}
    return _("在限定时间内没有找到更完整的排法，可延长排班限时后重排。")


VIOLATION_LABELS = {
    validator.UNCOVERED: gettext_lazy("岗位缺人"),
    validator.OVERFILLED: gettext_lazy("岗位人数超出要求"),
    validator.ON_LEAVE: gettext_lazy("安排了请假的人员"),
    validator.UNAVAILABLE_WEEKDAY: gettext_lazy("安排在本人固定不能值班的日子"),
    validator.TWICE_A_DAY: gettext_lazy("同一人同一天安排了两次"),
    validator.OVER_MONTHLY_MAX: gettext_lazy("超过每月值班上限"),
    validator.NOT_IN_POOL: gettext_lazy("人员不在值班人员库中"),
    validator.WRONG_ROLE: gettext_lazy("人员岗位不符"),
    validator.UNKNOWN_SHIFT: gettext_lazy("班次不存在"),
    validator.UNFAIR: gettext_lazy("负担相差超过1次"),
}


def violation_text(violation: validator.Violation) -> str:
    label = str(VIOLATION_LABELS.get(violation.kind, violation.kind))
    return f"{label}：{violation.day}" if violation.day else label


def current_spreads(roster: Roster) -> dict[str, dict[str, int]]:
    """Loads per role as the roster stands (edits included): persons, least, most."""
    loads: dict[tuple[int, str], int] = defaultdict(int)
    for person_id, role in Assignment.objects.filter(
        shift__roster=roster, status__in=(*ACTIVE, Assignment.Status.ABSENT)
    ).values_list("person_id", "role"):
        loads[person_id, role] += 1
    result: dict[str, dict[str, int]] = {}
    for role in DutyRole.values:
        members = PoolMember.objects.filter(station=roster.station, role=role, is_active=True)
        values = [loads.get((pid, role), 0) for pid in members.values_list("person_id", flat=True)]
        if values:
            result[role] = {"persons": len(values), "least": min(values), "most": max(values)}
    return result


def pool_choices(roster: Roster, shift: Shift, roles: Iterable[str]) -> list[PoolMember]:
    return list(
        PoolMember.objects.filter(station=roster.station, is_active=True, role__in=list(roles))
        .select_related("person", "delegation", "unit")
        .order_by("role", "person__name")
    )
