"""A deputy's own duty, as his phone shows it (UI.md "我的值班"): today's shift, the shifts to
come, past ones with how they went, the swaps waiting for his answer, and whom he may ask to
take or exchange a shift (DUTY-2, DUTY-3). Reads only; reach keeps him to his own published
shifts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, scope
from lianxin.activities.duty import swaps
from lianxin.activities.models import Assignment, DutyLeave, PoolMember, Roster, SwapRequest
from lianxin.holidays.deadlines import BEIJING

HORIZON_DAYS = 90  # how far ahead a deputy is offered shifts to exchange
PAST_SHOWN = 20


def status_label(assignment: Assignment, today: dt.date | None = None) -> str:
    """到岗, 缺岗, 请假, or 待值班 / 待确认 for a scheduled one (before / after its day)."""
    today = today or timezone.localdate()
    if assignment.status == Assignment.Status.PRESENT:
        return _("到岗")
    if assignment.status == Assignment.Status.ABSENT:
        return _("缺岗")
    if assignment.status == Assignment.Status.EXCUSED:
        return _("请假")
    return _("待值班") if assignment.shift.date >= today else _("待确认")


def my_assignments(actor: Actor) -> QuerySet[Assignment]:
    """His assignments on published rosters (reach), with their shift and station."""
    if actor.person_id is None:
        return Assignment.objects.none()
    return scope(
        actor,
        Assignment.objects.filter(
            person_id=actor.person_id, shift__roster__status=Roster.Status.PUBLISHED
        ),
    ).select_related("shift__station", "shift__roster")


def next_shift(actor: Actor) -> Assignment | None:
    """Today's shift (the first not over), else the next one: for the phone's home."""
    today = timezone.localdate()
    upcoming = my_assignments(actor).filter(shift__date__gte=today)
    return upcoming.order_by("shift__date", "shift__starts_at").first()


@dataclass
class MyDuty:
    today: list[Assignment] = field(default_factory=list)
    upcoming: list[Assignment] = field(default_factory=list)
    past: list[Assignment] = field(default_factory=list)
    to_answer: list[SwapRequest] = field(default_factory=list)
    my_requests: list[SwapRequest] = field(default_factory=list)
    leave: list[DutyLeave] = field(default_factory=list)
    in_pool: bool = False


def my_duty(actor: Actor) -> MyDuty:
    today = timezone.localdate()
    mine = my_assignments(actor)
    found = MyDuty()
    if actor.person_id is None:
        return found
    found.today = list(mine.filter(shift__date=today).order_by("shift__starts_at"))
    found.upcoming = list(
        mine.filter(shift__date__gt=today).order_by("shift__date", "shift__starts_at")[:60]
    )
    found.past = list(
        mine.filter(shift__date__lt=today).order_by("-shift__date", "-shift__starts_at")[
            :PAST_SHOWN
        ]
    )
    for a in found.today + found.upcoming + found.past:
        a.status_text = status_label(a, today)  # type: ignore[attr-defined]
    requests = swaps_of(actor)
    found.to_answer = [
        s
        for s in requests
        if s.counterpart_id == actor.person_id and s.status == SwapRequest.Status.PENDING
    ]
    found.my_requests = [s for s in requests if s.requester_id == actor.person_id][:20]
    found.leave = list(my_leave(actor))
    found.in_pool = PoolMember.objects.filter(person_id=actor.person_id, is_active=True).exists()
    return found


def swaps_of(actor: Actor) -> list[SwapRequest]:
    """His requests and those addressed to him, newest first."""
    return list(
        scope(actor, SwapRequest.objects.all())
        .select_related(
            "assignment__shift__station",
            "counterpart_assignment__shift__station",
            "requester",
            "counterpart",
        )
        .order_by("-created_at", "-pk")[:50]
    )


def my_leave(actor: Actor) -> QuerySet[DutyLeave]:
    """His leave from today on (past leave stays on record, not on his phone)."""
    if actor.person_id is None:
        return DutyLeave.objects.none()
    return (
        DutyLeave.objects.filter(person_id=actor.person_id, ends_on__gte=timezone.localdate())
        .select_related("station")
        .order_by("starts_on")
    )


def co_duty(assignment: Assignment) -> list[dict[str, Any]]:
    """Who else is on the shift: names and roles only, never a phone number."""
    others = (
        Assignment.objects.filter(shift_id=assignment.shift_id)
        .exclude(pk=assignment.pk)
        .select_related("person")
        .order_by("role", "person__name")
    )
    return [{"name": a.person.name, "role": a.get_role_display()} for a in others]


def may_swap(assignment: Assignment) -> bool:
    """His shift can still be offered for a swap: scheduled, not begun, none open."""
    if assignment.status != Assignment.Status.SCHEDULED or assignment.checked_in_at:
        return False
    starts = dt.datetime.combine(assignment.shift.date, assignment.shift.starts_at, tzinfo=BEIJING)
    if starts <= timezone.now():
        return False
    return not SwapRequest.objects.filter(assignment=assignment, status__in=swaps.OPEN).exists()


def _leave_at(station_id: int) -> QuerySet[DutyLeave]:
    return DutyLeave.objects.filter(Q(station_id=station_id) | Q(station__isnull=True))


@dataclass(frozen=True)
class Option:
    value: str  # "take:<person id>" or "swap:<assignment id>"
    label: str


def swap_options(assignment: Assignment) -> tuple[list[Option], list[Option]]:
    """Whom he may ask: (代班) persons of the same pool and role free that day; (换班) their own
    scheduled future shifts at the station within ``HORIZON_DAYS``, on days he is free."""
    shift = assignment.shift
    me = assignment.person_id
    peers = (
        PoolMember.objects.filter(station_id=shift.station_id, role=assignment.role, is_active=True)
        .exclude(person_id=me)
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    busy_that_day = set(
        Assignment.objects.filter(
            shift__date=shift.date, shift__roster__status__in=swaps.LIVE_ROSTERS
        ).values_list("person_id", flat=True)
    )
    away_that_day = set(
        _leave_at(shift.station_id)
        .filter(starts_on__lte=shift.date, ends_on__gte=shift.date)
        .values_list("person_id", flat=True)
    )
    takes = [
        Option(f"take:{p.person_id}", _("请 %(name)s 代班") % {"name": p.person.name})
        for p in peers
        if p.person_id not in busy_that_day and p.person_id not in away_that_day
    ]
    today = timezone.localdate()
    theirs = (
        Assignment.objects.filter(
            shift__station_id=shift.station_id,
            role=assignment.role,
            status=Assignment.Status.SCHEDULED,
            shift__roster__status=Roster.Status.PUBLISHED,
            shift__date__gt=today,
            shift__date__lte=today + dt.timedelta(days=HORIZON_DAYS),
            person_id__in=[p.person_id for p in peers],
        )
        .exclude(shift__date=shift.date)
        .select_related("shift", "person")
        .order_by("shift__date", "shift__starts_at", "person__name")
    )
    my_days = set(
        Assignment.objects.filter(
            person_id=me, shift__roster__status__in=swaps.LIVE_ROSTERS, shift__date__gt=today
        ).values_list("shift__date", flat=True)
    )
    my_leave = list(
        _leave_at(shift.station_id)
        .filter(person_id=me, ends_on__gt=today)
        .values_list("starts_on", "ends_on")
    )

    def away(day: dt.date) -> bool:
        return any(start <= day <= end for start, end in my_leave)

    exchanges = [
        Option(
            f"swap:{a.pk}",
            _("与 %(name)s 换到 %(day)s %(t)s")
            % {
                "name": a.person.name,
                "day": a.shift.date.isoformat(),
                "t": a.shift.starts_at.strftime("%H:%M"),
            },
        )
        for a in theirs[:200]
        if a.shift.date not in my_days and not away(a.shift.date)
    ]
    return takes, exchanges
