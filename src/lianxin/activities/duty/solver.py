"""The duty roster solver (DUTY-2), on OR-Tools CP-SAT.

Plain values in, plain values out: ``solve(Problem) -> Solution``. The services
(``duty.planning``) convert models to these dataclasses and back; the benchmark
(``bench/duty_rosters.py``) builds them in memory.

The model, one boolean per (person of the pool, shift he could serve):

hard
  - nobody serves on a day of leave, on a weekday he never serves, or on a day he is already
    on duty elsewhere at the station (``busy``);
  - nobody twice on one day (across every shift of the problem and both roles);
  - at most ``max_per_month`` shifts per person and calendar month (his own, else the
    roster's);
  - coverage: each shift gets its posts by role, *where possible*: a missing post is a slack
    variable with a large penalty, so an impossible month still yields a roster and the
    report names the posts left empty and why;
  - fairness: the load (shifts over the period) of every person of a role lies in the band
    floor..ceil of the mean load — the mean over the persons able to serve, each counted at
    most at what his availability allows (water-filling) — so the most and the least loaded
    differ by at most 1. When the band keeps posts empty or cannot be met, it is widened one
    step on each side and solved again (ARCHITECTURE "CP-SAT rosters": "minimise max − min"
    as an objective did not converge; a hard band did).
soft (in the objective, far below an empty post)
  - the deputies of one shift come from different delegations (代表团) where possible;
  - each delegation's share of the posts is spread over the period, month by month;
  - one person's shifts are not close together (within ``min_gap_days``).

Large problems (濮阳县: 420 deputies × a year of working days is ~90,000 booleans, for which
CP-SAT on two workers found no complete roster in 20 s, and with the soft terms no roster at
all in 9 s) are solved month by month, in
order, keeping the yearly band: each month's model caps every person at the band's ceiling
minus what he already serves, requires (softly, above everything but an empty post) the
shifts he needs to reach the floor when his later months could no longer give them, and keeps
each person on pace with his fair share (his share of the period spread over his months by
the room they leave him), the fewest chances left going first. Each month considers the
best-placed candidates (all of them again if a post would stay empty), is seeded with a quick
greedy roster as a hint, and keeps that greedy roster when CP-SAT finds nothing better in the
month's share of the time. Symmetry breaking is off in every solve (it discards the hint);
presolve is off for the months' small models (it costs more than it saves there).

Every solve has a time limit and a worker count. A validator written independently
(``duty.validator``) checks every roster this produces.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

DEPUTY, UNIT_HEAD = "deputy", "unit_head"

COMPLETE, INCOMPLETE, FAILED = "complete", "incomplete", "failed"

# Why a post stays empty (the pages say it in words, ``planning.reason_text``).
NO_POOL = "no_pool"  # nobody of this role in the pool
FEW_AVAILABLE = "few_available"  # only N available that day (leave, weekday, other duty)
MONTHLY_MAX = "monthly_max"  # everyone available has reached the monthly maximum
SAME_DAY = "same_day"  # everyone available is already on another shift that day
BAND = "band"  # everyone available has reached his fair share of the period
NO_TIME = "no_time"  # the solver found no fuller roster within the time limit
# Why one person could not take a shift (the counts of an uncovered post).
LEAVE, WEEKDAY, BUSY = "leave", "weekday", "busy"

# Objective weights: an empty post outweighs every wish around it.
W_UNCOVERED = 1000
W_MUST = 2000  # month by month: a shift a person needs to reach the band's floor
W_LOAD = 20  # month by month: per shift ahead of or behind a person's pace
W_SAME_DELEGATION = 10
W_CLOSE = 3
W_DELEGATION_SHARE = 2
MAX_WIDENING = 12
# Above this many candidate pairs a period of several months is solved month by month.
DECOMPOSE_ABOVE = 12_000
# Month by month: candidates considered first, per post of the month (all when few more).
CANDIDATES_PER_POST = 2
CANDIDATES_PER_SHIFT = 4  # per post of one shift, at least
# Good enough: stop when the objective is within 1% of the bound (soft wishes only).
RELATIVE_GAP = 0.01
# Month by month: below this share of the time left, a month keeps its quick roster.
MIN_MONTH_SECONDS = 0.05
MONTHS_SHARE = 0.85  # of the time left, for the months' CP-SAT solves


# --- Input -----------------------------------------------------------------------------------


@dataclass
class ShiftSlot:
    """One shift: its key (the Shift's pk), its day and the posts it needs by role."""

    key: int
    day: dt.date
    needs: Mapping[str, int]


@dataclass
class Member:
    """One entry of the pool: a person who may serve in ``role``."""

    person: int
    role: str = DEPUTY
    delegation: int | None = None
    unit: int | None = None
    unavailable_weekdays: frozenset[int] = frozenset()
    max_per_month: int | None = None  # None: the problem's


@dataclass
class Leave:
    person: int
    starts_on: dt.date
    ends_on: dt.date


@dataclass
class Fixed:
    """An assignment kept as it is (a staff edit): it fills a post and counts in the loads."""

    shift: int
    person: int
    role: str


@dataclass
class Progress:
    """Reported on each improving roster (and after each month of a decomposed solve)."""

    attempt: int
    elapsed: float
    time_limit: float
    fraction: float  # 0..1, an estimate of the work done
    uncovered: int  # posts still empty in the roster found so far


@dataclass
class Problem:
    shifts: list[ShiftSlot]
    pool: list[Member]
    leave: list[Leave] = field(default_factory=list)
    busy: set[tuple[int, dt.date]] = field(default_factory=set)  # on duty elsewhere that day
    fixed: list[Fixed] = field(default_factory=list)
    max_per_month: int | None = None
    time_limit: float = 10.0
    workers: int = 2
    min_gap_days: int = 7
    seed: int = 0


# --- Output ----------------------------------------------------------------------------------


@dataclass
class Placed:
    shift: int
    person: int
    role: str


@dataclass
class Uncovered:
    shift: int
    day: str  # ISO date
    role: str
    missing: int
    reason: str
    available: int  # persons of the role free of leave, weekday and other duty that day
    counts: dict[str, int] = field(default_factory=dict)  # why the others could not serve


@dataclass
class Spread:
    """The loads of one role over the period."""

    role: str
    persons: int  # persons able to serve
    least: int
    most: int
    spread: int  # most − least over the persons not limited by their availability
    floor: int  # the band used
    ceil: int
    mean: float
    limited: int  # persons whose availability keeps them below the band's floor


@dataclass
class Solution:
    status: str  # complete / incomplete / failed
    solver_status: str
    assignments: list[Placed]
    uncovered: list[Uncovered]
    spreads: dict[str, Spread]
    wall_seconds: float
    widened: int  # steps the fairness band was widened (-1: dropped)
    fair: bool  # spread ≤ 1 in every role
    attempts: int
    decomposed: bool = False
    months: dict[str, int] = field(default_factory=dict)  # decomposed: how each month ended
    objective: float | None = None
    loads: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE

    def report(self) -> dict[str, Any]:
        """The JSON the roster keeps (``Roster.report``)."""
        return {
            "status": self.status,
            "solver_status": self.solver_status,
            "complete": self.complete,
            "fair": self.fair,
            "widened": self.widened,
            "attempts": self.attempts,
            "decomposed": self.decomposed,
            "months": self.months,
            "wall_seconds": round(self.wall_seconds, 3),
            "objective": self.objective,
            "assignments": len(self.assignments),
            "spreads": {role: asdict(s) for role, s in self.spreads.items()},
            "uncovered": [asdict(u) for u in self.uncovered],
        }


# --- Preparing the problem -------------------------------------------------------------------

Month = tuple[int, int]
Key = tuple[int, int]  # (shift key, member index)


def _month(day: dt.date) -> Month:
    return day.year, day.month


@dataclass
class _Prepared:
    """The candidate pairs and what is fixed, computed once for every attempt."""

    problem: Problem
    shifts: dict[int, ShiftSlot]
    members: list[Member]
    cand: list[Key]  # (shift, member) pairs that could be chosen, in shift order
    by_shift_role: dict[tuple[int, str], list[int]]  # member indexes that could fill
    remaining: dict[tuple[int, str], int]  # posts still open after the fixed ones
    fixed_load: dict[int, int]  # member index -> fixed shifts
    fixed_month: dict[tuple[int, Month], int]
    fixed_days: dict[int, list[dt.date]]  # member index -> days of fixed shifts
    fixed_delegations: dict[int, list[int | None]]  # shift -> delegations of fixed deputies
    month_cap: dict[int, int | None]
    room: dict[tuple[int, Month], int]  # shifts a member could still take in a month
    cap: dict[int, int]  # member index -> most shifts over the period (fixed included)
    unavailable: dict[tuple[int, int], str]  # (shift, member) -> why not


def _leave_days(problem: Problem, first: dt.date, last: dt.date) -> dict[int, set[dt.date]]:
    days: dict[int, set[dt.date]] = defaultdict(set)
    for item in problem.leave:
        day, end = max(item.starts_on, first), min(item.ends_on, last)
        while day <= end:
            days[item.person].add(day)
            day += dt.timedelta(days=1)
    return days


def _prepare(problem: Problem) -> _Prepared:
    shifts = {s.key: s for s in problem.shifts}
    ordered = sorted(problem.shifts, key=lambda s: (s.day, s.key))
    members = list(problem.pool)
    index = {(m.person, m.role): i for i, m in enumerate(members)}
    first = ordered[0].day if ordered else dt.date.min
    last = ordered[-1].day if ordered else dt.date.min
    leave = _leave_days(problem, first, last)

    fixed_person_days: dict[int, set[dt.date]] = defaultdict(set)
    fixed_load: dict[int, int] = defaultdict(int)
    fixed_month: dict[tuple[int, Month], int] = defaultdict(int)
    fixed_days: dict[int, list[dt.date]] = defaultdict(list)
    fixed_delegations: dict[int, list[int | None]] = defaultdict(list)
    fixed_count: dict[tuple[int, str], int] = defaultdict(int)
    fixed_pairs: set[tuple[int, int]] = set()
    for f in problem.fixed:
        if f.shift not in shifts:
            continue
        day = shifts[f.shift].day
        fixed_person_days[f.person].add(day)
        fixed_count[f.shift, f.role] += 1
        fixed_pairs.add((f.shift, f.person))
        i = index.get((f.person, f.role))
        delegation = members[i].delegation if i is not None else None
        if f.role == DEPUTY:
            fixed_delegations[f.shift].append(delegation)
        if i is not None:
            fixed_load[i] += 1
            fixed_month[i, _month(day)] += 1
            fixed_days[i].append(day)
    remaining = {
        (s.key, role): max(0, need - fixed_count[s.key, role])
        for s in problem.shifts
        for role, need in s.needs.items()
    }

    cand: list[Key] = []
    by_shift_role: dict[tuple[int, str], list[int]] = defaultdict(list)
    unavailable: dict[tuple[int, int], str] = {}
    month_cap: dict[int, int | None] = {}
    days_by_month: dict[tuple[int, Month], set[dt.date]] = defaultdict(set)
    by_role: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        by_role[m.role].append(i)
        month_cap[i] = m.max_per_month if m.max_per_month is not None else problem.max_per_month
    no_leave: set[dt.date] = set()
    busy = problem.busy
    for s in ordered:  # shift by shift, so the candidates come in day order
        day, month, weekday = s.day, _month(s.day), s.day.weekday()
        for role, need in s.needs.items():
            if need <= 0:
                continue
            open_posts = remaining[s.key, role] > 0
            for i in by_role.get(role, ()):
                m = members[i]
                person, limit = m.person, month_cap[i]
                why = ""
                if fixed_pairs and (s.key, person) in fixed_pairs:
                    why = "fixed"
                elif day in leave.get(person, no_leave):
                    why = LEAVE
                elif weekday in m.unavailable_weekdays:
                    why = WEEKDAY
                elif (busy and (person, day) in busy) or day in fixed_person_days.get(
                    person, no_leave
                ):
                    why = BUSY
                elif limit is not None and fixed_month and fixed_month[i, month] >= limit:
                    why = MONTHLY_MAX
                if why:
                    unavailable[s.key, i] = why
                elif open_posts:
                    cand.append((s.key, i))
                    by_shift_role[s.key, role].append(i)
                    days_by_month[i, month].add(day)
    room: dict[tuple[int, Month], int] = {}
    cap: dict[int, int] = defaultdict(int, fixed_load)
    for (i, month), days in days_by_month.items():
        limit = month_cap[i]
        free = len(days) if limit is None else min(len(days), limit - fixed_month[i, month])
        room[i, month] = max(0, free)
        cap[i] += room[i, month]
    return _Prepared(
        problem=problem,
        shifts=shifts,
        members=members,
        cand=cand,
        by_shift_role=by_shift_role,
        remaining=remaining,
        fixed_load=fixed_load,
        fixed_month=fixed_month,
        fixed_days=fixed_days,
        fixed_delegations=fixed_delegations,
        month_cap=month_cap,
        room=room,
        cap=cap,
        unavailable=unavailable,
    )


def water_level(demand: int, caps: Iterable[int]) -> Fraction:
    """The fair load L: every person serves min(his capacity, L) and together they fill the
    demand (or everybody serves his capacity when that is not enough)."""
    ordered = sorted(c for c in caps if c > 0)
    remaining, left = Fraction(demand), len(ordered)
    if left == 0:
        return Fraction(0)
    for c in ordered:
        if c * left >= remaining:
            return remaining / left
        remaining -= c
        left -= 1
    return Fraction(ordered[-1])


@dataclass
class _Band:
    floor: int
    ceil: int
    mean: Fraction


def _bands(prep: _Prepared) -> dict[str, _Band]:
    bands: dict[str, _Band] = {}
    roles = {m.role for m in prep.members} | {r for s in prep.problem.shifts for r in s.needs}
    for role in sorted(roles):
        demand = sum(s.needs.get(role, 0) for s in prep.problem.shifts)
        caps = [prep.cap[i] for i, m in enumerate(prep.members) if m.role == role]
        level = water_level(demand, caps)
        bands[role] = _Band(floor=math.floor(level), ceil=math.ceil(level), mean=level)
    return bands


def _limits(
    prep: _Prepared, bands: dict[str, _Band], widen: int | None
) -> dict[int, tuple[int, int]]:
    """member index -> (least, most) shifts over the period under the band widened ``widen``
    steps (None: no band)."""
    limits: dict[int, tuple[int, int]] = {}
    for i, m in enumerate(prep.members):
        cap, fixed = prep.cap[i], prep.fixed_load[i]
        band = bands.get(m.role)
        if widen is None or band is None or cap <= 0:
            limits[i] = (fixed, max(cap, fixed))
            continue
        low = max(fixed, min(band.floor - widen, cap))
        high = max(band.ceil + widen, fixed)
        limits[i] = (low, high)
    return limits


# --- One CP-SAT model --------------------------------------------------------------------------


@dataclass
class _Scope:
    """What one CP-SAT model covers: the whole period, or one month of it."""

    shifts: list[int]  # shift keys whose posts are filled here
    keys: list[Key]  # candidate pairs
    low: dict[int, int]  # member -> least shifts among ``keys`` (hard)
    high: dict[int, int]  # member -> most shifts among ``keys`` (hard)
    must: dict[int, int] = field(default_factory=dict)  # member -> least (soft, W_MUST)
    cost: dict[int, int] = field(default_factory=dict)  # member -> cost per shift
    # member -> (least, most) shifts among ``keys`` that keep him on pace (soft, W_LOAD each)
    pace: dict[int, tuple[int, int]] = field(default_factory=dict)
    last_day: dict[int, dt.date] = field(default_factory=dict)  # his latest shift before


@dataclass
class _Attempt:
    status: str
    chosen: list[Key]
    slack: dict[tuple[int, str], int]
    objective: float | None
    parts: dict[str, int] = field(default_factory=dict)  # month by month: statuses counted


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_solution: Callable[[int], None], slack: list[cp_model.IntVar]) -> None:
        super().__init__()
        self.on_solution, self.slack = on_solution, slack

    def on_solution_callback(self) -> None:
        self.on_solution(int(sum(self.Value(v) for v in self.slack)))


def _solve_scope(
    prep: _Prepared,
    scope: _Scope,
    seconds: float,
    on_solution: Callable[[int], None] | None = None,
    hint: _Attempt | None = None,
    presolve: bool = True,
) -> _Attempt:
    p = prep.problem
    model = cp_model.CpModel()
    x: dict[Key, cp_model.IntVar] = {key: model.new_bool_var("") for key in scope.keys}
    if hint is not None:
        hinted = set(hint.chosen)
        for key, var in x.items():
            model.add_hint(var, key in hinted)
    by_member: dict[int, list[tuple[dt.date, cp_model.IntVar]]] = defaultdict(list)
    by_shift_role: dict[tuple[int, str], list[int]] = defaultdict(list)
    for (s_key, i), var in x.items():
        by_member[i].append((prep.shifts[s_key].day, var))
        by_shift_role[s_key, prep.members[i].role].append(i)

    # Coverage where possible: posts + slack == need.
    slack: dict[tuple[int, str], cp_model.IntVar] = {}
    empty: dict[tuple[int, str], int] = {}
    terms: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    for s_key in scope.shifts:
        for role in prep.shifts[s_key].needs:
            need = prep.remaining.get((s_key, role), 0)
            if need <= 0:
                continue
            fill = [x[s_key, i] for i in by_shift_role.get((s_key, role), [])]
            if not fill:
                empty[s_key, role] = need
                continue
            u = model.new_int_var(0, need, "")
            slack[s_key, role] = u
            model.add(cp_model.LinearExpr.sum(fill) + u == need)
            terms.append(u)
            weights.append(W_UNCOVERED)

    # Nobody twice on one day (both roles of one person count).
    per_day: dict[tuple[int, dt.date], list[cp_model.IntVar]] = defaultdict(list)
    for i, items in by_member.items():
        person = prep.members[i].person
        for day, var in items:
            per_day[person, day].append(var)
    for vars_ in per_day.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)

    # The monthly maximum, and the band (hard), the floor's due shifts (soft), the costs.
    gap = p.min_gap_days
    for i, items in by_member.items():
        limit = prep.month_cap[i]
        months: dict[Month, list[cp_model.IntVar]] = defaultdict(list)
        for day, var in items:
            months[_month(day)].append(var)
        if limit is not None:
            for month, vars_ in months.items():
                room = prep.room.get((i, month), 0)
                if len(vars_) > room:
                    if room == 1:
                        model.add_at_most_one(vars_)
                    else:
                        model.add(cp_model.LinearExpr.sum(vars_) <= room)
        all_vars = [var for _day, var in items]
        total = cp_model.LinearExpr.sum(all_vars)
        high = scope.high.get(i, len(all_vars))
        if high < len(all_vars):
            model.add(total <= max(0, high))
        low = scope.low.get(i, 0)
        if low > 0:
            model.add(total >= low)
        must = scope.must.get(i, 0)
        if must > 0:
            short = model.new_int_var(0, must, "")
            model.add(total + short >= must)
            terms.append(short)
            weights.append(W_MUST)
        if i in scope.pace:
            ahead, behind = scope.pace[i]
            if behind < len(all_vars):
                over = model.new_int_var(0, len(all_vars), "")
                model.add(total - over <= behind)
                terms.append(over)
                weights.append(W_LOAD)
            if ahead > 0:
                under = model.new_int_var(0, ahead, "")
                model.add(total + under >= ahead)
                terms.append(under)
                weights.append(W_LOAD)
        cost = scope.cost.get(i, 0)
        before = scope.last_day.get(i)
        for day, var in items:
            extra = cost
            if before is not None and gap > 1 and (day - before).days < gap:
                extra += W_CLOSE
            if extra:
                terms.append(var)
                weights.append(extra)
        # One person's shifts not close together (windows of ``gap`` days).
        if gap > 1:
            _close_windows(model, items, limit, gap, terms, weights)

    _same_delegation(prep, model, x, by_shift_role, terms, weights)
    _delegation_shares(prep, model, x, terms, weights)

    if terms:
        model.minimize(cp_model.LinearExpr.weighted_sum(terms, weights))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = max(1, p.workers)
    solver.parameters.random_seed = p.seed
    solver.parameters.relative_gap_limit = RELATIVE_GAP
    # Symmetry breaking in presolve fixes variables against the hint, which is then lost.
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_presolve = presolve
    callback = (
        _Callback(lambda n: on_solution(n + sum(empty.values())), list(slack.values()))
        if on_solution is not None
        else None
    )
    status = solver.solve(model, callback)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Attempt(status=name, chosen=[], slack={}, objective=None)
    chosen = [key for key, var in x.items() if solver.boolean_value(var)]
    values = {key: int(solver.value(u)) for key, u in slack.items()}
    values.update(empty)
    return _Attempt(
        status=name,
        chosen=chosen,
        slack=values,
        objective=solver.objective_value if terms else 0.0,
    )


def _greedy(prep: _Prepared, scope: _Scope, order: Mapping[int, int] | None = None) -> _Attempt:
    """A quick roster of ``scope`` shift by shift: the least loaded able candidates first.
    It seeds CP-SAT (a hint) and stands in when CP-SAT finds nothing in its time."""
    rank = order or {}
    gap = prep.problem.min_gap_days
    by_shift_role: dict[tuple[int, str], list[int]] = defaultdict(list)
    for s_key, i in scope.keys:
        by_shift_role[s_key, prep.members[i].role].append(i)
    taken_days: set[tuple[int, dt.date]] = set()
    in_month: dict[tuple[int, Month], int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    last = dict(scope.last_day)
    chosen: list[Key] = []
    slack: dict[tuple[int, str], int] = {}
    for s_key in sorted(scope.shifts, key=lambda k: (prep.shifts[k].day, k)):
        day = prep.shifts[s_key].day
        month = _month(day)
        groups = list(prep.fixed_delegations.get(s_key, []))
        for role in prep.shifts[s_key].needs:
            need = prep.remaining.get((s_key, role), 0)
            filled = 0
            while filled < need:
                best, best_score = None, None
                for i in by_shift_role.get((s_key, role), []):
                    person = prep.members[i].person
                    if (person, day) in taken_days:
                        continue
                    if count[i] >= scope.high.get(i, 1 << 30):
                        continue
                    limit = prep.month_cap[i]
                    if limit is not None and in_month[i, month] >= prep.room.get((i, month), 0):
                        continue
                    score = scope.cost.get(i, 0)
                    if i in scope.pace:  # what one more shift does to his pace
                        low, high = scope.pace[i]
                        n = count[i]
                        score += W_LOAD * (max(0, n + 1 - high) - max(0, n - high))
                        score -= W_LOAD * (max(0, low - n) - max(0, low - n - 1))
                    else:
                        score += W_LOAD * (count[i] + prep.fixed_load[i])
                    if count[i] < scope.must.get(i, 0) or count[i] < scope.low.get(i, 0):
                        score -= W_MUST
                    if i in last and gap > 1 and (day - last[i]).days < gap:
                        score += W_CLOSE
                    g = prep.members[i].delegation
                    if role == DEPUTY and g is not None:
                        score += W_SAME_DELEGATION * groups.count(g)
                    key = (score, rank.get(i, i))
                    if best_score is None or key < best_score:
                        best, best_score = i, key
                if best is None:
                    break
                chosen.append((s_key, best))
                taken_days.add((prep.members[best].person, day))
                in_month[best, month] += 1
                count[best] += 1
                last[best] = day
                if role == DEPUTY:
                    groups.append(prep.members[best].delegation)
                filled += 1
            if need > 0:
                slack[s_key, role] = need - filled
    uncovered = sum(slack.values())
    return _Attempt(
        status="GREEDY", chosen=chosen, slack=slack, objective=float(W_UNCOVERED * uncovered)
    )


def _close_windows(
    model: cp_model.CpModel,
    items: list[tuple[dt.date, cp_model.IntVar]],
    limit: int | None,
    gap: int,
    terms: list[cp_model.LinearExprT],
    weights: list[int],
) -> None:
    """At most one shift of a person within any ``gap`` days, softly."""
    items = sorted(items, key=lambda pair: pair[0])
    previous_end = -1
    for a in range(len(items)):
        b = a
        while b + 1 < len(items) and (items[b + 1][0] - items[a][0]).days < gap:
            b += 1
        if b == a or b <= previous_end:
            continue  # a single shift, or a window inside the previous one
        previous_end = b
        window = items[a : b + 1]
        if limit == 1 and _month(window[0][0]) == _month(window[-1][0]):
            continue  # one a month already keeps them apart
        extra = model.new_int_var(0, len(window) - 1, "")
        model.add(cp_model.LinearExpr.sum([v for _d, v in window]) <= 1 + extra)
        terms.append(extra)
        weights.append(W_CLOSE)


def _same_delegation(
    prep: _Prepared,
    model: cp_model.CpModel,
    x: Mapping[Key, cp_model.IntVar],
    by_shift_role: Mapping[tuple[int, str], list[int]],
    terms: list[cp_model.LinearExprT],
    weights: list[int],
) -> None:
    """The deputies of one shift from different delegations where possible."""
    for (s_key, role), members_ in by_shift_role.items():
        if role != DEPUTY or prep.shifts[s_key].needs.get(DEPUTY, 0) < 2:
            continue
        groups: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for i in members_:
            g = prep.members[i].delegation
            if g is not None:
                groups[g].append(x[s_key, i])
        already = prep.fixed_delegations.get(s_key, [])
        for g, vars_ in groups.items():
            allowed = max(0, 1 - already.count(g))
            if len(vars_) > allowed:
                extra = model.new_int_var(0, len(vars_), "")
                model.add(cp_model.LinearExpr.sum(vars_) <= allowed + extra)
                terms.append(extra)
                weights.append(W_SAME_DELEGATION)


def _delegation_shares(
    prep: _Prepared,
    model: cp_model.CpModel,
    x: Mapping[Key, cp_model.IntVar],
    terms: list[cp_model.LinearExprT],
    weights: list[int],
) -> None:
    """Each delegation serves about its share of each month's deputy posts."""
    sizes: dict[int, int] = defaultdict(int)
    for i, m in enumerate(prep.members):
        if m.role == DEPUTY and m.delegation is not None and prep.cap[i] > 0:
            sizes[m.delegation] += 1
    if len(sizes) < 2:
        return
    total = sum(sizes.values())
    by_group_month: dict[tuple[int, Month], list[cp_model.IntVar]] = defaultdict(list)
    months: set[Month] = set()
    for (s_key, i), var in x.items():
        m = prep.members[i]
        month = _month(prep.shifts[s_key].day)
        if m.role == DEPUTY and m.delegation is not None:
            by_group_month[m.delegation, month].append(var)
            months.add(month)
    posts: dict[Month, int] = defaultdict(int)
    for s in prep.problem.shifts:
        if _month(s.day) in months:
            posts[_month(s.day)] += s.needs.get(DEPUTY, 0)
    fixed: dict[tuple[int, Month], int] = defaultdict(int)
    for (i, month), n in prep.fixed_month.items():
        g = prep.members[i].delegation
        if prep.members[i].role == DEPUTY and g is not None:
            fixed[g, month] += n
    for g, size in sizes.items():
        for month, n_posts in posts.items():
            target = Fraction(size * n_posts, total)
            low, high = math.floor(target), math.ceil(target)
            vars_ = by_group_month.get((g, month), [])
            count = cp_model.LinearExpr.sum(vars_) + fixed[g, month]
            dev = model.new_int_var(0, max(len(vars_) + fixed[g, month], high), "")
            model.add(dev >= count - high)
            model.add(dev >= low - count)
            terms.append(dev)
            weights.append(W_DELEGATION_SHARE)


# --- The whole period at once, or month by month ---------------------------------------------


def _whole(
    prep: _Prepared,
    limits: dict[int, tuple[int, int]],
    seconds: float,
    report: Callable[[float, int], None],
    started: float,
) -> _Attempt:
    scope = _Scope(
        shifts=[s.key for s in prep.problem.shifts],
        keys=prep.cand,
        low={i: lo - prep.fixed_load[i] for i, (lo, _hi) in limits.items()},
        high={i: hi - prep.fixed_load[i] for i, (_lo, hi) in limits.items()},
    )
    limit = prep.problem.time_limit

    def on_solution(uncovered: int) -> None:
        report(min(0.95, (time.monotonic() - started) / max(limit, 0.001)), uncovered)

    hint = _greedy(prep, scope)
    result = _solve_scope(prep, scope, seconds, on_solution, hint)
    if result.objective is None and result.status == "UNKNOWN" and _meets(prep, scope, hint):
        return hint  # no roster from CP-SAT in time; the quick one keeps every hard rule
    return result


def _meets(prep: _Prepared, scope: _Scope, attempt: _Attempt) -> bool:
    """Whether a quick roster meets the scope's lower limits (its other rules it keeps)."""
    count: dict[int, int] = defaultdict(int)
    for _s, i in attempt.chosen:
        count[i] += 1
    return all(count[i] >= low for i, low in scope.low.items() if low > 0)


def _by_month(
    prep: _Prepared,
    bands: dict[str, _Band],
    limits: dict[int, tuple[int, int]],
    seconds: float,
    report: Callable[[float, int], None],
) -> _Attempt:
    """Month after month, keeping the period's band (see the module's docstring)."""
    deadline = time.monotonic() + seconds
    rng = random.Random(prep.problem.seed)  # noqa: S311 - ties broken reproducibly, no secret
    months = sorted({_month(s.day) for s in prep.problem.shifts})
    keys_by_month: dict[Month, list[Key]] = defaultdict(list)
    for key in prep.cand:
        keys_by_month[_month(prep.shifts[key[0]].day)].append(key)
    shifts_by_month: dict[Month, list[int]] = defaultdict(list)
    for s in prep.problem.shifts:
        shifts_by_month[_month(s.day)].append(s.key)
    # Room left after each month, per member: what his later months could still give; and
    # his pace: his fair share of the period spread over his months by their room.
    later: dict[tuple[int, Month], int] = {}
    expected: dict[tuple[int, Month], Fraction] = {}
    for i, member in enumerate(prep.members):
        running = 0
        for month in reversed(months):
            later[i, month] = running
            running += prep.room.get((i, month), 0)
        band = bands.get(member.role)
        fixed = prep.fixed_load[i]  # counted from the start, like his load
        share = max(Fraction(fixed), min(Fraction(prep.cap[i]), band.mean)) if band else Fraction(0)
        so_far = 0
        for month in months:
            so_far += prep.room.get((i, month), 0)
            expected[i, month] = fixed + (share - fixed) * so_far / running if running else share

    load: dict[int, int] = defaultdict(int, prep.fixed_load)  # fixed shifts count from the start
    last_day: dict[int, dt.date] = {}
    chosen: list[Key] = []
    slack: dict[tuple[int, str], int] = {}
    objective = 0.0
    parts: dict[str, int] = {}
    for n, month in enumerate(months):
        keys = keys_by_month.get(month, [])
        for i, days in prep.fixed_days.items():
            earlier = [d for d in days if _month(d) < month]
            if earlier and (i not in last_day or max(earlier) > last_day[i]):
                last_day[i] = max(earlier)
        members_ = {i for _s, i in keys}
        high: dict[int, int] = {}
        must: dict[int, int] = {}
        cost: dict[int, int] = {}
        pace: dict[int, tuple[int, int]] = {}
        for i in members_:
            low, top = limits[i]
            high[i] = top - load[i]
            due = low - load[i] - later[i, month]
            if due > 0:
                must[i] = due
            target = expected[i, month]
            pace[i] = (math.floor(target) - load[i], math.ceil(target) - load[i])
            cost[i] = min(9, later[i, month])  # the fewer chances left, the sooner
        order = sorted(
            members_, key=lambda i: (load[i] - expected[i, month], cost[i], rng.random())
        )
        rank = {i: n for n, i in enumerate(order)}
        shortlist = _shortlist(prep, keys, order, must, high, shifts_by_month[month])
        scope = _Scope(
            shifts=shifts_by_month[month],
            keys=[k for k in keys if k[1] in shortlist],
            low={},
            high=high,
            must=must,
            cost=cost,
            pace=pace,
            last_day=last_day,
        )
        hint = _greedy(prep, scope, rank)
        if sum(hint.slack.values()) and len(shortlist) < len(members_):
            # A post stays empty among the shortlist: every candidate of the month, then.
            scope.keys = keys
            hint = _greedy(prep, scope, rank)
        left = deadline - time.monotonic()
        budget = left / (len(months) - n)
        result = hint
        if budget > MIN_MONTH_SECONDS:
            # A month's model is small and plain: presolve costs more than it saves.
            solved = _solve_scope(prep, scope, budget, hint=hint, presolve=False)
            if solved.objective is not None and sum(solved.slack.values()) <= sum(
                hint.slack.values()
            ):
                result = solved
        parts[result.status] = parts.get(result.status, 0) + 1
        objective += result.objective or 0.0
        chosen.extend(result.chosen)
        slack.update(result.slack)
        for s_key, i in result.chosen:
            load[i] += 1
            day = prep.shifts[s_key].day
            if i not in last_day or day > last_day[i]:
                last_day[i] = day
        report((n + 1) / len(months), sum(slack.values()))
    status = "OPTIMAL" if set(parts) <= {"OPTIMAL"} else "FEASIBLE"
    return _Attempt(status=status, chosen=chosen, slack=slack, objective=objective, parts=parts)


def _shortlist(
    prep: _Prepared,
    keys: list[Key],
    order: list[int],
    must: dict[int, int],
    high: dict[int, int],
    shifts: list[int],
) -> set[int]:
    """The members one month considers first: the best placed, enough for every shift."""
    posts: dict[str, int] = defaultdict(int)
    for s_key in shifts:
        for role in prep.shifts[s_key].needs:
            posts[role] += prep.remaining.get((s_key, role), 0)
    able = [i for i in order if high.get(i, 0) > 0]
    chosen: set[int] = {i for i in able if must.get(i, 0) > 0}
    per_role: dict[str, int] = defaultdict(int)
    for i in able:
        role = prep.members[i].role
        if per_role[role] < posts[role] * CANDIDATES_PER_POST:
            chosen.add(i)
            per_role[role] += 1
    if len(chosen) * 3 >= len(able) * 2:
        return set(able)
    rank = {i: n for n, i in enumerate(able)}
    by_shift: dict[tuple[int, str], list[int]] = defaultdict(list)
    for s_key, i in keys:
        if i in rank:
            by_shift[s_key, prep.members[i].role].append(i)
    for (s_key, role), members_ in by_shift.items():
        want = prep.remaining.get((s_key, role), 0) * CANDIDATES_PER_SHIFT
        have = sum(1 for i in members_ if i in chosen)
        for i in sorted(members_, key=rank.__getitem__):
            if have >= want:
                break
            if i not in chosen:
                chosen.add(i)
                have += 1
    return chosen


# --- Reasons and spreads ---------------------------------------------------------------------


def _reasons(
    prep: _Prepared,
    chosen: list[Key],
    slack: dict[tuple[int, str], int],
    limits: dict[int, tuple[int, int]],
) -> list[Uncovered]:
    """Each empty post, and why nobody could fill it."""
    load: dict[int, int] = defaultdict(int, prep.fixed_load)
    month_load: dict[tuple[int, Month], int] = defaultdict(int, prep.fixed_month)
    on_day: set[tuple[int, dt.date]] = set()
    on_shift: set[Key] = set(chosen)
    for s_key, i in chosen:
        day = prep.shifts[s_key].day
        load[i] += 1
        month_load[i, _month(day)] += 1
        on_day.add((prep.members[i].person, day))
    of_role: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(prep.members):
        of_role[m.role].append(i)
    found: list[Uncovered] = []
    for (s_key, role), missing in sorted(
        slack.items(), key=lambda kv: (prep.shifts[kv[0][0]].day, kv[0][0], kv[0][1])
    ):
        if missing <= 0:
            continue
        shift = prep.shifts[s_key]
        counts: dict[str, int] = defaultdict(int)
        for i in of_role.get(role, []):
            why = prep.unavailable.get((s_key, i))
            if why in (LEAVE, WEEKDAY, BUSY):
                counts[why] += 1
            elif why == MONTHLY_MAX:
                counts[MONTHLY_MAX] += 1
        free = [i for i in prep.by_shift_role.get((s_key, role), []) if (s_key, i) not in on_shift]
        for i in free:
            limit = prep.month_cap[i]
            if (prep.members[i].person, shift.day) in on_day:
                counts[SAME_DAY] += 1
            elif limit is not None and month_load[i, _month(shift.day)] >= limit:
                counts[MONTHLY_MAX] += 1
            elif load[i] >= limits[i][1]:
                counts[BAND] += 1
            else:
                counts[NO_TIME] += 1
        # Available that day: neither on leave, nor a weekday he never serves, nor on duty
        # elsewhere.
        available = len(of_role.get(role, [])) - counts[LEAVE] - counts[WEEKDAY] - counts[BUSY]
        need = shift.needs.get(role, 0)
        if not of_role.get(role):
            reason = NO_POOL
        elif available < need:
            reason = FEW_AVAILABLE
        elif counts[NO_TIME]:
            reason = NO_TIME
        else:
            reason = max((MONTHLY_MAX, SAME_DAY, BAND), key=lambda k: counts[k])
            if counts[reason] == 0:
                reason = FEW_AVAILABLE
        found.append(
            Uncovered(
                shift=s_key,
                day=shift.day.isoformat(),
                role=role,
                missing=missing,
                reason=reason,
                available=max(0, available),
                counts={k: v for k, v in counts.items() if v},
            )
        )
    return found


def _spreads(
    prep: _Prepared,
    loads: dict[int, int],
    bands: dict[str, _Band],
    limits: dict[int, tuple[int, int]],
) -> dict[str, Spread]:
    result: dict[str, Spread] = {}
    for role, band in bands.items():
        able = [i for i, m in enumerate(prep.members) if m.role == role and prep.cap[i] > 0]
        if not able:
            continue
        values = [loads.get(i, 0) for i in able]
        # A person whose leave or weekdays cap him below the fair floor is not "unfair".
        full = [loads.get(i, 0) for i in able if prep.cap[i] >= band.floor]
        result[role] = Spread(
            role=role,
            persons=len(able),
            least=min(values),
            most=max(values),
            spread=(max(full) - min(full)) if full else 0,
            floor=min(limits[i][0] for i in able),
            ceil=max(limits[i][1] for i in able),
            mean=round(float(band.mean), 3),
            limited=len(able) - len(full),
        )
    return result


# --- The public function ---------------------------------------------------------------------


def solve(problem: Problem, progress: Callable[[Progress], None] | None = None) -> Solution:
    """A roster for ``problem`` within its time limit: complete and fair when feasible;
    otherwise as full as possible, naming each empty post and why."""
    started = time.monotonic()
    prep = _prepare(problem)
    bands = _bands(prep)
    max_cap = max(prep.cap.values(), default=0)
    widest = max(
        [b.floor for b in bands.values()] + [max_cap - b.ceil for b in bands.values()] + [0]
    )
    decompose = (
        len(prep.cand) > DECOMPOSE_ABOVE and len({_month(s.day) for s in problem.shifts}) > 1
    )
    # The band as computed first, then widened one step at a time, and at last no band.
    steps: list[int | None] = [*range(min(widest, MAX_WIDENING)), None] if widest else [0]
    best: tuple[_Attempt, dict[int, tuple[int, int]], int | None] | None = None
    attempts = 0
    status = "UNKNOWN"
    for n, widen in enumerate(steps):
        attempts += 1
        left = problem.time_limit - (time.monotonic() - started)
        if left <= 0.05 and best is not None:
            break
        last = n == len(steps) - 1
        seconds = left if last or decompose else max(0.1, left * 0.6)
        limits = _limits(prep, bands, widen)

        def report(fraction: float, uncovered: int, attempt: int = attempts) -> None:
            if progress is not None:
                progress(
                    Progress(
                        attempt=attempt,
                        elapsed=time.monotonic() - started,
                        time_limit=problem.time_limit,
                        fraction=fraction,
                        uncovered=uncovered,
                    )
                )

        if decompose:
            # Building each month's model and reading its answer happen outside CP-SAT's own
            # limit: keep a margin so that the whole solve ends within the time limit.
            result = _by_month(prep, bands, limits, seconds * MONTHS_SHARE, report)
        else:
            result = _whole(prep, limits, seconds, report, started)
        status = result.status
        if result.objective is None:
            continue  # the band cannot be met, or no roster in time: widen
        uncovered = sum(result.slack.values())
        if best is None or uncovered < sum(best[0].slack.values()):
            best = (result, limits, widen)
        if uncovered == 0:
            break
        reasons = _reasons(prep, result.chosen, result.slack, limits)
        if not any(u.counts.get(BAND) for u in reasons):
            break  # the band is not what keeps posts empty
    wall = time.monotonic() - started
    if best is None:
        return Solution(
            status=FAILED,
            solver_status=status,
            assignments=[],
            uncovered=[],
            spreads={},
            wall_seconds=wall,
            widened=0,
            fair=False,
            attempts=attempts,
            decomposed=decompose,
        )
    chosen_attempt, limits, used = best
    loads: dict[int, int] = defaultdict(int, prep.fixed_load)
    for _s, i in chosen_attempt.chosen:
        loads[i] += 1
    uncovered_list = _reasons(prep, chosen_attempt.chosen, chosen_attempt.slack, limits)
    spreads = _spreads(prep, loads, bands, limits)
    return Solution(
        status=COMPLETE if not uncovered_list else INCOMPLETE,
        solver_status=chosen_attempt.status,
        assignments=[
            Placed(shift=s_key, person=prep.members[i].person, role=prep.members[i].role)
            for s_key, i in sorted(chosen_attempt.chosen)
        ],
        uncovered=uncovered_list,
        spreads=spreads,
        wall_seconds=wall,
        widened=used if used is not None else -1,
        fair=all(s.spread <= 1 for s in spreads.values()),
        attempts=attempts,
        decomposed=decompose,
        months=chosen_attempt.parts,
        objective=chosen_attempt.objective,
        loads={(prep.members[i].person, prep.members[i].role): n for i, n in loads.items()},
    )
