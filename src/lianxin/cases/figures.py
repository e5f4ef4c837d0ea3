"""The figures of the closed loop (CASE-9, CASE-10), kept in aggregate tables.

Every event of a case adds to the daily row of the case's dimensions at that moment (region,
station, deputy, category — recorded in the event itself, so that a later reassignment does not
rewrite history) and, for dispatches and replies, to the unit's row. ``rebuild`` recounts the
tables from the events with the same rules. Pages read sums of rows, never the cases.

The three rates (CASE-10, the 12345 model), by default:
- 响应率 = cases whose first response came within its time limit / cases received;
- 解决率 = replies saying solved, less those the citizen rated 不满意 / replies;
- 满意率 = (满意 + 0.9 × 基本满意) / ratings (未评价 is not a rating).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from lianxin.cases.models import Case, CaseEvent, CaseFigure, CaseFigureMonth, UnitFigure
from lianxin.holidays.deadlines import beijing_date

CASE_COUNTERS = [
    f.name
    for f in CaseFigure._meta.fields
    if f.name
    not in ("id", "day", "congress_id", "region_id", "station_id", "deputy_id", "category_id")
]
UNIT_COUNTERS = [f.name for f in UnitFigure._meta.fields if f.name not in ("id", "day", "unit_id")]
# The coarsest region level the monthly table keeps apart (Region.Level.COUNTY).
COUNTY_LEVEL = 3
RESPONSES = {"confirm", "triage", "report", "resolve_on_spot", "decline", "merge"}


def dims(case: Case) -> list[int]:
    """The dimensions an event is counted under: congress, region, station, deputy, category."""
    return [
        case.congress_id,
        case.region_id,
        case.station_id or 0,
        case.deputy_id or 0,
        case.category_id,
    ]


def deltas(
    action: str, from_status: str, data: dict[str, Any]
) -> tuple[dict[str, int], list[tuple[int, dict[str, int]]]]:
    """What one event adds: to the case row, and to the units' rows."""
    add: dict[str, int] = {}
    units: list[tuple[int, dict[str, int]]] = []
    on_time = bool(data.get("on_time", True))
    if action == "submit":
        add.update(received=1, people=1)
    if action == "second":
        add["people"] = 1
    if action in RESPONSES and from_status == Case.Status.SUBMITTED:
        add.update(responded=1, responded_on_time=int(on_time))
    if action == "resolve_on_spot":
        add["on_spot"] = 1
    if action == "decline":
        add["declined"] = 1
    if action == "dispatch":
        add["dispatched"] = 1
        for unit_id in [data.get("lead"), *data.get("co", [])]:
            if unit_id:
                units.append((int(unit_id), {"dispatched": 1}))
    if action == "return":
        for unit_id in data.get("units", []):
            units.append((int(unit_id), {"returned": 1}))
    if action == "reply":
        solved = int(bool(data.get("solved")))
        add.update(replied=1, replied_on_time=int(on_time), solved=solved)
        if data.get("lead"):
            units.append((int(data["lead"]), {"replied": 1, "replied_on_time": int(on_time),
                                               "solved": solved}))  # fmt: skip
    if action in ("rate", "expire_rating"):
        rating = data.get("rating")
        counters: dict[str, str] = {
            Case.Rating.SATISFIED: "satisfied",
            Case.Rating.BASICALLY: "basically",
            Case.Rating.DISSATISFIED: "dissatisfied",
            Case.Rating.UNRATED: "unrated",
        }
        key = counters.get(str(rating or ""))
        if key:
            add[key] = 1
        if rating == Case.Rating.DISSATISFIED and data.get("solved"):
            add["solved_dissatisfied"] = 1
        if data.get("reopened"):
            add["reopened"] = 1
        if data.get("lead") and key:
            # The verdict on the lead unit's work (its figures' 解决率 and 满意率).
            verdict = {key: 1}
            if add.get("solved_dissatisfied"):
                verdict["solved_dissatisfied"] = 1
            units.append((int(data["lead"]), verdict))
    return add, units


def _upsert(table: str, key: dict[str, Any], counts: dict[str, int]) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding ``counts`` (PostgreSQL and SQLite alike)."""
    columns = [*key, *counts]
    values = [*key.values(), *counts.values()]
    marks = ", ".join(["%s"] * len(values))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "  # noqa: S608 - names are ours
        f"ON CONFLICT ({', '.join(k for k in key if k != 'congress_id')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _full(counters: list[str], counts: dict[str, int]) -> dict[str, int]:
    return {name: int(counts.get(name, 0)) for name in counters}


def county_of(region_id: int, path: str, level: int) -> int:
    """The region a case is counted under in the monthly table: itself at county level or
    above, else its ancestor at county level (a region's level is its parent's plus one)."""
    if level <= COUNTY_LEVEL:
        return region_id
    ids = [int(p) for p in path.strip("/").split("/") if p]
    index = len(ids) - 1 - (level - COUNTY_LEVEL)
    return ids[index] if 0 <= index < len(ids) else region_id


def _county(region_id: int, cache: dict[int, int] | None = None) -> int:
    if cache is not None and region_id in cache:
        return cache[region_id]
    from lianxin.regions.models import Region

    row = Region.objects.filter(pk=region_id).values_list("path", "level").first()
    county = county_of(region_id, *row) if row else region_id
    if cache is not None:
        cache[region_id] = county
    return county


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def count_event(event: CaseEvent, counties: dict[int, int] | None = None) -> None:
    """Adds one event to the figures (called in the event's transaction): one upsert into the
    daily table and one into the monthly table (issue 7), plus the units' rows.
    ``counties`` caches the county-level region of each region (for the rebuild)."""
    add, units = deltas(event.action, event.from_status, event.data or {})
    day = beijing_date(event.at)
    recorded = (event.data or {}).get("dims")
    if add and recorded:
        congress, region, station, deputy, category = recorded
        counts = _full(CASE_COUNTERS, add)
        key = {"day": day, "congress_id": congress, "region_id": region, "station_id": station,
               "deputy_id": deputy, "category_id": category}  # fmt: skip
        _upsert(CaseFigure._meta.db_table, key, counts)
        month = {"month": month_of(day), "congress_id": congress,
                 "region_id": _county(region, counties), "category_id": category}  # fmt: skip
        _upsert(CaseFigureMonth._meta.db_table, month, counts)
    for unit_id, counts in units:
        _upsert(UnitFigure._meta.db_table, {"day": day, "unit_id": unit_id},
                _full(UNIT_COUNTERS, counts))  # fmt: skip


@transaction.atomic
def rebuild() -> int:
    """Recounts the three tables from every event; returns the number of events read."""
    CaseFigure.objects.all().delete()
    CaseFigureMonth.objects.all().delete()
    UnitFigure.objects.all().delete()
    counties: dict[int, int] = {}
    n = 0
    for event in CaseEvent.objects.order_by("pk").iterator(chunk_size=2000):
        count_event(event, counties)
        n += 1
    return n


def fill_months(
    daily: Any = CaseFigure, monthly: Any = CaseFigureMonth, regions: Any = None
) -> int:
    """Refills the monthly table from the daily one (the same counts, summed by month and
    county-level region): for installations that had only the daily table, and for a quick
    rebuild when the daily table is known good. Takes the models so that a migration can pass
    its historical ones. Returns the number of monthly rows written."""
    if regions is None:
        from lianxin.regions.models import Region

        regions = Region
    counties = {
        pk: county_of(pk, path, level)
        for pk, path, level in regions.objects.values_list("pk", "path", "level").iterator()
    }
    sums = (
        daily.objects.annotate(m=TruncMonth("day"))
        .values("m", "region_id", "category_id")
        .annotate(congress=Max("congress_id"), **{c: Sum(c) for c in CASE_COUNTERS})
        .order_by()
    )
    lines: dict[tuple[Any, int, int], dict[str, int]] = {}
    for r in sums.iterator(chunk_size=5000):
        month = r["m"].date() if isinstance(r["m"], dt.datetime) else r["m"]
        key = (month, counties.get(r["region_id"], r["region_id"]), r["category_id"])
        line = lines.setdefault(
            key, {"congress_id": r["congress"], **dict.fromkeys(CASE_COUNTERS, 0)}
        )
        for c in CASE_COUNTERS:
            line[c] += int(r[c] or 0)
    monthly.objects.all().delete()
    monthly.objects.bulk_create(
        (
            monthly(month=m, region_id=region, category_id=category, **line)
            for (m, region, category), line in lines.items()
        ),
        batch_size=2000,
    )
    return len(lines)


# --- Reading ----------------------------------------------------------------------------------


def satisfaction_weights() -> tuple[Decimal, Decimal]:
    satisfied, basically = getattr(settings, "LIANXIN_SATISFACTION_WEIGHTS", (1, "0.9"))
    return Decimal(str(satisfied)), Decimal(str(basically))


@dataclass(frozen=True)
class Figures:
    """The sums of a selection of rows, and the rates computed from them."""

    totals: dict[str, int]
    open_overdue: int = 0

    def __getattr__(self, name: str) -> int:
        try:
            return self.totals[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @staticmethod
    def _rate(numerator: Decimal | int, denominator: int) -> Decimal | None:
        if not denominator:
            return None
        return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1"))

    @property
    def response_rate(self) -> Decimal | None:
        return self._rate(self.totals["responded_on_time"], self.totals["received"])

    @property
    def resolution_rate(self) -> Decimal | None:
        t = self.totals
        return self._rate(t["solved"] - t["solved_dissatisfied"], t["replied"])

    @property
    def satisfaction_rate(self) -> Decimal | None:
        t = self.totals
        w_satisfied, w_basically = satisfaction_weights()
        rated = t["satisfied"] + t["basically"] + t["dissatisfied"]
        return self._rate(w_satisfied * t["satisfied"] + w_basically * t["basically"], rated)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Replies on time among replies and open cases already past their reply deadline."""
        t = self.totals
        return self._rate(t["replied_on_time"], t["replied"] + self.open_overdue)


def case_figures(
    rows: QuerySet[CaseFigure], start: dt.date, end: dt.date, overdue: QuerySet[Case] | None = None
) -> Figures:
    """Sums of ``rows`` (already narrowed to a region, station, deputy or category) from
    ``start`` to ``end`` inclusive; ``overdue`` are the matching cases (for the on-time rate)."""
    sums = rows.filter(day__gte=start, day__lte=end).aggregate(
        **{name: Sum(name) for name in CASE_COUNTERS}
    )
    totals = {name: int(sums[name] or 0) for name in CASE_COUNTERS}
    late = 0
    if overdue is not None:
        late = open_overdue(overdue).count()
    return Figures(totals=totals, open_overdue=late)


def open_overdue(cases: QuerySet[Case], now: dt.datetime | None = None) -> QuerySet[Case]:
    """Open cases past their reply deadline: late, whether or not they are ever answered."""
    from django.utils import timezone

    return cases.filter(
        status__in=[Case.Status.DISPATCHED, Case.Status.HANDLING],
        reply_due_at__lt=now or timezone.now(),
    )


def unit_figures(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[str, int]:
    sums = UnitFigure.objects.filter(
        unit_id__in=list(unit_ids), day__gte=start, day__lte=end
    ).aggregate(**{name: Sum(name) for name in UNIT_COUNTERS})
    return {name: int(sums[name] or 0) for name in UNIT_COUNTERS}


@dataclass(frozen=True)
class UnitRates:
    """A unit's sums and its rates (CASE-10 by unit): 按时办结率 counts its open cases past the
    reply deadline as late; 解决率 and 满意率 as for cases, on its replies as lead unit."""

    totals: dict[str, int]
    open_overdue: int = 0

    def __getattr__(self, name: str) -> int:
        try:
            return self.totals[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def on_time_rate(self) -> Decimal | None:
        t = self.totals
        return Figures._rate(t["replied_on_time"], t["replied"] + self.open_overdue)

    @property
    def resolution_rate(self) -> Decimal | None:
        t = self.totals
        return Figures._rate(t["solved"] - t["solved_dissatisfied"], t["replied"])

    @property
    def satisfaction_rate(self) -> Decimal | None:
        t = self.totals
        w_satisfied, w_basically = satisfaction_weights()
        rated = t["satisfied"] + t["basically"] + t["dissatisfied"]
        return Figures._rate(w_satisfied * t["satisfied"] + w_basically * t["basically"], rated)


def rows_for_regions(path: str) -> QuerySet[CaseFigure]:
    """The rows of the cases of a region and everything under it."""
    from lianxin.regions.models import Region

    ids = Region.objects.filter(path__startswith=path).values("pk")
    return CaseFigure.objects.filter(Q(region_id__in=ids))


def rows_for_regions_by_month(path: str) -> QuerySet[CaseFigureMonth]:
    """The monthly rows of the cases of a region at county level or above and everything
    under it."""
    from lianxin.regions.models import Region

    ids = Region.objects.filter(path__startswith=path).values("pk")
    return CaseFigureMonth.objects.filter(region_id__in=ids)


def whole_months(start: dt.date, end: dt.date) -> bool:
    """From the first day of a month to the last day of a month (the page's 本月, 本季度,
    本年, or such a custom period)."""
    return start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and start <= end


def region_rows(
    path: str, level: int, by: str, start: dt.date, end: dt.date
) -> QuerySet[CaseFigure] | QuerySet[CaseFigureMonth]:
    """The rows for a region's figures over a period, broken down ``by`` region or category
    (CASE-10): from the monthly table when it holds them — whole months, and a region whose
    breakdown is at county level or above (a county's own category lines; a city's or a
    province's lines by region, which group counties) — else from the daily table. Both give
    the same sums; the monthly one reads a few rows a county and month instead of about one
    a case (issue 7)."""
    grouped_level = level + 1 if by == "region" else level
    if by in ("region", "category") and grouped_level <= COUNTY_LEVEL and whole_months(start, end):
        return rows_for_regions_by_month(path).filter(month__gte=start, month__lte=end)
    return rows_for_regions(path).filter(day__gte=start, day__lte=end)
