"""Every write to the holiday calendar (CASE-4). Only the system administrator
(``Perm.MANAGE_CALENDAR``) may change it; every change is audited, drops the cached year and,
after commit, announces ``on_calendar_changed(year)`` so running deadlines are recounted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, Perm
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import NotAllowed
from lianxin.holidays import hooks
from lianxin.holidays.deadlines import forget_year
from lianxin.holidays.models import CalendarDay, HolidayYear
from lianxin.holidays.notice import DaySpec
from lianxin.holidays.seed import seed_from_package

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_IMPORT_ROWS = 5000
KINDS = {kind.value for kind in CalendarDay.Kind}


def _require(actor: Actor) -> None:
    if not actor.has(Perm.MANAGE_CALENDAR):
        raise NotAllowed


def validate_days(year: int, days: Sequence[DaySpec]) -> list[str]:
    """Chinese messages for every problem in a year's special days (empty when valid)."""
    errors: list[str] = []
    if not MIN_YEAR <= year <= MAX_YEAR:
        return [_("年份应在%(min)s至%(max)s之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}]
    seen: dict[dt.date, DaySpec] = {}
    for spec in days:
        label = f"{spec.date.month}月{spec.date.day}日"
        if spec.date.year != year:
            errors.append(_("%(day)s不在%(year)s年内。") % {"day": spec.date, "year": year})
        if spec.kind not in KINDS:
            errors.append(_("%(day)s的类型无法识别。") % {"day": label})
        if len(spec.name) > 32:
            errors.append(_("%(day)s的节日名称超过32个字。") % {"day": label})
        if spec.kind == CalendarDay.Kind.WORKDAY and spec.date.weekday() < 5:
            errors.append(_("%(day)s是工作日，调休上班日应为周六或周日，请核对。") % {"day": label})
        if spec.date in seen:
            errors.append(_("%(day)s重复出现。") % {"day": label})
        seen[spec.date] = spec
    return errors


def _announce(year: int) -> None:
    forget_year(year)

    def after_commit() -> None:
        forget_year(year)
        hooks.on_calendar_changed(year)

    transaction.on_commit(after_commit)


@transaction.atomic
def calendar_year_save(
    *,
    actor: Actor,
    year: int,
    days: Sequence[DaySpec],
    notice: str = "",
    source: str = HolidayYear.Source.STAFF,
) -> HolidayYear:
    """Replaces the special days of ``year`` with ``days`` (creating the year if new)."""
    _require(actor)
    errors = validate_days(year, days)
    if errors:
        from django.core.exceptions import ValidationError

        raise ValidationError(errors)
    holiday_year = HolidayYear.objects.select_for_update().filter(year=year).first()
    before = sorted(CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name"))
    after = sorted((s.date, s.kind, s.name) for s in days)
    created = holiday_year is None
    if holiday_year is None:
        holiday_year = HolidayYear(year=year)
    holiday_year.source = source
    holiday_year.notice = notice[:200]
    holiday_year.entered_by = actor.user
    holiday_year.save()
    if before != after:
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=d, kind=kind, name=name) for d, kind, name in after]
        )
    record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=holiday_year,
        changes={
            "source": source,
            "holidays": sum(1 for s in days if s.kind == CalendarDay.Kind.HOLIDAY),
            "workdays": sum(1 for s in days if s.kind == CalendarDay.Kind.WORKDAY),
            "days_changed": before != after,
        },
    )
    if created or before != after:
        _announce(year)
    return holiday_year


def seed_package_years() -> list[int]:
    """Adds the years ``chinese-calendar`` knows and the table lacks (idempotent)."""
    created = seed_from_package(HolidayYear, CalendarDay)
    for year in created:
        _announce(year)
    return created


# --- Import from a sheet (date, kind, name) ---------------------------------------------

_KIND_WORDS = {
    "放假": CalendarDay.Kind.HOLIDAY,
    "休": CalendarDay.Kind.HOLIDAY,
    "休息": CalendarDay.Kind.HOLIDAY,
    "假": CalendarDay.Kind.HOLIDAY,
    "节假日": CalendarDay.Kind.HOLIDAY,
    "holiday": CalendarDay.Kind.HOLIDAY,
    "上班": CalendarDay.Kind.WORKDAY,
    "班": CalendarDay.Kind.WORKDAY,
    "调休上班": CalendarDay.Kind.WORKDAY,
    "补班": CalendarDay.Kind.WORKDAY,
    "workday": CalendarDay.Kind.WORKDAY,
}
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class ImportResult:
    """What an import found: the days per year, bad rows (Chinese), whether it wrote."""

    days: dict[int, list[DaySpec]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def summary(self) -> list[dict[str, Any]]:
        existing = set(HolidayYear.objects.values_list("year", flat=True))
        return [
            {
                "year": year,
                "holidays": sum(1 for s in specs if s.kind == CalendarDay.Kind.HOLIDAY),
                "workdays": sum(1 for s in specs if s.kind == CalendarDay.Kind.WORKDAY),
                "replaces": year in existing,
            }
            for year, specs in sorted(self.days.items())
        ]


def _cell_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE_TEXT.match(str(value or "").strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def read_sheet(name: str, content: bytes) -> list[list[Any]]:
    """Rows of a CSV (UTF-8 or GBK) or XLSX upload; raises ValueError with a Chinese message."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ValueError(_("无法读取该Excel文件，请另存为 .xlsx 后重试。")) from exc
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes nearly anything
            raise ValueError(_("无法识别文件编码，请保存为UTF-8编码的CSV。"))
        return list(csv.reader(io.StringIO(text)))
    raise ValueError(_("只支持 .csv 或 .xlsx 文件。"))


def check_rows(rows: Iterable[Sequence[Any]]) -> ImportResult:
    """Reads (date, kind, name) rows; a first row that is not a date is taken as the header."""
    result = ImportResult()
    seen: dict[dt.date, int] = {}
    for number, row in enumerate(rows, start=1):
        cells = [*row, None, None, None]
        date_cell, kind_cell, name_cell = cells[0], cells[1], cells[2]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        day = _cell_date(date_cell)
        if day is None and number == 1:
            continue  # header
        if number > MAX_IMPORT_ROWS:
            result.errors.append(_("行数超过%(n)s行，请分批导入。") % {"n": MAX_IMPORT_ROWS})
            break
        problems: list[str] = []
        if day is None:
            problems.append(_("日期“%(v)s”无法识别，应写作2027-10-01。") % {"v": date_cell or ""})
        kind = _KIND_WORDS.get(str(kind_cell or "").strip().lower())
        if kind is None:
            problems.append(_("类型“%(v)s”无法识别，应为“放假”或“上班”。") % {"v": kind_cell or ""})
        name = str(name_cell or "").strip()
        if len(name) > 32:
            problems.append(_("节日名称不能超过32个字。"))
        if day is not None and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            problems.append(_("调休上班日应为周六或周日。"))
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
            problems.append(_("年份超出范围。"))
        if day is not None and day in seen:
            problems.append(_("与第%(n)s行日期重复。") % {"n": seen[day]})
        if problems:
            result.errors.append(
                _("第%(n)s行：%(p)s") % {"n": number, "p": "".join(str(p) for p in problems)}
            )
            continue
        assert day is not None and kind is not None
        seen[day] = number
        result.days.setdefault(day.year, []).append(DaySpec(day, kind, name))
    if not result.days and not result.errors:
        result.errors.append(_("文件中没有数据行。"))
    return result


def calendar_import(
    *, actor: Actor, file_name: str, content: bytes, dry_run: bool = True
) -> ImportResult:
    """Checks a sheet and, unless ``dry_run`` or any row is bad, replaces each year it lists.

    A dry run, or a sheet with any bad row, writes nothing.
    """
    _require(actor)
    try:
        rows = read_sheet(file_name, content)
    except ValueError as exc:
        return ImportResult(errors=[str(exc)])
    result = check_rows(rows)
    if dry_run or result.errors:
        return result
    with transaction.atomic():
        for year, specs in sorted(result.days.items()):
            calendar_year_save(
                actor=actor,
                year=year,
                days=specs,
                notice=_("从表格导入：%(name)s") % {"name": file_name},
                source=HolidayYear.Source.IMPORT,
            )
    result.written = True
    return result
