"""Check-in on duty by the station's QR code (DUTY-3).

The station's screen shows a QR code that changes every few minutes; a code printed for the
day serves a station without a screen. Each code is an HMAC, under a key derived from the
server's secret, of the station's public key, the Beijing date and — for the screen — the time
window, so a photo of yesterday's code (or of a code from an hour ago) checks nobody in today:

- screen code: HMAC(key, "screen|<station key>|<date>|<window>"), window = minutes since
  Beijing midnight // LIANXIN_DUTY_CODE_MINUTES (default 5); the current window and the one
  before are accepted, so a deputy who scans as the code changes is not refused;
- printed code: HMAC(key, "printed|<station key>|<date>"), valid for that calendar day only.

The deputy, logged in on his phone, opens ``/m/duty/checkin/<station key>/<code>/``; the code
is valid, he has a shift at that station today in a published roster, and the check-in window
is open (from LIANXIN_DUTY_CHECKIN_EARLY_MINUTES, default 30, before the shift's start to its
end): he is checked in. Anything else answers an outcome with a clear message and changes
nothing. Opening the link is the act of checking in (the scan is the deputy's own action,
the code is bound to the station and the moment, and a second opening is "already checked
in"), so the page does it on GET.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from lianxin.accounts.permissions import Actor
from lianxin.activities.models import Assignment, Roster, Shift
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.directory.models import Station
from lianxin.holidays.deadlines import BEIJING, beijing_date

CODE_LENGTH = 12  # base32 characters: 60 bits of the HMAC


# --- Settings -------------------------------------------------------------------------------


def window_minutes() -> int:
    """How long one screen code lasts (LIANXIN_DUTY_CODE_MINUTES, default 5)."""
    return max(1, int(getattr(settings, "LIANXIN_DUTY_CODE_MINUTES", 5)))


def early_minutes() -> int:
    """How long before a shift's start check-in opens (default 30 minutes)."""
    return max(0, int(getattr(settings, "LIANXIN_DUTY_CHECKIN_EARLY_MINUTES", 30)))


def _key() -> bytes:
    """A key of its own (LIANXIN_DUTY_CHECKIN_KEY) or one derived from SECRET_KEY, so that
    the check-in codes never reuse the key of sessions or signatures."""
    own = getattr(settings, "LIANXIN_DUTY_CHECKIN_KEY", "")
    if own:
        return str(own).encode()
    return hashlib.sha256(f"lianxin-duty-checkin:{settings.SECRET_KEY}".encode()).digest()


# --- Codes ----------------------------------------------------------------------------------


def _digest(message: str) -> str:
    mac = hmac.new(_key(), message.encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()[:CODE_LENGTH]


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BEIJING)


def window_of(moment: dt.datetime) -> tuple[dt.date, int]:
    """The Beijing date and the index of the screen-code window ``moment`` falls in."""
    local = _local(moment)
    return local.date(), (local.hour * 60 + local.minute) // window_minutes()


def screen_code(station_key: str, day: dt.date, window: int) -> str:
    return _digest(f"screen|{station_key}|{day.isoformat()}|{window}")


def printed_code(station_key: str, day: dt.date) -> str:
    return _digest(f"printed|{station_key}|{day.isoformat()}")


def current_screen_code(station: Station, now: dt.datetime | None = None) -> str:
    day, window = window_of(now or timezone.now())
    return screen_code(station.public_key, day, window)


def seconds_left(now: dt.datetime | None = None) -> int:
    """Seconds until the screen code changes."""
    local = _local(now or timezone.now())
    length = window_minutes() * 60
    into = (local.hour * 3600 + local.minute * 60 + local.second) % length
    return length - into


def today_printed_code(station: Station, now: dt.datetime | None = None) -> str:
    return printed_code(station.public_key, beijing_date(now or timezone.now()))


def match(station_key: str, code: str, now: dt.datetime) -> str | None:
    """The method a valid code stands for (screen or printed), or None.

    Accepted: the screen code of the current window and of the window before (possibly the
    last one of yesterday, for a scan a minute after midnight), and today's printed code.
    """
    code = (code or "").strip().lower()
    if len(code) != CODE_LENGTH:
        return None
    day, window = window_of(now)
    before_day, before_window = window_of(now - dt.timedelta(minutes=window_minutes()))
    candidates = [
        (screen_code(station_key, day, window), Assignment.Method.SCREEN),
        (screen_code(station_key, before_day, before_window), Assignment.Method.SCREEN),
        (printed_code(station_key, day), Assignment.Method.PRINTED),
    ]
    found = None
    for expected, method in candidates:  # compare all, in constant time each
        if hmac.compare_digest(expected, code) and found is None:
            found = str(method)
    return found


def checkin_path(station: Station, code: str) -> str:
    return reverse("mobile:duty_checkin", kwargs={"key": station.public_key, "code": code})


# --- The check-in window of a shift -----------------------------------------------------------


def opens_at(shift: Shift) -> dt.datetime:
    """N minutes before the start, but never before the shift's own day begins."""
    start = dt.datetime.combine(shift.date, shift.starts_at, tzinfo=BEIJING)
    midnight = dt.datetime.combine(shift.date, dt.time(0), tzinfo=BEIJING)
    return max(start - dt.timedelta(minutes=early_minutes()), midnight)


def closes_at(shift: Shift) -> dt.datetime:
    return dt.datetime.combine(shift.date, shift.ends_at, tzinfo=BEIJING)


# --- Checking in ----------------------------------------------------------------------------


class Outcome(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    BAD_CODE = "bad_code"
    UNKNOWN_STATION = "unknown_station"
    NO_PERSON = "no_person"
    NO_SHIFT = "no_shift"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    EXCUSED = "excused"


SUCCESS = frozenset({Outcome.CHECKED_IN, Outcome.ALREADY})


@dataclass
class Result:
    outcome: Outcome
    station: Station | None = None
    assignment: Assignment | None = None
    today: list[Assignment] = field(default_factory=list)  # his shifts there today

    @property
    def ok(self) -> bool:
        return self.outcome in SUCCESS

    @property
    def message(self) -> str:
        a = self.assignment
        if self.outcome == Outcome.CHECKED_IN and a is not None and a.checked_in_at:
            return _("签到成功！签到时间 %(time)s。") % {
                "time": timezone.localtime(a.checked_in_at).strftime("%H:%M")
            }
        if self.outcome == Outcome.ALREADY and a is not None and a.checked_in_at:
            return _("您已于 %(time)s 签到，无需重复签到。") % {
                "time": timezone.localtime(a.checked_in_at).strftime("%H:%M")
            }
        if self.outcome in (Outcome.TOO_EARLY, Outcome.TOO_LATE) and a is not None:
            window = {
                "start": timezone.localtime(opens_at(a.shift)).strftime("%H:%M"),
                "end": timezone.localtime(closes_at(a.shift)).strftime("%H:%M"),
            }
            if self.outcome == Outcome.TOO_EARLY:
                return _("还未到签到时间。本班次签到时间为 %(start)s 至 %(end)s。") % window
            return _("本班次已结束（签到时间为 %(start)s 至 %(end)s），不能再签到。") % window
        return str(MESSAGES[self.outcome])


MESSAGES = {
    Outcome.CHECKED_IN: L("签到成功！"),
    Outcome.ALREADY: L("您已签到，无需重复签到。"),
    Outcome.BAD_CODE: L(
        "签到码无效或已过期（例如昨天的签到码）。请扫描站点屏幕上正在显示的二维码，"
        "或当天张贴的签到码。"
    ),
    Outcome.UNKNOWN_STATION: L("没有找到这个联络站，请确认扫描的是联络站的签到二维码。"),
    Outcome.NO_PERSON: L("您的账号还没有关联人员档案，无法签到。请联系人大机关工作人员。"),
    Outcome.NO_SHIFT: L("您今天在本站没有值班安排，未签到。如有换班，请先确认换班已经批准。"),
    Outcome.TOO_EARLY: L("还未到签到时间。"),
    Outcome.TOO_LATE: L("本班次已结束，不能再签到。"),
    Outcome.EXCUSED: L("您本班次已登记请假。如已到岗，请联系站点工作人员确认。"),
}


def todays_assignments(person_id: int, station: Station, day: dt.date) -> list[Assignment]:
    """The person's posts at the station on ``day`` in published rosters, earliest first."""
    return list(
        Assignment.objects.filter(
            person_id=person_id,
            shift__station=station,
            shift__date=day,
            shift__roster__status=Roster.Status.PUBLISHED,
        )
        .select_related("shift", "shift__station")
        .order_by("shift__starts_at", "pk")
    )


def check_in(
    *, actor: Actor, station_key: str, code: str, now: dt.datetime | None = None
) -> Result:
    """Checks the actor's person in on today's shift at the station, if everything holds."""
    now = now or timezone.now()
    station = Station.objects.filter(public_key=station_key, is_active=True).first()
    if station is None:
        return Result(Outcome.UNKNOWN_STATION)
    person_id = actor.person_id
    if person_id is None:
        return Result(Outcome.NO_PERSON, station)
    today = todays_assignments(person_id, station, beijing_date(now))
    method = match(station.public_key, code, now)
    if method is None:
        return Result(Outcome.BAD_CODE, station, today=today)
    if not today:
        return Result(Outcome.NO_SHIFT, station)
    open_now = [a for a in today if opens_at(a.shift) <= now <= closes_at(a.shift)]
    for assignment in open_now:
        if assignment.status == Assignment.Status.SCHEDULED:
            return _check_in(actor, station, assignment, method, now, today)
    for status, outcome in (
        (Assignment.Status.PRESENT, Outcome.ALREADY),
        (Assignment.Status.EXCUSED, Outcome.EXCUSED),
    ):
        hit = next((a for a in open_now if a.status == status), None)
        if hit is not None:
            return Result(outcome, station, hit, today)
    upcoming = [a for a in today if opens_at(a.shift) > now]
    present = [a for a in today if a.status == Assignment.Status.PRESENT]
    if upcoming:
        return Result(Outcome.TOO_EARLY, station, upcoming[0], today)
    if present:
        return Result(Outcome.ALREADY, station, present[-1], today)
    return Result(Outcome.TOO_LATE, station, today[-1], today)


def _check_in(
    actor: Actor,
    station: Station,
    assignment: Assignment,
    method: str,
    now: dt.datetime,
    today: list[Assignment],
) -> Result:
    with transaction.atomic():
        changed = Assignment.objects.filter(
            pk=assignment.pk, status=Assignment.Status.SCHEDULED
        ).update(status=Assignment.Status.PRESENT, checked_in_at=now, method=method, updated_at=now)
        assignment.refresh_from_db()
        if not changed:  # checked in a moment ago (a double tap, or staff confirmed)
            outcome = (
                Outcome.ALREADY
                if assignment.status == Assignment.Status.PRESENT
                else Outcome.EXCUSED
            )
            return Result(outcome, station, assignment, _refreshed(today, assignment))
        record(
            actor=actor,
            action=AuditEntry.Action.ACTION,
            obj=assignment,
            changes={"status": ["scheduled", "present"], "method": method},
            note=_("值班签到"),
        )
    return Result(Outcome.CHECKED_IN, station, assignment, _refreshed(today, assignment))


def _refreshed(today: list[Assignment], assignment: Assignment) -> list[Assignment]:
    return [assignment if a.pk == assignment.pk else a for a in today]
