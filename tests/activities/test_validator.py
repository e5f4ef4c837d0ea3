"""The roster validator (DUTY-2), written independently of the solver: a good roster passes,
and a hand-broken roster is rejected for each kind of violation."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from dataclasses import dataclass, field

import pytest

from lianxin.activities.duty import validator
from lianxin.activities.duty.validator import Rules, validate

D = dt.date


@dataclass
class S:
    key: int
    day: dt.date
    needs: dict[str, int]


@dataclass
class P:
    person: int
    role: str = "deputy"
    unavailable_weekdays: frozenset[int] = frozenset()
    max_per_month: int | None = None


@dataclass
class L:
    person: int
    starts_on: dt.date
    ends_on: dt.date


@dataclass
class A:
    shift: int
    person: int
    role: str = "deputy"


@dataclass
class Roster:
    shifts: list[S] = field(default_factory=list)
    pool: list[P] = field(default_factory=list)
    leave: list[L] = field(default_factory=list)
    rows: list[A] = field(default_factory=list)

    def check(self, **rules) -> list[validator.Violation]:
        return validate(self.shifts, self.pool, self.leave, self.rows, Rules(**rules))

    def kinds(self, **rules) -> set[str]:
        return {v.kind for v in self.check(**rules)}


@pytest.fixture
def good() -> Roster:
    """Four Wednesdays of January 2026, two deputies each, four deputies serving twice."""
    shifts = [S(n + 1, D(2026, 1, 7) + dt.timedelta(weeks=n), {"deputy": 2}) for n in range(4)]
    rows = [A(1, 1), A(1, 2), A(2, 3), A(2, 4), A(3, 1), A(3, 2), A(4, 3), A(4, 4)]
    return Roster(shifts=shifts, pool=[P(p) for p in range(1, 5)], rows=rows)


def test_it_passes_a_good_roster(good):
    assert good.check(max_per_month=2, claims_fair=True) == []


def test_it_rejects_an_uncovered_post_unless_staff_accepted_it(good):
    good.rows.remove(A(4, 4))
    [violation] = good.check()
    assert (violation.kind, violation.shift, violation.role, violation.detail) == (
        "uncovered",
        4,
        "deputy",
        "1/2",
    )
    assert good.check(accepted_uncovered={(4, "deputy")}) == []


def test_it_rejects_a_post_filled_twice(good):
    good.rows.append(A(4, 1))
    assert good.kinds() == {"overfilled"}


def test_it_rejects_a_person_on_leave(good):
    good.leave.append(L(3, D(2026, 1, 14), D(2026, 1, 20)))
    [violation] = good.check()
    assert (violation.kind, violation.person, violation.day) == ("on_leave", 3, "2026-01-14")


def test_it_rejects_a_person_on_a_weekday_he_never_serves(good):
    good.pool[0].unavailable_weekdays = frozenset({2})
    assert good.kinds() == {"unavailable_weekday"}


def test_it_rejects_a_person_twice_on_one_day(good):
    good.shifts.append(S(5, D(2026, 1, 7), {"deputy": 1}))  # an afternoon shift
    good.rows.append(A(5, 1))
    [violation] = good.check()
    assert (violation.kind, violation.person, violation.day) == ("twice_a_day", 1, "2026-01-07")


def test_it_rejects_a_person_over_the_monthly_maximum(good):
    kinds = good.kinds(max_per_month=1)
    assert kinds == {"over_monthly_max"}
    good.pool[0].max_per_month = 2  # his own maximum overrides the roster's
    assert {v.person for v in good.check(max_per_month=1)} == {2, 3, 4}


def test_it_rejects_a_person_not_in_the_pool_or_in_another_role(good):
    good.rows[0] = A(1, 99)
    assert good.kinds() == {"not_in_pool"}
    good.rows[0] = A(1, 1)
    good.pool.append(P(5, role="unit_head"))
    good.rows[1] = A(1, 5, "deputy")
    assert good.kinds() == {"wrong_role"}


def test_it_rejects_an_unknown_shift(good):
    good.rows.append(A(77, 1))
    assert "unknown_shift" in good.kinds()


def test_it_rejects_a_spread_above_one_when_the_roster_claims_to_be_fair(good):
    good.rows = [A(1, 1), A(1, 2), A(2, 1), A(2, 3), A(3, 1), A(3, 4), A(4, 2), A(4, 3)]
    # person 1 serves 3 times, person 4 once
    assert good.kinds() == set()
    [violation] = good.check(claims_fair=True)
    assert (violation.kind, violation.role, violation.detail) == ("unfair", "deputy", "1..3")


def test_it_does_not_call_a_person_kept_away_by_leave_unfair(good):
    """Person 4 is on leave for all but one Wednesday: serving once is his fair share."""
    good.leave.append(L(4, D(2026, 1, 10), D(2026, 1, 31)))
    good.rows = [A(1, 1), A(1, 4), A(2, 2), A(2, 3), A(3, 1), A(3, 2), A(4, 3), A(4, 1)]
    assert good.check(claims_fair=True) == []


def test_it_shares_no_code_with_the_solver():
    tree = ast.parse(inspect.getsource(validator))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if "solver" in name or "ortools" in name]
