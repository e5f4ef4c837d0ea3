"""Reading and writing a year's arrangement the way a State Council 放假安排 notice reads.

One line per holiday, as the notice prints it::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    国庆节、中秋节：10月1日至8日放假调休，共8天。9月27日（周日）、10月10日（周六）上班。

The ordinal, the weekday notes in brackets and the words 调休/共N天 are optional; when
"共N天" is given it must match the dates. Dates without a year belong to the year entered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import groupby

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DaySpec:
    """One special day: ``kind`` is ``holiday`` (放假) or ``workday`` (调休上班)."""

    date: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class LineError:
    line: int
    text: str
    message: str

    def __str__(self) -> str:
        return _("第%(line)s行“%(text)s”：%(message)s") % {
            "line": self.line,
            "text": self.text[:40],
            "message": self.message,
        }


_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_DATE = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
_RANGE = re.compile(_DATE + r"\s*(?:至|到|—|－|-|~|～)\s*(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日")
_ONE_DATE = re.compile(_DATE)
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_CLAUSE_SPLIT = re.compile(r"[。；;，,]")


class _Bad(Exception):
    pass


def _make_date(year: int, y: str | None, m: str, d: str) -> dt.date:
    try:
        value = dt.date(int(y) if y else year, int(m), int(d))
    except ValueError as exc:
        raise _Bad(_("%(m)s月%(d)s日不是有效日期。") % {"m": m, "d": d}) from exc
    if value.year != year:
        raise _Bad(_("%(date)s不在%(year)s年内。") % {"date": value.isoformat(), "year": year})
    return value


def _parse_line(year: int, text: str) -> list[DaySpec]:
    body = _BRACKETS.sub("", _ORDINAL.sub("", text)).strip().rstrip("。；;")
    name, sep, rest = body.partition("：")
    if not sep:
        name, sep, rest = body.partition(":")
    name = name.strip()
    if not sep or not name:
        raise _Bad(_("请以节日名称加冒号开头，如“国庆节：10月1日至7日放假”。"))
    if len(name) > 32:
        raise _Bad(_("节日名称不能超过32个字。"))
    days: list[DaySpec] = []
    last_range = 0  # days of the last 放假 clause, which a following "共N天" must match
    for clause in _CLAUSE_SPLIT.split(rest):
        clause = clause.strip()
        if not clause:
            continue
        total = _TOTAL.fullmatch(clause)
        if total:
            _check_total(int(total.group(1)), last_range)
            continue
        if "放假" in clause:
            match = _RANGE.search(clause)
            if match:
                y1, m1, d1, y2, m2, d2 = match.groups()
                start = _make_date(year, y1, m1, d1)
                end = _make_date(year, y2 or y1, m2 or m1, d2)
                if end < start:
                    raise _Bad(_("放假的结束日期早于开始日期。"))
            else:
                single = _ONE_DATE.search(clause)
                if not single:
                    raise _Bad(_("没有找到放假日期，应写作“10月1日至7日放假”。"))
                start = end = _make_date(year, *single.groups())
            last_range = (end - start).days + 1
            days.extend(
                DaySpec(start + dt.timedelta(days=i), "holiday", name) for i in range(last_range)
            )
        elif "上班" in clause:
            found = _ONE_DATE.findall(clause)
            if not found:
                raise _Bad(_("没有找到上班日期，应写作“9月27日、10月10日上班”。"))
            days.extend(DaySpec(_make_date(year, *g), "workday", name) for g in found)
        else:
            raise _Bad(_("无法识别“%(clause)s”，请写明“放假”或“上班”。") % {"clause": clause})
    if not days:
        raise _Bad(_("这一行没有日期。"))
    return days


def _check_total(said: int, counted: int) -> None:
    if counted and said != counted:
        raise _Bad(
            _("写的是共%(said)s天，但放假日期共%(count)s天，请核对。")
            % {"said": said, "count": counted}
        )


def parse_notice(year: int, text: str) -> tuple[list[DaySpec], list[LineError]]:
    """The special days the text lists, and every line that could not be read."""
    days: list[DaySpec] = []
    errors: list[LineError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            days.extend(_parse_line(year, line.strip()))
        except _Bad as exc:
            errors.append(LineError(number, line.strip(), str(exc)))
    return days, errors


def _md(day: dt.date, previous: dt.date | None = None) -> str:
    if previous is not None and previous.month == day.month:
        return f"{day.day}日"
    return f"{day.month}月{day.day}日"


def render_notice(days: list[DaySpec]) -> str:
    """The arrangement as notice lines, one per holiday name, in date order (round-trips
    through ``parse_notice``)."""
    by_name: dict[str, list[DaySpec]] = {}
    for spec in sorted(days, key=lambda s: s.date):
        by_name.setdefault(spec.name or _("假日"), []).append(spec)
    lines = []
    for name, specs in by_name.items():
        clauses = []
        holidays = [s.date for s in specs if s.kind == "holiday"]
        # Consecutive dates form one range: date - index is constant within a run.
        for _key, run_iter in groupby(
            enumerate(holidays), key=lambda pair: pair[1] - dt.timedelta(days=pair[0])
        ):
            run = [d for _i, d in run_iter]
            if len(run) == 1:
                clauses.append(_("%(day)s放假") % {"day": _md(run[0])})
            else:
                clauses.append(
                    _("%(start)s至%(end)s放假，共%(n)s天")
                    % {"start": _md(run[0]), "end": _md(run[-1], run[0]), "n": len(run)}
                )
        workdays = [s.date for s in specs if s.kind == "workday"]
        if workdays:
            clauses.append("、".join(_md(d) for d in workdays) + _("上班"))
        lines.append(f"{name}：" + "；".join(clauses) + "。")
    return "\n".join(lines)
