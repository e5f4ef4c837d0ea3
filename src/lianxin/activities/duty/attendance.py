"""Attendance on duty (DUTY-3): staff confirmation, leave, 空岗, absences and the window
units' attendance report.

- Staff confirm a person who has no phone (method "staff", the confirming account kept) or
  mark a post excused with a note; both through the services below, audited.
- The 空岗 sweep: a shift of a published roster whose posts are not all checked in
  LIANXIN_DUTY_EMPTY_AFTER_MINUTES (default 30) after its start is flagged the same day
  (``Shift.empty_flagged_at``, set once) and the station's staff and the office are told.
- The absence sweep: once a shift's day is over, a post still "scheduled" becomes "absent";
  a person absent LIANXIN_DUTY_ABSENCE_ESCALATE times (default 2) within
  LIANXIN_DUTY_ABSENCE_WINDOW_DAYS (default 90) is reported to the office once for that
  streak (SPEC DUTY-3: 约谈, report).
- Window-unit heads' attendance per unit and month, for the units' evaluation.

Both sweeps are idempotent: every change is a compare-and-swap and every notice carries a
dedupe key.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role, RoleAssignment
from lianxin.accounts.permissions import Actor, Perm, can_edit, scope
from lianxin.activities.duty.checkin import closes_at, opens_at
from lianxin.activities.models import Assignment, Roster, Shift
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.common.sweeps import sweep
from lianxin.directory.models import Station
from lianxin.holidays.deadlines import BEIJING, beijing_date
from lianxin.notifications.kinds import register_kind
from lianxin.notifications.models import Notification
from lianxin.notifications.services import notify

EMPTY_KIND = "duty.empty_post"
ABSENCE_KIND = "duty.absences"
register_kind(EMPTY_KIND, gettext_lazy("值班空岗提醒"))
register_kind(ABSENCE_KIND, gettext_lazy("多次值班缺岗提醒"))

PUBLISHED = Q(shift__roster__status=Roster.Status.PUBLISHED)


# --- Settings -------------------------------------------------------------------------------


def empty_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "LIANXIN_DUTY_EMPTY_AFTER_MINUTES", 30)))


def late_after() -> dt.timedelta:
    """Checked in later than this after the start is present but not on time (default 15)."""
    return dt.timedelta(minutes=int(getattr(settings, "LIANXIN_DUTY_LATE_MINUTES", 15)))


def absence_threshold() -> int:
    return max(1, int(getattr(settings, "LIANXIN_DUTY_ABSENCE_ESCALATE", 2)))


def absence_window() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "LIANXIN_DUTY_ABSENCE_WINDOW_DAYS", 90)))


def starts(shift: Shift) -> dt.datetime:
    return dt.datetime.combine(shift.date, shift.starts_at, tzinfo=BEIJING)


# --- Staff: confirm and excuse ------------------------------------------------------------------


def _locked(actor: Actor, assignment: Assignment) -> Assignment:
    if not actor.has(Perm.MANAGE_DUTY) or not can_edit(actor, assignment):
        raise NotAllowed
    locked = (
        Assignment.objects.select_for_update()
        .select_related("shift", "shift__roster", "person")
        .get(pk=assignment.pk)
    )
    if locked.shift.roster.status != Roster.Status.PUBLISHED:
        raise DomainError(_("排班表尚未发布，不能登记到岗情况。"))
    return locked


@transaction.atomic
def confirm_present(
    *,
    actor: Actor,
    assignment: Assignment,
    arrived_at: dt.time | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """Staff confirm that a person is (or was) on duty: for a deputy without a phone, or a
    scan that failed. ``arrived_at`` is the time he arrived; without it, now (today only)."""
    now = now or timezone.now()
    locked = _locked(actor, assignment)
    shift = locked.shift
    today = beijing_date(now)
    if shift.date > today:
        raise DomainError(_("还未到值班日期，不能确认到岗。"))
    if locked.status == Assignment.Status.PRESENT:
        raise Conflict(_("%(name)s 已签到，无需确认。") % {"name": locked.person.name})
    if arrived_at is not None:
        moment = dt.datetime.combine(shift.date, arrived_at, tzinfo=BEIJING)
        if moment > now:
            raise DomainError(_("到岗时间不能晚于现在。"))
        if not opens_at(shift) <= moment <= closes_at(shift):
            raise DomainError(
                _("到岗时间应在 %(start)s 至 %(end)s 之间。")
                % {
                    "start": timezone.localtime(opens_at(shift)).strftime("%H:%M"),
                    "end": timezone.localtime(closes_at(shift)).strftime("%H:%M"),
                }
            )
    elif shift.date < today:
        raise DomainError(_("补登往日的到岗，请填写到岗时间。"))
    else:
        moment = now
    old = locked.status
    locked.status = Assignment.Status.PRESENT
    locked.checked_in_at = moment
    locked.method = Assignment.Method.STAFF
    locked.confirmed_by = actor.user
    locked.save(update_fields=["status", "checked_in_at", "method", "confirmed_by", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=locked,
        changes={"status": [old, "present"], "method": "staff"},
        note=_("工作人员确认到岗"),
    )
    return locked


@transaction.atomic
def mark_excused(*, actor: Actor, assignment: Assignment, note: str) -> Assignment:
    """Staff record that a person was excused from a post (leave after the roster was made,
    illness), with why; an excused post is not an absence."""
    text = " ".join((note or "").split())[:200]
    if not text:
        raise DomainError(_("请填写请假说明。"))
    locked = _locked(actor, assignment)
    if locked.status == Assignment.Status.PRESENT:
        raise DomainError(_("%(name)s 已到岗，不能登记为请假。") % {"name": locked.person.name})
    if locked.status == Assignment.Status.EXCUSED:
        raise Conflict(_("%(name)s 已登记请假。") % {"name": locked.person.name})
    old = locked.status
    locked.status = Assignment.Status.EXCUSED
    locked.absence_note = text
    locked.save(update_fields=["status", "absence_note", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=locked,
        changes={"status": [old, "excused"], "note": text},
        note=_("登记值班请假"),
    )
    return locked


# --- Who is told ------------------------------------------------------------------------------


def _users(q: Q) -> QuerySet[Any]:
    ids = RoleAssignment.objects.filter(q, is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def station_staff(station: Station) -> QuerySet[Any]:
    """The staff of the station and of the stations above it."""
    return _users(Q(role=Role.STATION, station_id__in=_ids(station.path)))


def office_of(station: Station) -> QuerySet[Any]:
    """The office of the station's congress or, without one (or without an office account),
    the nearest office above the station's region."""
    regions = [station.congress.region_id] if station.congress_id else []  # type: ignore[union-attr]
    regions += list(reversed(_ids(station.region.path)))
    for region_id in regions:
        users = _users(Q(role=Role.OFFICE, region_id=region_id))
        if users.exists():
            return users
    return get_user_model().objects.none()


# --- 空岗 ---------------------------------------------------------------------------------------


def missing_posts(shift: Shift) -> list[Assignment]:
    """The posts of a shift nobody has checked in to (excused ones included: the post is
    empty all the same)."""
    return [a for a in shift.assignments.all() if a.status != Assignment.Status.PRESENT]


def uncovered(shift: Shift) -> int:
    """Posts the shift needs that nobody was assigned to."""
    needed = sum(int(n) for n in (shift.needs or {}).values())
    return max(0, needed - len(shift.assignments.all()))


def is_empty(shift: Shift) -> bool:
    return bool(missing_posts(shift)) or uncovered(shift) > 0


def today_url(station: Station, day: dt.date) -> str:
    return f"{reverse('duty:station_today', args=[station.pk])}?date={day.isoformat()}"


@sweep("duty.empty_posts")
def flag_empty_posts(now: dt.datetime | None = None) -> int:
    """Flags today's shifts with an empty post N minutes after their start, once each, and
    tells the station's staff and the office. Returns how many shifts it flagged."""
    now = now or timezone.now()
    today = beijing_date(now)
    shifts = (
        Shift.objects.filter(
            date=today, empty_flagged_at__isnull=True, roster__status=Roster.Status.PUBLISHED
        )
        .select_related("station__congress", "station__region")
        .prefetch_related("assignments__person")
    )
    flagged = 0
    for shift in shifts:
        if now < starts(shift) + empty_after() or not is_empty(shift):
            continue
        with transaction.atomic():
            if not Shift.objects.filter(pk=shift.pk, empty_flagged_at__isnull=True).update(
                empty_flagged_at=now
            ):
                continue  # a racing sweep flagged it
            _tell_empty(shift)
            flagged += 1
    return flagged


def _tell_empty(shift: Shift) -> None:
    station = shift.station
    names = "、".join(a.person.name for a in missing_posts(shift))
    title = _("空岗提醒：%(station)s %(date)s %(time)s 的班次有岗位无人到岗") % {
        "station": station.name,
        "date": shift.date.strftime("%m-%d"),
        "time": shift.starts_at.strftime("%H:%M"),
    }
    parts = []
    if names:
        parts.append(_("未到岗：%(names)s。") % {"names": names})
    if gap := uncovered(shift):
        parts.append(_("另有 %(n)s 个岗位未安排人员。") % {"n": gap})
    parts.append(_("请尽快联系值班人员或安排替班。"))
    body = "".join(parts)
    url = today_url(station, shift.date)
    for user in (station_staff(station) | office_of(station)).distinct():
        notify(recipient=user, kind=EMPTY_KIND, title=title, body=body, url=url,
               dedupe_key=f"duty:empty:{shift.pk}:{user.pk}")  # fmt: skip


# --- Absences -----------------------------------------------------------------------------------


@sweep("duty.absences")
def record_absences(now: dt.datetime | None = None) -> dict[str, int]:
    """After a shift's day: scheduled posts become absences; repeated absences go to the
    office once per streak."""
    now = now or timezone.now()
    today = beijing_date(now)
    overdue = Assignment.objects.filter(
        PUBLISHED, status=Assignment.Status.SCHEDULED, shift__date__lt=today
    ).values_list("pk", "person_id")
    counts = {"absent": 0, "escalated": 0}
    persons: set[int] = set()
    for pk, person_id in overdue:
        if Assignment.objects.filter(pk=pk, status=Assignment.Status.SCHEDULED).update(
            status=Assignment.Status.ABSENT, updated_at=now
        ):
            counts["absent"] += 1
            persons.add(person_id)
    for person_id in sorted(persons):
        if escalate_repeated(person_id, now=now):
            counts["escalated"] += 1
    return counts


def recent_absences(person_id: int, now: dt.datetime) -> QuerySet[Assignment]:
    since = beijing_date(now) - absence_window()
    return Assignment.objects.filter(
        PUBLISHED, person_id=person_id, status=Assignment.Status.ABSENT, shift__date__gte=since
    ).select_related("shift__station__congress", "shift__station__region", "person")


def _escalation_prefix(person_id: int) -> str:
    return f"duty:absences:{person_id}:"


def escalate_repeated(person_id: int, *, now: dt.datetime | None = None) -> bool:
    """Tells the office of a person absent ``absence_threshold()`` times within the window —
    once for the streak: not again while an earlier notice of his lies within the window."""
    now = now or timezone.now()
    absences = list(recent_absences(person_id, now).order_by("shift__date", "pk"))
    if len(absences) < absence_threshold():
        return False
    told = Notification.objects.filter(
        kind=ABSENCE_KIND,
        dedupe_key__startswith=_escalation_prefix(person_id),
        created_at__gte=now - absence_window(),
    ).exists()
    if told:
        return False
    person = absences[-1].person
    stations = {a.shift.station_id: a.shift.station for a in absences}
    offices = get_user_model().objects.none()
    for station in stations.values():
        offices = offices | office_of(station)
    dates = "、".join(a.shift.date.strftime("%m-%d") for a in absences)
    title = _("%(name)s 近%(days)s天值班缺岗 %(n)s 次") % {
        "name": person.name,
        "days": absence_window().days,
        "n": len(absences),
    }
    body = _("缺岗日期：%(dates)s。请按规定约谈提醒，并记入履职档案。") % {"dates": dates}
    url = reverse("duty:person_absences", args=[person_id])
    sent = 0
    latest = absences[-1].pk
    for user in offices.distinct():
        if notify(recipient=user, kind=ABSENCE_KIND, title=title, body=body, url=url,
                  dedupe_key=f"{_escalation_prefix(person_id)}{latest}:{user.pk}"):  # fmt: skip
            sent += 1
    if sent:
        record(
            actor=None,
            action=AuditEntry.Action.ACTION,
            obj=person,
            changes={"absences": [a.pk for a in absences]},
            note=_("多次值班缺岗，已报告人大机关"),
        )
    return bool(sent)


# --- Reading ----------------------------------------------------------------------------------


def station_day(station: Station, day: dt.date) -> list[Shift]:
    """The station's shifts of published rosters on ``day``, with their posts."""
    return list(
        Shift.objects.filter(station=station, date=day, roster__status=Roster.Status.PUBLISHED)
        .select_related("roster")
        .prefetch_related("assignments__person", "assignments__unit", "assignments__confirmed_by")
        .order_by("starts_at", "pk")
    )


def absences(actor: Actor) -> QuerySet[Assignment]:
    return (
        scope(actor, Assignment.objects.filter(PUBLISHED, status=Assignment.Status.ABSENT))
        .select_related("shift__station", "person", "unit")
        .order_by("-shift__date", "shift__starts_at", "person__name", "pk")
    )


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


@dataclass
class UnitRow:
    unit_id: int
    unit: str
    posts: int = 0  # posts up to today, excused ones included
    present: int = 0
    on_time: int = 0
    absent: int = 0
    excused: int = 0
    pending: int = 0  # today's, not yet checked in

    @property
    def rate(self) -> float | None:
        done = self.present + self.absent
        return round(100 * self.present / done, 1) if done else None

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate:.1f}%"


def unit_report(actor: Actor, month: dt.date, now: dt.datetime | None = None) -> list[UnitRow]:
    """Window-unit heads' attendance per unit in ``month`` up to today (DUTY-3): for the
    units' evaluation. The actor sees the units his reach covers (a unit its own)."""
    today = beijing_date(now or timezone.now())
    first, last = month_bounds(month)
    rows = (
        scope(actor, Assignment.objects.all())
        .filter(
            PUBLISHED,
            role=DutyRole.UNIT_HEAD,
            unit__isnull=False,
            shift__date__gte=first,
            shift__date__lte=min(last, today),
        )
        .values_list(
            "unit_id", "unit__name", "status", "checked_in_at", "shift__date", "shift__starts_at"
        )
    )
    report: dict[int, UnitRow] = {}
    for unit_id, name, status, checked_in_at, day, start in rows:
        row = report.setdefault(unit_id, UnitRow(unit_id=unit_id, unit=name))
        row.posts += 1
        if status == Assignment.Status.PRESENT:
            row.present += 1
            begin = dt.datetime.combine(day, start, tzinfo=BEIJING)
            if checked_in_at is not None and checked_in_at <= begin + late_after():
                row.on_time += 1
        elif status == Assignment.Status.ABSENT:
            row.absent += 1
        elif status == Assignment.Status.EXCUSED:
            row.excused += 1
        else:
            row.pending += 1
    return sorted(report.values(), key=lambda r: r.unit)


def absences_by_person(queryset: QuerySet[Assignment]) -> dict[int, int]:
    tally: dict[int, int] = defaultdict(int)
    for person_id in queryset.values_list("person_id", flat=True):
        tally[person_id] += 1
    return dict(tally)
