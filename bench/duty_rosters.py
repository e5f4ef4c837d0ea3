"""Benchmark: duty rosters with the CP-SAT solver (DUTY-2, ARCHITECTURE "Performance").

Two cases, built in memory (no database), solved, then checked by the independent
validator:

- 濮阳县's supervision station: 420 deputies in 22 delegations and 18 window-unit heads, every
  working day of a year (holidays and 调休 from ``chinese-calendar``), each day 2 deputies and
  1 unit head, 15% of the deputy-days on leave, at most one shift per deputy a month. The
  target: complete, spread ≤ 1, under 10 s on the 2-core machine.
- a county of 25 stations, each with a weekly 代表周三见 (every Wednesday, 2–3 deputies) for a
  year, each station solved on its own.

Usage: .venv/bin/python bench/duty_rosters.py [--year 2026] [--seed 7] [--time-limit 9]
       [--out var/bench/duty_rosters.json]
Writes a JSON document of the results and prints a summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lianxin.activities.duty import patterns, validator  # noqa: E402
from lianxin.activities.duty.solver import (  # noqa: E402
    DEPUTY,
    UNIT_HEAD,
    Leave,
    Member,
    Problem,
    ShiftSlot,
    Solution,
    solve,
)


def official_days(year: int) -> patterns.OfficialDays:
    """The year's holidays and 调休 working days from the chinese-calendar package (the same
    data the holiday table is seeded from)."""
    import chinese_calendar

    holidays = frozenset(d for d in chinese_calendar.holidays if d.year == year)
    workdays = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    return patterns.OfficialDays(holidays=holidays, workdays=workdays)


def leave_spans(
    rng: random.Random, person: int, days: list[dt.date], share: float
) -> tuple[list[Leave], int]:
    """Leave in spans of 1–10 days until ``share`` of the person's ``days`` are covered."""
    target = round(len(days) * share)
    covered: set[dt.date] = set()
    spans: list[Leave] = []
    first, last = days[0], days[-1]
    span_days = (last - first).days
    while len(covered) < target:
        start = first + dt.timedelta(days=rng.randrange(span_days + 1))
        end = min(last, start + dt.timedelta(days=rng.randrange(1, 11) - 1))
        inside = {d for d in days if start <= d <= end}
        if len(covered | inside) > target + 2:
            end = start  # a single day to finish close to the share
            inside = {d for d in days if d == start}
        covered |= inside
        spans.append(Leave(person=person, starts_on=start, ends_on=end))
    return spans, len(covered)


def puyang(year: int, seed: int, time_limit: float) -> tuple[Problem, dict[str, Any]]:
    rng = random.Random(seed)
    calendar = official_days(year)
    days = patterns.expand(
        patterns.PatternSpec(kind=patterns.WORKDAYS),
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
        calendar,
    )
    shifts = [
        ShiftSlot(key=n, day=d, needs={DEPUTY: 2, UNIT_HEAD: 1}) for n, d in enumerate(days, 1)
    ]
    # 420 deputies in 22 delegations of uneven size (16–23), 18 window-unit heads.
    sizes = [20, 20] + [19] * 20
    for _ in range(40):
        a, b = rng.randrange(22), rng.randrange(22)
        if a != b and sizes[a] > 16 and sizes[b] < 23:
            sizes[a] -= 1
            sizes[b] += 1
    pool: list[Member] = []
    person = 0
    for delegation, size in enumerate(sizes, 1):
        for _ in range(size):
            person += 1
            pool.append(Member(person=person, role=DEPUTY, delegation=delegation, max_per_month=1))
    for unit in range(1, 19):
        person += 1
        pool.append(Member(person=person, role=UNIT_HEAD, unit=unit))
    leave: list[Leave] = []
    leave_days = 0
    for m in pool:
        if m.role == DEPUTY:
            spans, covered = leave_spans(rng, m.person, days, 0.15)
            leave.extend(spans)
            leave_days += covered
    problem = Problem(
        shifts=shifts, pool=pool, leave=leave, max_per_month=None, time_limit=time_limit
    )
    facts = {
        "deputies": sum(1 for m in pool if m.role == DEPUTY),
        "delegations": len(sizes),
        "unit_heads": sum(1 for m in pool if m.role == UNIT_HEAD),
        "working_days": len(days),
        "deputy_posts": 2 * len(days),
        "unit_head_posts": len(days),
        "deputy_days_on_leave_share": round(leave_days / (len(days) * 420), 4),
        "max_per_month_deputy": 1,
    }
    return problem, facts


def county(year: int, seed: int, time_limit: float) -> list[tuple[str, Problem]]:
    """25 township stations, each every Wednesday (holidays skipped) with 2–3 deputies from a
    pool of 12–40 deputies in 3–6 groups, 10% of deputy-days on leave, at most 2 a month."""
    rng = random.Random(seed + 1)
    calendar = official_days(year)
    wednesdays = patterns.expand(
        patterns.PatternSpec(kind=patterns.WEEKLY, weekdays=(2,)),
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
        calendar,
    )
    problems: list[tuple[str, Problem]] = []
    person = 0
    for station in range(1, 26):
        need = rng.choice((2, 2, 3))
        shifts = [
            ShiftSlot(key=n, day=d, needs={DEPUTY: need}) for n, d in enumerate(wednesdays, 1)
        ]
        groups = rng.randrange(3, 7)
        pool: list[Member] = []
        leave: list[Leave] = []
        for _ in range(rng.randrange(12, 41)):
            person += 1
            pool.append(Member(person=person, role=DEPUTY, delegation=rng.randrange(groups)))
            spans, _covered = leave_spans(rng, person, wednesdays, 0.10)
            leave.extend(spans)
        problems.append(
            (
                f"station-{station:02d}",
                Problem(
                    shifts=shifts,
                    pool=pool,
                    leave=leave,
                    max_per_month=2,
                    time_limit=time_limit,
                ),
            )
        )
    return problems


def check(problem: Problem, solution: Solution) -> list[validator.Violation]:
    return validator.validate(
        problem.shifts,
        problem.pool,
        problem.leave,
        solution.assignments,
        validator.Rules(max_per_month=problem.max_per_month, claims_fair=solution.fair),
    )


def summary(problem: Problem, solution: Solution, seconds: float) -> dict[str, Any]:
    violations = check(problem, solution)
    return {
        "seconds": round(seconds, 3),
        "solver_wall_seconds": round(solution.wall_seconds, 3),
        "status": solution.status,
        "solver_status": solution.solver_status,
        "complete": solution.complete,
        "fair": solution.fair,
        "widened": solution.widened,
        "attempts": solution.attempts,
        "months": solution.months,
        "spreads": {
            role: {
                "spread": s.spread,
                "least": s.least,
                "most": s.most,
                "band": [s.floor, s.ceil],
                "mean": s.mean,
                "limited": s.limited,
            }
            for role, s in solution.spreads.items()
        },
        "uncovered_posts": sum(u.missing for u in solution.uncovered),
        "same_delegation_shifts": same_delegation(problem, solution),
        "close_pairs": close_pairs(problem, solution),
        "delegation_share_deviation": share_deviation(problem, solution),
        "violations": len(violations),
        "violation_kinds": sorted({v.kind for v in violations}),
    }


def same_delegation(problem: Problem, solution: Solution) -> int:
    """Shifts whose deputies include two of one delegation."""
    delegation = {m.person: m.delegation for m in problem.pool if m.role == DEPUTY}
    seen: dict[int, list[int | None]] = {}
    for a in solution.assignments:
        if a.role == DEPUTY:
            seen.setdefault(a.shift, []).append(delegation.get(a.person))
    return sum(1 for groups in seen.values() if len(groups) != len(set(groups)))


def close_pairs(problem: Problem, solution: Solution) -> int:
    """Pairs of one person's consecutive shifts fewer than ``min_gap_days`` apart."""
    day = {s.key: s.day for s in problem.shifts}
    days: dict[int, list[dt.date]] = {}
    for a in solution.assignments:
        days.setdefault(a.person, []).append(day[a.shift])
    return sum(
        1
        for ds in days.values()
        for x, y in zip(sorted(ds), sorted(ds)[1:], strict=False)
        if (y - x).days < problem.min_gap_days
    )


def share_deviation(problem: Problem, solution: Solution) -> int:
    """How far delegations' monthly counts of deputy posts stray outside floor..ceil of
    their share (summed over delegations and months)."""
    from fractions import Fraction

    delegation = {m.person: m.delegation for m in problem.pool if m.role == DEPUTY}
    sizes: dict[Any, int] = {}
    for g in delegation.values():
        sizes[g] = sizes.get(g, 0) + 1
    if len(sizes) < 2:
        return 0
    day = {s.key: s.day for s in problem.shifts}
    posts: dict[tuple[int, int], int] = {}
    for s in problem.shifts:
        month = (s.day.year, s.day.month)
        posts[month] = posts.get(month, 0) + s.needs.get(DEPUTY, 0)
    counts: dict[tuple[Any, tuple[int, int]], int] = {}
    for a in solution.assignments:
        if a.role == DEPUTY:
            key = (delegation[a.person], (day[a.shift].year, day[a.shift].month))
            counts[key] = counts.get(key, 0) + 1
    total = sum(sizes.values())
    deviation = 0
    for g, size in sizes.items():
        for month, n in posts.items():
            target = Fraction(size * n, total)
            c = counts.get((g, month), 0)
            deviation += max(0, c - int(-(-target // 1)), int(target // 1) - c)
    return deviation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=9.0)
    parser.add_argument("--quick-time-limit", type=float, default=2.0)
    parser.add_argument("--county-time-limit", type=float, default=5.0)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "duty_rosters.json"))
    parser.add_argument("--skip-county", action="store_true")
    args = parser.parse_args()

    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "year": args.year,
        "seed": args.seed,
    }

    started = time.monotonic()
    problem, facts = puyang(args.year, args.seed, args.time_limit)
    built = time.monotonic() - started
    started = time.monotonic()
    solution = solve(problem)
    seconds = time.monotonic() - started
    results["puyang"] = {
        "facts": facts,
        "build_seconds": round(built, 3),
        "time_limit": args.time_limit,
        **summary(problem, solution, seconds),
    }
    p = results["puyang"]
    print(
        f"濮阳县 {facts['working_days']} working days: {p['status']} in {p['seconds']} s, "
        f"spreads {json.dumps(p['spreads'], ensure_ascii=False)}, "
        f"violations {p['violations']}, same-delegation shifts {p['same_delegation_shifts']}"
    )

    # The same year with a short limit: completeness and fairness do not hang on the time
    # CP-SAT gets to polish the soft wishes.
    quick_problem, _facts = puyang(args.year, args.seed, args.quick_time_limit)
    started = time.monotonic()
    quick = solve(quick_problem)
    seconds = time.monotonic() - started
    results["puyang_quick"] = {
        "time_limit": args.quick_time_limit,
        **summary(quick_problem, quick, seconds),
    }
    q = results["puyang_quick"]
    print(
        f"濮阳县 with a {args.quick_time_limit} s limit: {q['status']} in {q['seconds']} s, "
        f"fair {q['fair']}, violations {q['violations']}"
    )
    results["load_average"] = os.getloadavg()

    if not args.skip_county:
        stations = []
        total = 0.0
        for name, station_problem in county(args.year, args.seed, args.county_time_limit):
            started = time.monotonic()
            station_solution = solve(station_problem)
            seconds = time.monotonic() - started
            total += seconds
            row = summary(station_problem, station_solution, seconds)
            row.update(
                station=name,
                deputies=len(station_problem.pool),
                shifts=len(station_problem.shifts),
                need=next(iter(station_problem.shifts[0].needs.values())),
            )
            stations.append(row)
        results["county"] = {
            "stations": stations,
            "total_seconds": round(total, 3),
            "max_seconds": max(s["seconds"] for s in stations),
            "complete": sum(1 for s in stations if s["complete"]),
            "fair": sum(1 for s in stations if s["fair"]),
            "violations": sum(s["violations"] for s in stations),
        }
        c = results["county"]
        print(
            f"county of 25 stations (周三见): {c['complete']}/25 complete, {c['fair']}/25 "
            f"spread ≤ 1, {c['total_seconds']} s in all (slowest {c['max_seconds']} s), "
            f"violations {c['violations']}"
        )

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    ok = p["complete"] and p["fair"] and p["violations"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
