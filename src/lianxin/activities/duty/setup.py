"""Setting up a station's duty (DUTY-1, DUTY-2): patterns with their requirements by role, the
pool of persons who may serve, and leave.

Every write takes an ``Actor``: staff need ``Perm.MANAGE_DUTY`` and the station within their
reach (a station's staff never touch another station's pool); a deputy enters and cancels only
his own leave. Bad input raises ``ValidationError`` with Chinese messages and changes nothing.
Patterns and pool entries are audited by the automatic trail (activities/apps.py); requirements
and leave by an entry written here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm, can_edit, in_reach, scope
from lianxin.activities.duty import patterns
from lianxin.activities.models import (
    Assignment,
    DutyLeave,
    DutyPattern,
    PoolMember,
    Requirement,
    Roster,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.context import acting_as
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import NotAllowed
from lianxin.directory.models import (
    Delegation,
    HandlingUnit,
    Mandate,
    Person,
    Station,
    StationMembership,
    UnitContact,
)

WEEKDAYS = [
    (0, gettext_lazy("周一")),
    (1, gettext_lazy("周二")),
    (2, gettext_lazy("周三")),
    (3, gettext_lazy("周四")),
    (4, gettext_lazy("周五")),
    (5, gettext_lazy("周六")),
    (6, gettext_lazy("周日")),
]
MAX_PER_SHIFT = 50
MAX_LEAVE_DAYS = 366
PREVIEW_COUNT = 10


def weekday_label(day: int) -> str:
    return str(dict(WEEKDAYS).get(day, ""))


def weekdays_text(days: Iterable[int]) -> str:
    return _("、").join(weekday_label(d) for d in sorted(days))


# --- Reading what staff type -------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def parse_month_days(text: str) -> list[int]:
    """``"6,16,26"`` or the market-day words ``逢六`` (6, 16, 26), ``逢一六`` (1, 6, 11, 16, 21,
    26), ``逢十`` (10, 20, 30) into sorted days of the month (DUTY-1)."""
    text = (text or "").strip()
    if not text:
        return []
    if text.startswith("逢"):
        days: set[int] = set()
        for ch in _SEPARATORS.sub("", text[1:]):
            if ch in ("十", "0") or ch == "〇":
                days |= {10, 20, 30}
            elif ch in _CN_DIGITS or ch.isdigit():
                n = _CN_DIGITS.get(ch) or int(ch)
                days |= {n, n + 10, n + 20}
            else:
                raise ValidationError(
                    _("无法识别“%(text)s”。集日可写成“逢六”“逢一六”，或直接写日子，如 6,16,26。")
                    % {"text": text}
                )
        if not days:
            raise ValidationError(_("请写出逢几，如“逢六”“逢一六”。"))
        return sorted(days)
    values: list[int] = []
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        if not part.isdigit():
            raise ValidationError(
                _(
                    "“%(part)s”不是日子。请用数字填写，用逗号分隔，如 6,16,26；也可以写“逢六”“逢一六”。"
                )
                % {"part": part}
            )
        values.append(int(part))
    if len(set(values)) != len(values):
        raise ValidationError(_("日子有重复，请检查。"))
    return sorted(values)


def month_days_text(days: Iterable[int]) -> str:
    return ",".join(str(d) for d in days)


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def parse_dates(text: str) -> list[str]:
    """Named dates, one a line or separated by commas, as sorted ISO strings; 2026-12-02,
    2026/12/2 and 2026年12月2日 are all understood."""
    found: set[str] = set()
    for part in re.split(r"[\s,，、;；]+", (text or "").strip()):
        if not part:
            continue
        day = None
        for form in _DATE_FORMS:
            match = form.match(part)
            if match:
                try:
                    day = dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    day = None
                break
        if day is None:
            raise ValidationError(
                _("无法识别的日期“%(part)s”，请按 2026-12-02 的格式填写。") % {"part": part}
            )
        found.add(day.isoformat())
    return sorted(found)


# --- Which dates a pattern gives ---------------------------------------------------------------


def upcoming_dates(
    pattern: DutyPattern, *, start: dt.date | None = None, count: int = PREVIEW_COUNT
) -> list[dt.date]:
    """The next ``count`` duty dates of ``pattern`` within a year from ``start`` (today)."""
    start = start or timezone.localdate()
    spec = patterns.PatternSpec.of(pattern)
    return patterns.expand(spec, start, start + dt.timedelta(days=366))[:count]


_LUNAR_NAMES = [
    "初一",
    "初二",
    "初三",
    "初四",
    "初五",
    "初六",
    "初七",
    "初八",
    "初九",
    "初十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "廿一",
    "廿二",
    "廿三",
    "廿四",
    "廿五",
    "廿六",
    "廿七",
    "廿八",
    "廿九",
    "三十",
]


def lunar_day_name(day: int) -> str:
    return _LUNAR_NAMES[day - 1] if 1 <= day <= 30 else str(day)


def describe(pattern: DutyPattern) -> str:
    """值班日 in words: 每周三; 每个工作日; 每月6日、16日、26日; 农历每月初三、十三、廿三."""
    kind = pattern.kind
    if kind == DutyPattern.Kind.WEEKLY:
        text = _("每%(days)s") % {"days": weekdays_text(pattern.weekdays or [])}
    elif kind == DutyPattern.Kind.WORKDAYS:
        return _("每个工作日（含调休上班日）")
    elif kind == DutyPattern.Kind.SOLAR:
        days = _("、").join(_("%(d)s日") % {"d": d} for d in pattern.month_days or [])
        text = _("每月%(days)s") % {"days": days}
    elif kind == DutyPattern.Kind.LUNAR:
        days = _("、").join(lunar_day_name(d) for d in pattern.month_days or [])
        text = _("农历每月%(days)s") % {"days": days}
    else:
        return _("指定日期 %(n)s 天") % {"n": len(pattern.dates or [])}
    if pattern.skip_holidays:
        text += _("，节假日不值班")
    return text


def needs_text(needs: dict[str, int]) -> str:
    labels = dict(DutyRole.choices)
    return _("，").join(
        _("%(role)s %(n)s 人") % {"role": labels[role], "n": n}
        for role, n in sorted(needs.items(), key=lambda item: list(labels).index(item[0]))
        if n
    )


# --- Checks shared by every write --------------------------------------------------------------


def _require_station(actor: Actor, station: Station | None) -> Station:
    """Staff who manage duty, at a station within their reach."""
    if station is None or not actor.has(Perm.MANAGE_DUTY) or not in_reach(actor, station):
        raise NotAllowed
    return station


def managed_stations(actor: Actor) -> QuerySet[Station]:
    """The active stations whose duty ``actor`` sets up."""
    if not actor.has(Perm.MANAGE_DUTY):
        return Station.objects.none()
    return scope(actor, Station.objects.filter(is_active=True))


def _serving(person_ids: Iterable[int]) -> QuerySet[Mandate]:
    return Mandate.objects.filter(
        person_id__in=list(person_ids), status=Mandate.Status.SERVING
    ).select_related("delegation", "term")


def _delegations_of(person_ids: Iterable[int], station: Station) -> dict[int, int | None]:
    """Each serving deputy's delegation (DUTY-2 rotates delegations), preferring his mandate
    in the station's own congress."""
    mandates = sorted(
        _serving(person_ids),
        key=lambda m: (
            m.term.congress_id != station.congress_id,
            m.delegation_id is None,
            -m.started_on.toordinal(),
        ),
    )
    chosen: dict[int, int | None] = {}
    for mandate in mandates:
        chosen.setdefault(mandate.person_id, mandate.delegation_id)
    return chosen


# --- Patterns (DUTY-1) -------------------------------------------------------------------------


def _normalise(pattern: DutyPattern) -> None:
    """Keeps only what the pattern's kind uses, sorted."""
    kind = pattern.kind
    pattern.weekdays = sorted(set(pattern.weekdays or [])) if kind == "weekly" else []
    pattern.month_days = sorted(set(pattern.month_days or [])) if kind in ("solar", "lunar") else []
    pattern.dates = sorted({str(d) for d in pattern.dates or []}) if kind == "dates" else []
    pattern.name = (pattern.name or "").strip()


def _check_requirements(requirements: dict[str, int | None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for role, count in requirements.items():
        if role not in DutyRole.values:
            raise ValidationError({"requirements": _("岗位不正确。")})
        value = int(count or 0)
        if not 0 <= value <= MAX_PER_SHIFT:
            raise ValidationError(
                {"requirements": _("每班人数应在 0 到 %(max)s 之间。") % {"max": MAX_PER_SHIFT}}
            )
        counts[role] = value
    if not any(counts.values()):
        raise ValidationError({"requirements": _("请至少为一种岗位填写每班人数。")})
    return counts


@transaction.atomic
def pattern_save(
    *, actor: Actor, pattern: DutyPattern, requirements: dict[str, int | None]
) -> DutyPattern:
    """Creates or edits a station's duty pattern with its requirements by role (DUTY-1): e.g.
    every Wednesday 2 deputies; every working day 2 deputies and 1 window-unit head."""
    if pattern.pk is not None:
        stored = DutyPattern.objects.select_for_update().filter(pk=pattern.pk).first()
        if stored is None or not can_edit(actor, stored):
            raise NotAllowed
        if stored.station_id != pattern.station_id:
            raise ValidationError({"station": _("值班规则建立后不能改到其他联络站。")})
    _require_station(actor, pattern.station if pattern.station_id else None)
    counts = _check_requirements(requirements)
    _normalise(pattern)
    errors: dict[str, Any] = {}
    duplicate = DutyPattern.objects.filter(station_id=pattern.station_id, name=pattern.name)
    if pattern.pk is not None:
        duplicate = duplicate.exclude(pk=pattern.pk)
    if pattern.name and duplicate.exists():
        errors["name"] = _("本站已有名为“%(name)s”的值班规则。") % {"name": pattern.name}
    try:
        pattern.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        before = pattern.needs() if pattern.pk is not None else {}
        pattern.save()
        for role, count in counts.items():
            if count:
                Requirement.objects.update_or_create(
                    pattern=pattern, role=role, defaults={"count": count}
                )
            else:
                Requirement.objects.filter(pattern=pattern, role=role).delete()
        after = pattern.needs()
        if after != before:
            record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=pattern,
                changes={"requirements": [before or None, after]},
                note=str(_("值班人数要求")),
            )
    return pattern


@transaction.atomic
def pattern_set_active(*, actor: Actor, pattern: DutyPattern, active: bool) -> DutyPattern:
    """停用 or 启用 a pattern: a stopped pattern makes no new rosters; rosters already made
    keep their shifts."""
    locked = DutyPattern.objects.select_for_update().get(pk=pattern.pk)
    if not can_edit(actor, locked):
        raise NotAllowed
    _require_station(actor, locked.station)
    if locked.is_active != active:
        locked.is_active = active
        with acting_as(actor):
            locked.save(update_fields=["is_active", "updated_at"])
    return locked


def future_rosters(pattern: DutyPattern) -> QuerySet[Roster]:
    return pattern.rosters.filter(ends_on__gte=timezone.localdate()).order_by("starts_on")


# --- The pool (DUTY-2) -------------------------------------------------------------------------


@dataclass
class Added:
    """What adding many persons to a pool did."""

    added: int = 0
    reactivated: int = 0
    present: int = 0
    skipped: int = 0

    def message(self) -> str:
        text = _("新加入 %(a)s 人，恢复 %(r)s 人，已在库中 %(p)s 人") % {
            "a": self.added,
            "r": self.reactivated,
            "p": self.present,
        }
        if self.skipped:
            text += _("，未加入 %(s)s 人（不是在任代表）") % {"s": self.skipped}
        return text + _("。")


def _check_weekdays(days: Iterable[Any]) -> list[int]:
    values = sorted({int(d) for d in days})
    if any(d < 0 or d > 6 for d in values):
        raise ValidationError({"unavailable_weekdays": _("星期取值不正确。")})
    return values


def _check_max(value: Any) -> int | None:
    if value in (None, ""):
        return None
    number = int(value)
    if not 1 <= number <= 31:
        raise ValidationError({"max_per_month": _("每月最多值班次数应在 1 到 31 之间，或留空。")})
    return number


def _put(
    station: Station,
    person_id: int,
    role: str,
    *,
    delegation_id: int | None = None,
    unit_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """Adds one entry, or brings back a stopped one: "added", "reactivated" or "present"."""
    existing = (
        PoolMember.objects.select_for_update()
        .filter(station=station, person_id=person_id, role=role)
        .first()
    )
    if existing is not None and existing.is_active:
        return "present"
    member = existing or PoolMember(station=station, person_id=person_id, role=role)
    member.is_active = True
    if delegation_id is not None or member.pk is None:
        member.delegation_id = delegation_id
    if unit_id is not None or member.pk is None:
        member.unit_id = unit_id
    for key, value in (extra or {}).items():
        setattr(member, key, value)
    member.full_clean(validate_constraints=False)
    member.save()
    return "reactivated" if existing is not None else "added"


def _role_label(role: str) -> str:
    return str(dict(DutyRole.choices).get(role, role))


@transaction.atomic
def pool_add(
    *,
    actor: Actor,
    station: Station,
    person: Person,
    role: str,
    delegation: Delegation | None = None,
    unit: HandlingUnit | None = None,
    unavailable_weekdays: Iterable[Any] = (),
    max_per_month: Any = None,
    note: str = "",
) -> PoolMember:
    """Adds one person to a station's duty pool (DUTY-2): a serving deputy, with his delegation
    for rotation (his mandate's when not given), or a window unit's head with his unit."""
    _require_station(actor, station)
    if role not in DutyRole.values:
        raise ValidationError({"role": _("请选择岗位。")})
    errors: dict[str, Any] = {}
    contact_of_unit = (
        unit is not None and UnitContact.objects.filter(unit=unit, person=person).exists()
    )
    if not in_reach(actor, person) and not contact_of_unit:
        errors["person"] = _("只能添加您管辖范围内的人员。")
    if role == DutyRole.DEPUTY:
        if not _serving([person.pk]).exists():
            errors["person"] = _(
                "%(name)s 不是在任代表，不能按“代表”岗位值班；窗口单位负责人请选择相应岗位。"
            ) % {"name": person.name}
        if delegation is None:
            delegation_id = _delegations_of([person.pk], station).get(person.pk)
        elif not in_reach(actor, delegation):
            errors["delegation"] = _("只能选择您管辖范围内的代表团。")
            delegation_id = None
        else:
            delegation_id = delegation.pk
        unit_id = None
    else:
        delegation_id = None
        if unit is None:
            errors["unit"] = _("窗口单位负责人须填写所在单位。")
        elif not in_reach(actor, unit):
            errors["unit"] = _("只能选择您管辖范围内的单位。")
        unit_id = unit.pk if unit is not None else None
    try:
        extra = {
            "unavailable_weekdays": _check_weekdays(unavailable_weekdays),
            "max_per_month": _check_max(max_per_month),
            "note": (note or "").strip()[:200],
        }
    except ValidationError as exc:
        errors.update(exc.message_dict)
        extra = {}
    existing = PoolMember.objects.filter(
        station=station, person=person, role=role, is_active=True
    ).first()
    if existing is not None:
        errors["person"] = _("%(name)s 已在本站值班人员库中（%(role)s）。") % {
            "name": person.name,
            "role": _role_label(role),
        }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        _put(station, person.pk, role, delegation_id=delegation_id, unit_id=unit_id, extra=extra)
    return PoolMember.objects.get(station=station, person=person, role=role)


def _open_today() -> Q:
    return Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())


def sitting_deputies(station: Station) -> QuerySet[Person]:
    """The serving deputies sitting in the station or in a station under it (ORG-7)."""
    sitting = StationMembership.objects.filter(
        _open_today(), station__path__startswith=station.path
    ).values("person_id")
    serving = Mandate.objects.filter(status=Mandate.Status.SERVING).values("person_id")
    return Person.objects.filter(pk__in=sitting).filter(pk__in=serving)


def _add_deputies(actor: Actor, station: Station, person_ids: list[int]) -> Added:
    done = Added()
    delegations = _delegations_of(person_ids, station)
    with acting_as(actor):
        for person_id in person_ids:
            if person_id not in delegations:
                done.skipped += 1
                continue
            outcome = _put(
                station, person_id, DutyRole.DEPUTY, delegation_id=delegations[person_id]
            )
            setattr(done, outcome, getattr(done, outcome) + 1)
    return done


@transaction.atomic
def pool_add_station_deputies(*, actor: Actor, station: Station) -> Added:
    """添加本站进站代表: every serving deputy sitting in the station (or a contact room under
    it) joins its pool as a deputy, with his delegation."""
    _require_station(actor, station)
    ids = list(sitting_deputies(station).order_by("name", "pk").values_list("pk", flat=True))
    return _add_deputies(actor, station, ids)


@transaction.atomic
def pool_add_delegation(*, actor: Actor, station: Station, delegation: Delegation) -> Added:
    """按代表团添加: every serving deputy of a delegation (a supervision station's roster draws
    on all of a county's delegations, DUTY-2)."""
    _require_station(actor, station)
    if not in_reach(actor, delegation):
        raise ValidationError({"delegation": _("只能选择您管辖范围内的代表团。")})
    ids = list(
        Mandate.objects.filter(delegation=delegation, status=Mandate.Status.SERVING)
        .order_by("person__name", "person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    if not ids:
        raise ValidationError({"delegation": _("该代表团没有在任代表。")})
    return _add_deputies(actor, station, ids)


@transaction.atomic
def pool_add_unit_contacts(
    *, actor: Actor, station: Station, unit: HandlingUnit, primary_only: bool = True
) -> Added:
    """添加窗口单位负责人: a window unit's head (its primary contact, or all its contacts) joins
    the pool as a unit head; his attendance counts for the unit (DUTY-3)."""
    _require_station(actor, station)
    if not in_reach(actor, unit):
        raise ValidationError({"unit": _("只能选择您管辖范围内的单位。")})
    contacts = UnitContact.objects.filter(unit=unit).order_by("-is_primary", "pk")
    if primary_only:
        contacts = contacts.filter(is_primary=True)
    ids = list(contacts.values_list("person_id", flat=True))
    if not ids:
        raise ValidationError(
            {
                "unit": _("该单位还没有%(which)s，请先在承办单位中登记。")
                % {"which": _("主要联系人") if primary_only else _("联系人")}
            }
        )
    done = Added()
    with acting_as(actor):
        for person_id in ids:
            outcome = _put(station, person_id, DutyRole.UNIT_HEAD, unit_id=unit.pk)
            setattr(done, outcome, getattr(done, outcome) + 1)
    return done


POOL_EDITABLE = ("delegation", "unit", "unavailable_weekdays", "max_per_month", "note", "is_active")


@transaction.atomic
def pool_member_update(*, actor: Actor, member: PoolMember, **changes: Any) -> PoolMember:
    """Edits one pool entry: the weekdays he can never serve, his monthly maximum, his
    delegation or unit, a note; ``is_active=False`` takes him out of future solving."""
    locked = PoolMember.objects.select_for_update().get(pk=member.pk)
    if not can_edit(actor, locked):
        raise NotAllowed
    _require_station(actor, locked.station)
    unknown = set(changes) - set(POOL_EDITABLE)
    if unknown:
        raise ValidationError(_("不能修改：%(f)s") % {"f": ", ".join(sorted(unknown))})
    errors: dict[str, Any] = {}
    if "unavailable_weekdays" in changes:
        try:
            changes["unavailable_weekdays"] = _check_weekdays(changes["unavailable_weekdays"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "max_per_month" in changes:
        try:
            changes["max_per_month"] = _check_max(changes["max_per_month"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    delegation = changes.get("delegation")
    if (
        delegation is not None
        and delegation.pk != locked.delegation_id
        and not in_reach(actor, delegation)
    ):
        errors["delegation"] = _("只能选择您管辖范围内的代表团。")
    unit = changes.get("unit")
    if unit is not None and unit.pk != locked.unit_id and not in_reach(actor, unit):
        errors["unit"] = _("只能选择您管辖范围内的单位。")
    if errors:
        raise ValidationError(errors)
    if locked.role == DutyRole.DEPUTY:
        changes.pop("unit", None)
    else:
        changes.pop("delegation", None)
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()[:200]
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean(validate_constraints=False)
    with acting_as(actor):
        locked.save()
    return locked


@transaction.atomic
def pool_set_active(*, actor: Actor, member: PoolMember, active: bool) -> PoolMember:
    return pool_member_update(actor=actor, member=member, is_active=active)


def upcoming_assignments(member: PoolMember) -> QuerySet[Assignment]:
    """His scheduled shifts at this station from today (published or not)."""
    return Assignment.objects.filter(
        person_id=member.person_id,
        role=member.role,
        shift__station_id=member.station_id,
        shift__date__gte=timezone.localdate(),
        status=Assignment.Status.SCHEDULED,
    ).select_related("shift")


# --- Leave (DUTY-2) ----------------------------------------------------------------------------


def overlaps(
    person_id: int, starts_on: dt.date, ends_on: dt.date, station_id: int | None
) -> QuerySet[DutyLeave]:
    """Leave of the person overlapping the period at the same station (or everywhere)."""
    found = DutyLeave.objects.filter(
        person_id=person_id, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if station_id is not None:
        found = found.filter(Q(station_id=station_id) | Q(station__isnull=True))
    return found


def shifts_during(leave: DutyLeave) -> QuerySet[Assignment]:
    """His published scheduled shifts the leave falls on: they need a swap or a new person."""
    found = Assignment.objects.filter(
        person_id=leave.person_id,
        status=Assignment.Status.SCHEDULED,
        shift__roster__status=Roster.Status.PUBLISHED,
        shift__date__gte=max(leave.starts_on, timezone.localdate()),
        shift__date__lte=leave.ends_on,
    ).select_related("shift__station")
    if leave.station_id is not None:
        found = found.filter(shift__station_id=leave.station_id)
    return found.order_by("shift__date", "shift__starts_at")


def is_deputy_self(actor: Actor, person: Person) -> bool:
    return actor.role == Role.DEPUTY and actor.person_id == person.pk


def my_pool_stations(person_id: int | None) -> QuerySet[Station]:
    if person_id is None:
        return Station.objects.none()
    ids = PoolMember.objects.filter(person_id=person_id, is_active=True).values("station_id")
    return Station.objects.filter(pk__in=ids).order_by("path")


@transaction.atomic
def leave_add(
    *,
    actor: Actor,
    person: Person,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    station: Station | None = None,
    reason: str = "",
) -> DutyLeave:
    """请假: staff enter leave at their station for a person of its pool; a deputy enters his
    own, at every station (``station`` None) or one of his. The solver keeps him off those days;
    published shifts already on them are listed by ``shifts_during`` for a swap."""
    errors: dict[str, Any] = {}
    today = timezone.localdate()
    if is_deputy_self(actor, person):
        if station is not None and not my_pool_stations(person.pk).filter(pk=station.pk).exists():
            raise NotAllowed
        if starts_on is not None and starts_on < today:
            errors["starts_on"] = _("开始日期不能早于今天；过去的缺岗请联系站点说明。")
    else:
        _require_station(actor, station)
        if not PoolMember.objects.filter(station=station, person=person).exists():
            errors["person"] = _("%(name)s 不在本站值班人员库中。") % {"name": person.name}
    if starts_on is None:
        errors["starts_on"] = _("请填写开始日期。")
    if ends_on is None:
        errors["ends_on"] = _("请填写结束日期。")
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = _("结束日期不能早于开始日期。")
        elif (ends_on - starts_on).days + 1 > MAX_LEAVE_DAYS:
            errors["ends_on"] = _("一次请假最长一年。")
        else:
            clash = overlaps(person.pk, starts_on, ends_on, station.pk if station else None)
            first = clash.order_by("starts_on").first()
            if first is not None:
                errors["starts_on"] = _("与已登记的请假（%(a)s 至 %(b)s）重叠。") % {
                    "a": first.starts_on.isoformat(),
                    "b": first.ends_on.isoformat(),
                }
    reason = (reason or "").strip()
    if len(reason) > 200:
        errors["reason"] = _("事由不能超过200字。")
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and ends_on is not None
    leave = DutyLeave.objects.create(
        person=person,
        station=station,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=actor.user if actor.is_authenticated else None,
    )
    record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=leave,
        changes={
            "person": [None, person.pk],
            "station": [None, station.pk if station else None],
            "starts_on": [None, starts_on.isoformat()],
            "ends_on": [None, ends_on.isoformat()],
        },
    )
    return leave


def may_cancel_leave(actor: Actor, leave: DutyLeave) -> bool:
    if leave.ends_on < timezone.localdate():
        return False
    if actor.role == Role.DEPUTY:
        return actor.person_id == leave.person_id
    return (
        actor.has(Perm.MANAGE_DUTY)
        and leave.station_id is not None
        and can_edit(actor, leave)
        and in_reach(actor, leave.station)  # type: ignore[arg-type]
    )


@transaction.atomic
def leave_cancel(*, actor: Actor, leave: DutyLeave) -> DutyLeave | None:
    """撤销请假: a leave not begun is removed; one under way ends yesterday (the days taken
    stay on record). Staff cancel the leave of their station; a deputy his own."""
    locked = DutyLeave.objects.select_for_update().filter(pk=leave.pk).first()
    if locked is None or not may_cancel_leave(actor, locked):
        raise NotAllowed
    today = timezone.localdate()
    if locked.starts_on >= today:
        record(actor=actor, action=AuditEntry.Action.DELETE, obj=locked, note=str(_("撤销请假")))
        locked.delete()
        return None
    before = locked.ends_on
    locked.ends_on = today - dt.timedelta(days=1)
    locked.save(update_fields=["ends_on", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=locked,
        changes={"ends_on": [before.isoformat(), locked.ends_on.isoformat()]},
        note=str(_("提前销假")),
    )
    return locked
