"""Filling the holiday table from ``chinese-calendar`` for the years it knows (CASE-4).

Called by migration 0002 with the historical models, and usable later (e.g. after upgrading
the package) with the real ones. Idempotent: a year that already has a ``HolidayYear`` row
is left alone, so a year corrected by staff is never overwritten by the package.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# chinese-calendar names its holidays in English; the table keeps the official Chinese names.
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

NOTICE = "chinese-calendar {version}：国务院办公厅{year}年部分节假日安排的通知"


def package_days() -> dict[int, list[tuple[dt.date, str, str]]]:
    """(date, kind, Chinese name) per year, as the installed package knows them."""
    from chinese_calendar.constants import holidays, workdays

    by_year: dict[int, list[tuple[dt.date, str, str]]] = {}
    for kind, table in (("holiday", holidays), ("workday", workdays)):
        for day, name in table.items():
            label = HOLIDAY_NAMES.get(str(name), str(name))[:32]
            by_year.setdefault(day.year, []).append((day, kind, label))
    return by_year


def seed_from_package(year_model: Any, day_model: Any) -> list[int]:
    """Creates the years the package knows and the table lacks; returns the years created."""
    import chinese_calendar

    version = getattr(chinese_calendar, "__version__", "")
    existing = set(year_model.objects.values_list("year", flat=True))
    created: list[int] = []
    for year, days in sorted(package_days().items()):
        if year in existing:
            continue
        year_model.objects.create(
            year=year, source="package", notice=NOTICE.format(version=version, year=year)[:200]
        )
        day_model.objects.filter(date__year=year).delete()
        day_model.objects.bulk_create(
            [day_model(date=day, kind=kind, name=name) for day, kind, name in sorted(days)]
        )
        created.append(year)
    return created
