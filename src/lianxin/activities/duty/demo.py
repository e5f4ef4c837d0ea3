"""Duty demo (DUTY-1..4): what two township stations' duty looks like a few weeks in.

- 郏县安良镇人大代表联络站: 代表周三见 — every Wednesday 9:00-12:00, 2 deputies;
- 西峡县丁河镇人大代表联络站: 逢六集日接待 — the 6th, 16th and 26th, 8:00-11:30, 2 deputies and
  1 head of a county window unit (集日流动服务).

Each has its pool and a published roster from the first day of last month to the end of this
month, built directly (the solver is not run here): past shifts checked in by screen, printed
code or staff, one 空岗 with its absences, a deputy absent twice (escalated to the office), a
post excused with a note; today's and later shifts waiting. The demo deputies ``anliang_deputy``
and ``dinghe_deputy`` are on the first shift from today on, so their phones show it. The
township congresses' allowance rate, recipients with invented bank details and a draft
statement; a pending swap request to the demo deputy. Idempotent: a second run adds nothing.
All names and numbers are invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.accounts.permissions import actor_for
from lianxin.activities.duty import allowances, attendance
from lianxin.activities.models import (
    AllowanceRate,
    AllowanceRecipient,
    Assignment,
    DutyPattern,
    PoolMember,
    Requirement,
    Roster,
    Shift,
    SwapRequest,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.directory.models import HandlingUnit, Mandate, Person, Station, StationMembership
from lianxin.holidays.deadlines import BEIJING, WorkCalendar, beijing_date
from lianxin.regions.models import Region

WEEKLY = "代表周三见"
MARKET = "逢六集日接待"
UNIT_HEADS = ["周卫东", "吴丽娟", "郑国强", "冯晓燕"]


def _months(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first day of last month to the last day of this month."""
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    following = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _station(prefix: str) -> Station | None:
    user = User.objects.filter(username=f"{prefix}_station").first()
    assignment = user.assignments.first() if user else None
    return assignment.station if assignment else None


def _deputy(prefix: str) -> Person | None:
    return Person.objects.filter(account__username=f"{prefix}_deputy").first()


def _pool_deputies(station: Station, first: Person, size: int) -> list[Person]:
    sitting = (
        StationMembership.objects.filter(
            station__path__startswith=station.path, ends_on__isnull=True
        )
        .exclude(person=first)
        .order_by("person__name", "person_id")
        .values_list("person_id", flat=True)
    )
    ids = list(dict.fromkeys(sitting))[: size - 1]
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    return [first, *(people[i] for i in ids)]


def _delegation(person: Person) -> int | None:
    mandate = (
        Mandate.objects.filter(person=person, delegation__isnull=False)
        .order_by("-started_on")
        .first()
    )
    return mandate.delegation_id if mandate else None


def _dates(first: dt.date, last: dt.date, wanted: Callable[[dt.date], bool]) -> list[dt.date]:
    calendar = WorkCalendar()
    days = []
    day = first
    while day <= last:
        if wanted(day) and calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class _Duty:
    """One station's pattern, pool and published roster."""

    def __init__(self, station: Station, name: str, first: dt.date, last: dt.date) -> None:
        self.station, self.first, self.last = station, first, last
        self.name = name
        self.created = 0

    def pattern(self, **fields: object) -> DutyPattern:
        pattern = DutyPattern.objects.create(
            station=self.station, name=self.name, valid_from=self.first, **fields
        )
        self.created += 1
        return pattern

    def roster(self, pattern: DutyPattern) -> Roster:
        self.created += 1
        return Roster.objects.create(
            station=self.station,
            pattern=pattern,
            name=f"{self.station.name}{self.name}（{self.first:%Y年%m月}起）",
            starts_on=self.first,
            ends_on=self.last,
            status=Roster.Status.PUBLISHED,
            progress=100,
            solved_at=timezone.now(),
            published_at=timezone.now(),
            report={"status": "demo", "note": "演示数据：直接生成，未经自动排班"},
        )


def _moment(day: dt.date, at: dt.time, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=BEIJING) + dt.timedelta(minutes=minutes)


def _fill(
    roster: Roster,
    days: list[dt.date],
    starts_at: dt.time,
    ends_at: dt.time,
    needs: dict[str, int],
    deputies: list[Person],
    heads: list[tuple[Person, HandlingUnit]],
    today: dt.date,
) -> tuple[list[Shift], int]:
    """Shifts on ``days`` with posts rotating through the pool; the first person of
    ``deputies`` (the demo deputy) is on the first shift from today on."""
    shifts, created = [], 0
    turn = 1  # the demo deputy's turn comes on his day
    head_turn = 0
    mine = next((d for d in days if d >= today), None)
    delegations = {p.pk: _delegation(p) for p in deputies}
    for day in days:
        shift = Shift.objects.create(
            roster=roster, station=roster.station, date=day, starts_at=starts_at,
            ends_at=ends_at, needs=needs,
        )  # fmt: skip
        shifts.append(shift)
        created += 1
        others = deputies[1:]
        chosen = [deputies[0]] if day == mine else []
        wanted = min(needs.get(DutyRole.DEPUTY, 0), len(deputies))
        while others and len(chosen) < wanted:
            person = others[turn % len(others)]
            turn += 1
            if person not in chosen:
                chosen.append(person)
        for person in chosen:
            Assignment.objects.create(shift=shift, person=person, role=DutyRole.DEPUTY,
                                      delegation_id=delegations[person.pk])  # fmt: skip
            created += 1
        for _n in range(needs.get(DutyRole.UNIT_HEAD, 0)):
            person, unit = heads[head_turn % len(heads)]
            head_turn += 1
            Assignment.objects.create(shift=shift, person=person, role=DutyRole.UNIT_HEAD,
                                      unit=unit)  # fmt: skip
            created += 1
    return shifts, created


def _past(shifts: list[Shift], today: dt.date, staff: User | None) -> Person | None:
    """Check-ins of the past shifts (screen, printed code, one confirmed by staff, a late
    unit head), a post excused with a note, and one deputy absent twice: the later time is
    the 空岗 of its shift. Returns that deputy."""
    past = [s for s in shifts if s.date < today]
    methods = [Assignment.Method.SCREEN, Assignment.Method.PRINTED, Assignment.Method.SCREEN]
    for n, shift in enumerate(past):
        for i, post in enumerate(shift.assignments.order_by("role", "pk")):
            post.status = Assignment.Status.PRESENT
            post.method = methods[(n + i) % len(methods)]
            post.checked_in_at = _moment(shift.date, shift.starts_at, -10 + 3 * i)
            if n == 1 and i == 0:
                post.method, post.confirmed_by = Assignment.Method.STAFF, staff
            if post.role == DutyRole.UNIT_HEAD and n == 2:
                post.checked_in_at = _moment(shift.date, shift.starts_at, 40)  # late
            post.save()
    posts = Assignment.objects.filter(shift__in=past, role=DutyRole.DEPUTY)
    first = posts.filter(shift=past[0]).last() if past else None
    if first is not None:
        first.status, first.method, first.checked_in_at = Assignment.Status.EXCUSED, "", None
        first.absence_note = "临时参加县人大常委会执法检查，已提前请假。"
        first.save()
    counts: dict[int, int] = {}
    for person_id in posts.exclude(status=Assignment.Status.EXCUSED).values_list(
        "person_id", flat=True
    ):
        counts[person_id] = counts.get(person_id, 0) + 1
    twice = [person_id for person_id, n in sorted(counts.items()) if n >= 2]
    if not twice:
        return None
    missed = list(
        posts.filter(person_id=twice[0]).exclude(status=Assignment.Status.EXCUSED)
        .order_by("-shift__date")[:2]
    )  # fmt: skip
    for post in missed:
        post.status, post.method, post.checked_in_at = Assignment.Status.ABSENT, "", None
        post.confirmed_by = None
        post.save()
    flagged = missed[0].shift
    Shift.objects.filter(pk=flagged.pk).update(
        empty_flagged_at=_moment(flagged.date, flagged.starts_at, 30)
    )
    return missed[0].person


def _unit_heads(county: Region) -> list[tuple[Person, HandlingUnit]]:
    windows = list(
        HandlingUnit.objects.filter(region=county, kind=HandlingUnit.Kind.WINDOW).order_by("path")
    )
    heads = []
    for name, unit in zip(UNIT_HEADS, windows, strict=False):
        person = Person.objects.filter(name=name, work_unit=unit.name).first()
        if person is None:
            person = Person.objects.create(
                name=name, region=county, work_unit=unit.name, title="窗口负责人"
            )
        heads.append((person, unit))
    return heads


def _pool(
    station: Station, deputies: list[Person], heads: list[tuple[Person, HandlingUnit]]
) -> int:
    rows = [
        PoolMember(station=station, person=p, role=DutyRole.DEPUTY, delegation_id=_delegation(p))
        for p in deputies
    ]
    rows += [
        PoolMember(station=station, person=p, role=DutyRole.UNIT_HEAD, unit=u) for p, u in heads
    ]
    PoolMember.objects.bulk_create(rows)
    return len(rows)


def _allowances(station: Station, deputies: list[Person], first: dt.date) -> int:
    """The township congress's rate, five recipients, last month's draft statement."""
    congress = station.congress
    office = User.objects.filter(username="anliang_office").first()
    if congress is None or office is None:
        return 0
    AllowanceRate.objects.create(
        congress=congress, daily_rate=100, note="参照濮阳县标准，每人每天100元"
    )
    for n, person in enumerate(deputies[:5]):
        AllowanceRecipient.objects.create(
            congress=congress,
            person=person,
            bank_name="郏县农村商业银行安良支行",
            account_holder=person.name,
            bank_account=f"62300812{n:02d}{person.pk:09d}",
            note="务农，无固定收入",
        )
    allowances.statement_compute(actor=actor_for(office), congress=congress, month=first)
    return 7


def _swap(roster: Roster, today: dt.date, deputy: Person) -> int:
    """A pending request to the demo deputy to take a later shift of a colleague."""
    mine = set(
        Assignment.objects.filter(person=deputy, shift__roster=roster).values_list(
            "shift__date", flat=True
        )
    )
    later = (
        Assignment.objects.filter(shift__roster=roster, shift__date__gt=today, role=DutyRole.DEPUTY)
        .exclude(person=deputy)
        .exclude(shift__date__in=mine)
        .order_by("shift__date", "pk")
        .first()
    )
    if later is None:
        return 0
    SwapRequest.objects.create(
        assignment=later,
        requester=later.person,
        counterpart=deputy,
        reason="当天要去县里参加培训，想请您代班。",
    )
    return 1


@transaction.atomic
def load(plan: object = None) -> int:
    """Loads the duty demo once; returns how many records it made (0 on a second run)."""
    anliang, dinghe = _station("anliang"), _station("dinghe")
    if anliang is None or DutyPattern.objects.filter(station=anliang, name=WEEKLY).exists():
        return 0
    today = beijing_date(timezone.now())
    first, last = _months(today)
    created = 0
    staff = User.objects.filter(username="anliang_station").first()
    deputy = _deputy("anliang")
    if deputy is not None:
        duty = _Duty(anliang, WEEKLY, first, last)
        pattern = duty.pattern(
            kind=DutyPattern.Kind.WEEKLY, weekdays=[2], starts_at=dt.time(9), ends_at=dt.time(12),
            note="每周三上午，两名代表进站接待选民。",
        )  # fmt: skip
        Requirement.objects.create(pattern=pattern, role=DutyRole.DEPUTY, count=2)
        pool = _pool_deputies(anliang, deputy, 6)
        created += _pool(anliang, pool, []) + 1
        roster = duty.roster(pattern)
        days = _dates(first, last, lambda d: d.weekday() == 2)
        shifts, made = _fill(roster, days, dt.time(9), dt.time(12), {"deputy": 2}, pool, [], today)
        created += made + duty.created
        absentee = _past(shifts, today, staff)
        if absentee is not None:
            attendance.escalate_repeated(absentee.pk)
        created += _allowances(anliang, pool, first)
        created += _swap(roster, today, deputy)
    dinghe_deputy = _deputy("dinghe")
    if dinghe is not None and dinghe_deputy is not None:
        parent = dinghe.region.parent_id
        county = Region.objects.filter(pk=parent).first() if parent else None
        heads = _unit_heads(county) if county is not None else []
        duty = _Duty(dinghe, MARKET, first, last)
        pattern = duty.pattern(
            kind=DutyPattern.Kind.SOLAR, month_days=[6, 16, 26], skip_holidays=False,
            starts_at=dt.time(8), ends_at=dt.time(11, 30),
            note="逢农历集日改为公历逢六：代表在集市设摊接待，窗口单位负责人现场服务。",
        )  # fmt: skip
        Requirement.objects.create(pattern=pattern, role=DutyRole.DEPUTY, count=2)
        needs = {"deputy": 2}
        if heads:
            Requirement.objects.create(pattern=pattern, role=DutyRole.UNIT_HEAD, count=1)
            needs["unit_head"] = 1
        pool = _pool_deputies(dinghe, dinghe_deputy, 8)
        created += _pool(dinghe, pool, heads) + len(heads) + 1
        roster = duty.roster(pattern)
        market = {6, 16, 26}
        days = [
            first + dt.timedelta(days=n)
            for n in range((last - first).days + 1)
            if (first + dt.timedelta(days=n)).day in market
        ]
        shifts, made = _fill(roster, days, dt.time(8), dt.time(11, 30), needs, pool, heads, today)
        created += made + duty.created
        _past(shifts, today, User.objects.filter(username="dinghe_station").first())
    return created
