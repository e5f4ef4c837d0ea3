"""Checking a roster against the rules (DUTY-2), written independently of the solver.

ARCHITECTURE ("CP-SAT rosters"): validate a roster with code that shares nothing with the
code that made it. This module imports nothing from ``duty.solver``; it reads plain objects
with the attributes named below (the solver's dataclasses happen to have them, and the
services build their own from the models), and recomputes everything itself.

A roster is wrong when:

- a shift has fewer persons of a role than it needs (``uncovered``) — unless staff accepted
  that named post as empty — or more (``overfilled``);
- a person serves on a day of leave (``on_leave``) or on a weekday he never serves
  (``unavailable_weekday``);
- a person serves twice on one day (``twice_a_day``);
- a person serves more shifts in a month than allowed (``over_monthly_max``);
- a person is not in the pool (``not_in_pool``) or not in that role (``wrong_role``);
- the roster claims to be fair and, among the persons whose availability lets them reach
  the fair share, the most and the least loaded of a role differ by more than 1 (``unfair``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

UNCOVERED = "uncovered"
OVERFILLED = "overfilled"
ON_LEAVE = "on_leave"
UNAVAILABLE_WEEKDAY = "unavailable_weekday"
TWICE_A_DAY = "twice_a_day"
OVER_MONTHLY_MAX = "over_monthly_max"
NOT_IN_POOL = "not_in_pool"
WRONG_ROLE = "wrong_role"
UNKNOWN_SHIFT = "unknown_shift"
UNFAIR = "unfair"


class ShiftLike(Protocol):
    key: int
    day: dt.date
    needs: Mapping[str, int]


class PoolLike(Protocol):
    person: int
    role: str
    unavailable_weekdays: Any  # a collection of weekday numbers (Monday = 0)
    max_per_month: int | None


class LeaveLike(Protocol):
    person: int
    starts_on: dt.date
    ends_on: dt.date


class AssignmentLike(Protocol):
    shift: int
    person: int
    role: str


@dataclass
class Rules:
    max_per_month: int | None = None  # the roster's; a pool entry's own overrides it
    claims_fair: bool = False
    # (shift, role) posts staff accepted as empty when publishing
    accepted_uncovered: set[tuple[int, str]] = field(default_factory=set)
    # (person, day) already on duty elsewhere at the station (other rosters): not available
    busy: set[tuple[int, dt.date]] = field(default_factory=set)


@dataclass(frozen=True)
class Violation:
    kind: str
    shift: int | None = None
    person: int | None = None
    role: str = ""
    day: str = ""
    detail: str = ""


def validate(
    shifts: Iterable[ShiftLike],
    pool: Iterable[PoolLike],
    leave: Iterable[LeaveLike],
    assignments: Iterable[AssignmentLike],
    rules: Rules | None = None,
) -> list[Violation]:
    """Every rule the roster breaks; an empty list for a good roster."""
    rules = rules or Rules()
    shift_by_key = {s.key: s for s in shifts}
    entries = {(p.person, p.role): p for p in pool}
    roles_of: dict[int, set[str]] = defaultdict(set)
    for person, role in entries:
        roles_of[person].add(role)
    leave_by_person: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for item in leave:
        leave_by_person[item.person].append((item.starts_on, item.ends_on))
    rows = list(assignments)
    found: list[Violation] = []

    filled: dict[tuple[int, str], int] = defaultdict(int)
    per_day: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    per_month: dict[tuple[int, str, int, int], int] = defaultdict(int)
    loads: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        shift = shift_by_key.get(row.shift)
        if shift is None:
            found.append(Violation(UNKNOWN_SHIFT, shift=row.shift, person=row.person))
            continue
        day = shift.day

        def at(kind: str, row: AssignmentLike = row, day: dt.date = day) -> Violation:
            return Violation(
                kind, shift=row.shift, person=row.person, role=row.role, day=day.isoformat()
            )

        filled[row.shift, row.role] += 1
        per_day[row.person, day].append(row.shift)
        per_month[row.person, row.role, day.year, day.month] += 1
        loads[row.person, row.role] += 1
        entry = entries.get((row.person, row.role))
        if entry is None:
            kind = WRONG_ROLE if roles_of.get(row.person) else NOT_IN_POOL
            found.append(at(kind))
            continue
        if any(a <= day <= b for a, b in leave_by_person.get(row.person, [])):
            found.append(at(ON_LEAVE))
        if day.weekday() in set(entry.unavailable_weekdays or ()):
            found.append(at(UNAVAILABLE_WEEKDAY))

    for shift in shift_by_key.values():
        for role, need in shift.needs.items():
            have = filled.get((shift.key, role), 0)
            if have < need and (shift.key, role) not in rules.accepted_uncovered:
                found.append(
                    Violation(
                        UNCOVERED,
                        shift=shift.key,
                        role=role,
                        day=shift.day.isoformat(),
                        detail=f"{have}/{need}",
                    )
                )
            elif have > need:
                found.append(
                    Violation(
                        OVERFILLED,
                        shift=shift.key,
                        role=role,
                        day=shift.day.isoformat(),
                        detail=f"{have}/{need}",
                    )
                )
        for role in {r for (k, r) in filled if k == shift.key} - set(shift.needs):
            found.append(Violation(OVERFILLED, shift=shift.key, role=role, detail="0"))

    for (person, day), keys in per_day.items():
        if len(keys) > 1:
            found.append(
                Violation(TWICE_A_DAY, person=person, day=day.isoformat(), detail=str(len(keys)))
            )

    for (person, role, year, month), n in per_month.items():
        entry = entries.get((person, role))
        if entry is None:
            continue
        limit = entry.max_per_month if entry.max_per_month is not None else rules.max_per_month
        if limit is not None and n > limit:
            found.append(
                Violation(
                    OVER_MONTHLY_MAX,
                    person=person,
                    role=role,
                    day=f"{year:04d}-{month:02d}",
                    detail=f"{n}>{limit}",
                )
            )

    if rules.claims_fair:
        found.extend(_unfair(list(shift_by_key.values()), entries, leave_by_person, loads, rules))
    return found


def _capacity(
    entry: PoolLike,
    shifts: list[ShiftLike],
    leave: list[tuple[dt.date, dt.date]],
    rules: Rules,
) -> int:
    """The most shifts ``entry`` could serve: per month, his available days up to the cap."""
    limit = entry.max_per_month if entry.max_per_month is not None else rules.max_per_month
    weekdays = set(entry.unavailable_weekdays or ())
    days: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    for s in shifts:
        if s.needs.get(entry.role, 0) <= 0:
            continue
        d = s.day
        if d.weekday() in weekdays or (entry.person, d) in rules.busy:
            continue
        if any(a <= d <= b for a, b in leave):
            continue
        days[d.year, d.month].add(d)
    return sum(len(v) if limit is None else min(limit, len(v)) for v in days.values())


def _fair_floor(demand: int, caps: list[int]) -> int:
    """The floor of the fair share: the level L at which min(cap, L) over everybody fills the
    demand."""
    caps = sorted(c for c in caps if c > 0)
    if not caps:
        return 0
    low, high = Fraction(0), Fraction(max(caps))
    if sum(caps) <= demand:
        return math.floor(high)
    for _ in range(60):  # bisection: plenty for integer loads
        mid = (low + high) / 2
        if sum(min(Fraction(c), mid) for c in caps) >= demand:
            high = mid
        else:
            low = mid
    return math.floor(high + Fraction(1, 10**9))


def _unfair(
    shifts: list[ShiftLike],
    entries: Mapping[tuple[int, str], PoolLike],
    leave: Mapping[int, list[tuple[dt.date, dt.date]]],
    loads: Mapping[tuple[int, str], int],
    rules: Rules,
) -> list[Violation]:
    found: list[Violation] = []
    for role in sorted({r for _p, r in entries}):
        members = [e for (p, r), e in entries.items() if r == role]
        caps = {e.person: _capacity(e, shifts, leave.get(e.person, []), rules) for e in members}
        demand = sum(s.needs.get(role, 0) for s in shifts)
        floor = _fair_floor(demand, list(caps.values()))
        counted = [loads.get((p, role), 0) for p, c in caps.items() if c > 0 and c >= floor]
        if counted and max(counted) - min(counted) > 1:
            found.append(Violation(UNFAIR, role=role, detail=f"{min(counted)}..{max(counted)}"))
    return found
