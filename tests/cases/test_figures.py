"""The figures of CASE-10 from aggregate tables kept by the workflow equal a recount of the
cases and events, and the rebuild command reproduces them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from lianxin.cases import figures, services
from lianxin.cases.models import Case, CaseEvent, CaseFigure, UnitFigure
from lianxin.cases.workflow import Who
from lianxin.holidays.deadlines import BEIJING
from tests.cases.conftest import Personas, file

pytestmark = pytest.mark.django_db


def build(world) -> None:
    """A month of cases in township a and one in b: on the spot, declined, replied late,
    rated in each way, reopened, unrated, still open past its deadline."""
    a, b = Personas(world.a), Personas(world.b)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=BEIJING), tick=False):
        cases = [file(world.a).case for _ in range(6)] + [file(world.b).case]
        spot, declined, happy, basic, unhappy, silent, other = cases
        services.confirm(who=a.deputy, case=spot)
        services.resolve_on_spot(who=a.station, case=spot, explanation="当场修好。")
        services.decline(
            who=a.deputy and a.office,
            case=services.confirm(who=a.deputy, case=declined),
            explanation="法院职责",
        )
        for case in (happy, basic, unhappy, silent):
            case = services.confirm(who=a.deputy, case=case)
            case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
            case = services.dispatch(
                who=a.office, case=case, lead=world.a.unit, co=[world.a.sub_unit]
            )
            services.accept(who=a.unit, case=case)
        services.confirm(who=b.deputy, case=other)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=BEIJING), tick=False):
        for case, solved in ((happy, True), (basic, True), (unhappy, True)):
            case = services.reply(
                who=a.unit, case=Case.objects.get(pk=case.pk), text="已办。", solved=solved
            )
            services.approve_reply(who=a.deputy, case=case)
        for case, rating in ((happy, "satisfied"), (basic, "basically")):
            citizen = Who.citizen(case.citizens.get().pk)
            services.rate(who=citizen, case=Case.objects.get(pk=case.pk), rating=rating)
        citizen = Who.citizen(unhappy.citizens.get().pk)
        services.rate(
            who=citizen,
            case=Case.objects.get(pk=unhappy.pk),
            rating="dissatisfied",
            reason="没修好",
        )
    with time_machine.travel(dt.datetime(2026, 12, 10, 9, tzinfo=BEIJING), tick=False):
        services.reply(
            who=a.unit, case=Case.objects.get(pk=unhappy.pk), text="重修了。", solved=True
        )


def snapshot():
    return sorted(
        CaseFigure.objects.values_list(*[f.name for f in CaseFigure._meta.fields if f.name != "id"])
    ), sorted(
        UnitFigure.objects.values_list(*[f.name for f in UnitFigure._meta.fields if f.name != "id"])
    )


def test_the_aggregates_equal_a_recount_of_cases_and_events(world):
    build(world)
    rows = figures.rows_for_regions(world.a.county.path)
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, tzinfo=BEIJING), tick=False):
        month = figures.case_figures(
            rows,
            dt.date(2026, 11, 1),
            dt.date(2026, 12, 31),
            overdue=Case.objects.filter(region__path__startswith=world.a.county.path),
        )
    in_a = Case.objects.filter(region__path__startswith=world.a.county.path)
    events = CaseEvent.objects.filter(case__in=in_a)
    assert month.received == in_a.count() == 6
    assert month.on_spot == events.filter(action="resolve_on_spot").count() == 1
    assert month.declined == 1
    assert month.dispatched == events.filter(action="dispatch").count() == 4
    assert month.replied == events.filter(action="reply").count() == 4
    assert month.satisfied == 1 and month.basically == 1 and month.dissatisfied == 1
    assert month.responded == 6  # every case answered by a confirmation
    assert month.reopened == 1
    # 解决率: four replies saying solved, one of them rated 不满意 → 3/4.
    assert month.resolution_rate == Decimal("75.0")
    # 满意率: (1 + 0.9) / 3 ratings.
    assert month.satisfaction_rate == Decimal("63.3")
    # The silent case is still handled past its month: late, although never answered.
    assert month.open_overdue == 1
    assert month.on_time_rate == Decimal(
        month.replied_on_time * 100 / (month.replied + 1)
    ).quantize(Decimal("0.1"))
    units = figures.unit_figures([world.a.unit.pk], dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    assert units["dispatched"] == 4 and units["replied"] == 4
    assert (
        figures.unit_figures([world.a.sub_unit.pk], dt.date(2026, 11, 1), dt.date(2026, 12, 31))[
            "dispatched"
        ]
        == 4
    )


def test_the_rebuild_command_reproduces_the_tables(world):
    build(world)
    kept = snapshot()
    CaseFigure.objects.update(received=99)
    call_command("rebuild_case_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == kept


def test_the_weights_of_satisfaction_are_configurable(world, settings):
    build(world)
    settings.LIANXIN_SATISFACTION_WEIGHTS = (1, "0.5")
    rows = figures.rows_for_regions(world.a.county.path)
    month = figures.case_figures(rows, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert month.satisfaction_rate == Decimal("50.0")


def test_a_units_figures_carry_the_verdict_on_its_replies(world):
    """The lead unit's replies, how many said solved, and how citizens rated them (CASE-10 by
    unit): 3 replies rated, one 不满意 reopened and replied again."""
    build(world)
    start, end = dt.date(2026, 11, 1), dt.date(2026, 12, 31)
    lead = figures.unit_figures([world.a.unit.pk], start, end)
    assert lead["replied"] == 4 and lead["solved"] == 4
    assert (lead["satisfied"], lead["basically"], lead["dissatisfied"]) == (1, 1, 1)
    assert lead["solved_dissatisfied"] == 1
    rates = figures.UnitRates(totals=lead)
    assert rates.resolution_rate == Decimal("75.0")
    assert rates.satisfaction_rate == Decimal("63.3")
    co = figures.unit_figures([world.a.sub_unit.pk], start, end)
    assert co["replied"] == 0 and co["satisfied"] == 0  # co-handlers are not rated for the lead
