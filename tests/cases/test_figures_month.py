"""The monthly figures table (CASE-10, issue 7): kept by the same counting as the daily one,
equal to a recount and to the sum of the daily rows, read by the figures page for a province's,
a city's or a county's whole months and giving the same numbers as the daily table."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.cases import figures, services
from lianxin.cases.models import Case, CaseEvent, CaseFigure, CaseFigureMonth
from lianxin.cases.workflow import Who
from lianxin.holidays.deadlines import BEIJING, beijing_date
from lianxin.regions.models import Region
from tests.cases.conftest import Personas, file
from tests.factories import Township, UserFactory, assign

pytestmark = pytest.mark.django_db

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
WHOLE = {"period": "custom", "start": "2026-11-01", "end": "2026-12-31"}


def _steps(t: Township, p: Personas) -> dict[str, Callable[[Case], Case]]:
    def rate(c: Case) -> Case:
        rating = random.Random(c.pk).choice(["satisfied", "basically", "dissatisfied"])
        extra = {"reason": "没修好"} if rating == "dissatisfied" else {}
        return services.rate(who=Who.citizen(c.citizens.get().pk), case=c, rating=rating, **extra)

    return {
        "confirm": lambda c: services.confirm(who=p.deputy, case=c),
        "triage": lambda c: services.triage(who=p.office, case=c, scope=Case.Scope.TOWNSHIP),
        "dispatch": lambda c: services.dispatch(who=p.office, case=c, lead=t.unit, co=[t.sub_unit]),
        "accept": lambda c: services.accept(who=p.unit, case=c),
        "reply": lambda c: services.reply(who=p.unit, case=c, text="已办理。", solved=True),
        "approve": lambda c: services.approve_reply(who=p.deputy, case=c),
        "rate": rate,
        "decline": lambda c: services.decline(who=p.office, case=c, explanation="属法院职责。"),
        "spot": lambda c: services.resolve_on_spot(who=p.station, case=c, explanation="当场修好。"),
    }


ROUTES = [
    ["confirm", "triage", "dispatch", "accept", "reply", "approve", "rate"],
    ["confirm", "decline"],
    ["confirm", "spot"],
]


def walk(world: Any, seed: int = 7, n: int = 14) -> None:
    """Cases of both townships filed from late November and walked a random way and a
    random length along their routes, one step every few days, across the month's end."""
    rnd = random.Random(seed)
    for i in range(n):
        t = world.a if i % 3 else world.b
        p = Personas(t)
        moment = dt.datetime(2026, 11, 20 + rnd.randint(0, 9), 9, tzinfo=BEIJING)
        with time_machine.travel(moment, tick=False):
            case = file(t).case
        route = rnd.choice(ROUTES)
        for name in route[: rnd.randint(0, len(route))]:
            moment += dt.timedelta(days=rnd.randint(0, 4))
            with time_machine.travel(moment, tick=False):
                case = _steps(t, p)[name](Case.objects.get(pk=case.pk))


def month_rows() -> dict[tuple[dt.date, int, int], dict[str, int]]:
    return {
        (r.month, r.region_id, r.category_id): {c: getattr(r, c) for c in figures.CASE_COUNTERS}
        for r in CaseFigureMonth.objects.all()
    }


def county(region_id: int) -> int:
    region = Region.objects.get(pk=region_id)
    return figures.county_of(region.pk, region.path, region.level)


def test_the_monthly_table_equals_a_recount_and_the_sum_of_the_daily_rows(world):
    walk(world)
    kept = month_rows()
    # A recount from the events with the counting rules.
    recount: dict[Any, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(figures.CASE_COUNTERS, 0)
    )
    for e in CaseEvent.objects.all():
        add, _units = figures.deltas(e.action, e.from_status, e.data or {})
        if add and (e.data or {}).get("dims"):
            _congress, region, _station, _deputy, category = e.data["dims"]
            line = recount[(beijing_date(e.at).replace(day=1), county(region), category)]
            for k, v in add.items():
                line[k] += v
    assert kept == dict(recount)
    # Both months and both counties are there, at county level.
    assert {m for m, _r, _c in kept} == {NOV, DEC}
    assert {r for _m, r, _c in kept} == {world.a.county.pk, world.b.county.pk}
    assert sum(v["received"] for v in kept.values()) == Case.objects.count() == 14
    # The sum of the daily rows by month and county gives the same table.
    daily: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(figures.CASE_COUNTERS, 0))
    for r in CaseFigure.objects.all():
        line = daily[(r.day.replace(day=1), county(r.region_id), r.category_id)]
        for k in figures.CASE_COUNTERS:
            line[k] += getattr(r, k)
    assert kept == dict(daily)
    figures.fill_months()
    assert month_rows() == kept


def test_the_rebuild_command_fills_both_tables(world):
    walk(world, seed=11)
    kept_days = sorted(CaseFigure.objects.values_list("day", "region_id", "received", "replied"))
    kept_months = month_rows()
    CaseFigure.objects.all().delete()
    CaseFigureMonth.objects.update(received=99)
    call_command("rebuild_case_figures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert month_rows() == kept_months
    assert (
        sorted(CaseFigure.objects.values_list("day", "region_id", "received", "replied"))
        == kept_days
    )
    CaseFigureMonth.objects.all().delete()
    call_command("rebuild_case_figures", "--months-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert month_rows() == kept_months


def office_at(region: Region, name: str) -> Any:
    user = UserFactory(username=name)
    assign(user, Role.OFFICE, region=region)
    from tests.factories import World

    return World.client_for(None, user, Role.OFFICE)  # type: ignore[arg-type]


def page(client, params) -> tuple[dict[str, Any], bool]:
    """The figures page's table, and whether it read the monthly table."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:figures"), params)
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    return response.context["table"], CaseFigureMonth._meta.db_table in sql


def test_the_page_gives_the_same_numbers_whichever_table_it_reads(world):
    walk(world, seed=3)
    province = Region.objects.get(pk=world.a.county.ancestor_ids()[0])
    city = Region.objects.get(pk=world.a.county.parent_id)
    at = dt.datetime(2026, 12, 20, 9, tzinfo=BEIJING)
    with time_machine.travel(at, tick=False):
        for region, tag in ((province, "p"), (city, "c"), (world.a.county, "k")):
            client = office_at(region, f"{tag}_office_m")
            by_region, monthly = page(client, {**WHOLE, "by": "region"})
            assert monthly is (region.level < Region.Level.COUNTY)  # a county groups townships
            by_category, monthly = page(client, {**WHOLE, "by": "category"})
            assert monthly  # a county's own categories come from the monthly table
            by_station, monthly = page(client, {**WHOLE, "by": "station"})
            assert not monthly  # stations are kept only by day
            by_deputy, monthly = page(client, {**WHOLE, "by": "deputy"})
            assert not monthly
            totals = {tuple(t["total"]) for t in (by_region, by_category, by_station, by_deputy)}
            assert len(totals) == 1, (tag, totals)
            # The daily table's own sum over the same months and region.
            daily = figures.case_figures(
                figures.rows_for_regions(region.path), NOV, dt.date(2026, 12, 31)
            )
            assert by_region["total"][1] == str(daily.received)
            assert by_region["total"][5] == str(daily.replied)
        # The province's lines are its cities, the same from either table.
        client = office_at(province, "p_office_2")
        lines, monthly = page(client, {**WHOLE, "by": "region"})
        assert monthly
        names = {line[0]: line[1] for line in lines["lines"]}
        assert set(names) == {city.name, Region.objects.get(pk=world.b.county.parent_id).name}


def test_a_period_that_is_not_whole_months_reads_the_daily_table(world):
    walk(world, seed=5)
    province = Region.objects.get(pk=world.a.county.ancestor_ids()[0])
    at = dt.datetime(2026, 12, 20, 9, tzinfo=BEIJING)
    with time_machine.travel(at, tick=False):
        client = office_at(province, "p_office_d")  # logged in at that moment
        part, monthly = page(
            client, {"period": "custom", "start": "2026-11-25", "end": "2026-12-31", "by": "region"}
        )
        assert not monthly
        _whole, monthly = page(client, {**WHOLE, "by": "region"})
        assert monthly
        this_month, monthly = page(client, {"period": "month", "by": "region"})
        assert monthly  # 本月 is a whole month
    daily = figures.case_figures(
        figures.rows_for_regions(province.path), dt.date(2026, 11, 25), dt.date(2026, 12, 31)
    )
    assert part["total"][1] == str(daily.received)
    month = figures.case_figures(
        figures.rows_for_regions(province.path), DEC, dt.date(2026, 12, 31)
    )
    assert this_month["total"][1] == str(month.received)
