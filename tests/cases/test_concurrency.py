"""Two people acting on one case at once: exactly one wins, one event is written, the others
are told it was already handled (CASE-3). Real row locks need PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from lianxin.cases import services
from lianxin.cases.models import Case, CaseEvent, CaseUnit
from lianxin.cases.workflow import Action, Who
from lianxin.common.errors import Conflict
from tests.cases.conftest import Personas, file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(n: int, act: Callable[[int], Any]) -> list[str]:
    """Runs ``act(i)`` in ``n`` threads released together; each answers "ok" or "conflict"."""
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            act(i)
            outcome = "ok"
        except Conflict:
            outcome = "conflict"
        except Exception as exc:
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_dispatches_at_once_dispatch_once(world):
    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    office, station = a.office, a.station
    units = [world.a.unit, world.a.sub_unit]

    results = race(20, lambda i: services.dispatch(
        who=office if i % 2 else station, case=case, lead=units[i % 2]))  # fmt: skip
    assert sorted(results) == ["conflict"] * 19 + ["ok"], results
    assert CaseEvent.objects.filter(case=case, action=Action.DISPATCH).count() == 1
    assert CaseUnit.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).status == Case.Status.DISPATCHED


def test_two_ratings_at_once_rate_once(world):
    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已修复。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    citizen = Who.citizen(case.citizens.get().pk)
    staff = a.station

    results = race(2, lambda i: services.rate(
        who=citizen if i else staff, case=case, rating=Case.Rating.SATISFIED))  # fmt: skip
    assert sorted(results) == ["conflict", "ok"], results
    assert CaseEvent.objects.filter(case=case, action=Action.RATE).count() == 1
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_the_same_form_sent_twice_at_once_files_one_case(world):
    results: list[Any] = []

    def send(i: int) -> None:
        results.append(file(world.a, submission_key="parallel-key-0001"))

    outcomes = race(2, send)
    assert outcomes == ["ok", "ok"]
    assert Case.objects.count() == 1
    assert {r.case.pk for r in results} == {Case.objects.get().pk}
    assert len({(r.token, r.pin) for r in results}) == 1


def test_ten_filings_at_once_get_ten_consecutive_numbers(world):
    """The counter's single upsert (issue 7) still hands out each number once, none skipped."""
    outcomes = race(10, lambda i: file(world.a, submission_key=f"parallel-number-{i:04d}"))
    assert outcomes == ["ok"] * 10
    serials = sorted(
        int(n.rsplit("-", 1)[1]) for n in Case.objects.values_list("number", flat=True)
    )
    assert serials == list(range(1, 11))
