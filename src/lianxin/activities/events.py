"""Activities (ACT-1, ACT-2, PERF-3): organising, inviting, sign-in, outcomes, collected
opinions filed as cases, deputies' self-reports and their approval, group minimums.

Every write takes an ``Actor``, checks the capability (MANAGE_ACTIVITIES for staff,
RECORD_OWN_WORK for a deputy's own report) and the reach of ``activities/reach.py``, and is
audited. Sign-in codes are the rotating HMAC codes of ``activities.duty.checkin`` keyed by the
activity's public key (one code logic for duty and activities).

What counts (PERF-3, ACT-2): an activity that was not cancelled and whose approval is either
not needed (organised by staff) or granted — ``counted_activities()``/``counts()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from lianxin.accounts.permissions import Actor, Perm, can_edit, in_reach, scope
from lianxin.activities.duty import checkin
from lianxin.activities.models import (
    Activity,
    ActivityCase,
    ActivityKind,
    ActivityPhoto,
    Participant,
    TrainingPlan,
)
from lianxin.activities.standards import quota
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.cases.models import Case, Category
from lianxin.cases.photos import clean_photo
from lianxin.cases.services import Intake, file_case
from lianxin.common.errors import DomainError, NotAllowed
from lianxin.directory.models import (
    DeputyGroup,
    GroupMembership,
    Person,
    Station,
    StationMembership,
)
from lianxin.holidays.deadlines import BEIJING, beijing_date
from lianxin.regions.models import Region

# --- What counts -------------------------------------------------------------------------------

COUNTED_APPROVALS = (Activity.Approval.NOT_NEEDED, Activity.Approval.APPROVED)


def counted_activities(queryset: QuerySet[Activity] | None = None) -> QuerySet[Activity]:
    """Activities that count in records and minimums: not cancelled, approved or needing no
    approval (a self-report pending or rejected does not count, PERF-3)."""
    qs = queryset if queryset is not None else Activity.objects.all()
    return qs.exclude(status=Activity.Status.CANCELLED).filter(approval__in=COUNTED_APPROVALS)


def counts(activity: Activity) -> bool:
    return activity.status != Activity.Status.CANCELLED and activity.approval in COUNTED_APPROVALS


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in Beijing time, as aware datetimes [start, end)."""
    return (
        dt.datetime(year, 1, 1, tzinfo=BEIJING),
        dt.datetime(year + 1, 1, 1, tzinfo=BEIJING),
    )


# --- Checks ------------------------------------------------------------------------------------


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.has(perm):
        raise NotAllowed


def _require_edit(actor: Actor, activity: Activity) -> None:
    _require(actor, Perm.MANAGE_ACTIVITIES)
    if activity.pk and not can_edit(actor, activity):
        raise NotAllowed


def _check_org_in_reach(actor: Actor, activity: Activity) -> None:
    """The organiser (station, group, grid, training plan) must lie within the actor's reach."""
    for name in ("station", "group", "grid", "training_plan"):
        obj = getattr(activity, name)
        if obj is not None and not in_reach(actor, obj):
            raise ValidationError({name: _("所选组织单位不在您的管理范围内。")})
    if activity.region_id and not in_reach(actor, activity.region):
        raise ValidationError({"region": _("所选区域不在您的管理范围内。")})


def _snapshot(activity: Activity, names: Iterable[str]) -> dict[str, Any]:
    return {name: str(getattr(activity, name)) for name in names}


# --- Organising ----------------------------------------------------------------------------------

EDITABLE = (
    "kind",
    "title",
    "description",
    "region",
    "station",
    "group",
    "grid",
    "training_plan",
    "plan_item",
    "organiser_name",
    "place",
    "starts_at",
    "ends_at",
    "hours",
)
OUTCOME_FIELDS = ("minutes", "outcomes", "solved_on_spot", "report_title", "report_text")


def save_activity(
    *, actor: Actor, activity: Activity, before: dict[str, Any] | None = None
) -> Activity:
    """Creates or updates an activity organised by staff (ACT-1)."""
    _require_edit(actor, activity)
    if activity.status == Activity.Status.CANCELLED and activity.pk and before is not None:
        raise DomainError(_("已取消的活动不能修改。"))
    if activity.region_id is None and activity.station_id:
        activity.region = activity.station.region  # type: ignore[union-attr]
    _check_org_in_reach(actor, activity)
    activity.full_clean()
    created = activity.pk is None
    with transaction.atomic():
        if created:
            activity.created_by = actor.user
        activity.save()
        if not in_reach(actor, activity):  # e.g. station staff without choosing a station
            raise ValidationError({"station": _("请选择您管理范围内的组织站点。")})
        after = _snapshot(activity, (*EDITABLE, *OUTCOME_FIELDS))
        old = before or {}
        changes = (
            after if created else {k: [old.get(k), v] for k, v in after.items() if old.get(k) != v}
        )
        record(
            actor=actor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj=activity,
            changes=changes,
        )
    return activity


def snapshot(activity: Activity) -> dict[str, Any]:
    """The editable fields as they are, before a form changes them (for the audit)."""
    return _snapshot(activity, (*EDITABLE, *OUTCOME_FIELDS))


def cancel_activity(*, actor: Actor, activity: Activity, reason: str = "") -> Activity:
    _require_edit(actor, activity)
    if activity.status == Activity.Status.CANCELLED:
        raise DomainError(_("活动已取消。"))
    old = activity.status
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=activity,
        changes={"status": [old, activity.status]},
        note=reason[:200] or _("取消活动"),
    )
    return activity


def mark_held(*, actor: Actor, activity: Activity) -> Activity:
    """The activity took place (its outcomes may now be recorded)."""
    _require_edit(actor, activity)
    if activity.status != Activity.Status.PLANNED:
        raise DomainError(_("只有已发布的活动才能标记为已开展。"))
    activity.status = Activity.Status.HELD
    activity.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=activity,
        changes={"status": ["planned", "held"]},
    )
    return activity


# --- Inviting -----------------------------------------------------------------------------------


def station_deputies(station: Station) -> QuerySet[Person]:
    """Deputies sitting in the station now (and in the contact rooms under it)."""
    today = timezone.localdate()
    return Person.objects.filter(
        pk__in=StationMembership.objects.filter(station__path__startswith=station.path)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("person_id")
    )


def group_members(group: DeputyGroup) -> QuerySet[Person]:
    today = timezone.localdate()
    return Person.objects.filter(
        pk__in=GroupMembership.objects.filter(group=group)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("person_id")
    )


def invitable(actor: Actor) -> QuerySet[Person]:
    """Persons the actor may invite: those within his reach."""
    return scope(actor, Person.objects.all())


def invite(*, actor: Actor, activity: Activity, persons: Iterable[Person]) -> int:
    """Invites persons (within reach); those already on the list are left as they are."""
    _require_edit(actor, activity)
    if activity.status == Activity.Status.CANCELLED:
        raise DomainError(_("已取消的活动不能邀请代表。"))
    allowed = set(invitable(actor).values_list("pk", flat=True))
    existing = set(activity.participants.values_list("person_id", flat=True))
    added = 0
    with transaction.atomic():
        for person in persons:
            if person.pk not in allowed:
                raise ValidationError(_("%(name)s 不在您的管理范围内。") % {"name": person.name})
            if person.pk in existing:
                continue
            Participant.objects.create(activity=activity, person=person, invited=True)
            existing.add(person.pk)
            added += 1
        if added:
            record(
                actor=actor,
                action=AuditEntry.Action.ACTION,
                obj=activity,
                changes={"invited": added},
                note=_("邀请代表"),
            )
    return added


def mark(*, actor: Actor, participant: Participant, attendance: str, note: str = "") -> Participant:
    """The organiser marks a participant present, absent or excused."""
    _require_edit(actor, participant.activity)
    if attendance not in Participant.Attendance.values:
        raise ValidationError({"attendance": _("出席情况不正确。")})
    old = participant.attendance
    participant.attendance = attendance
    participant.note = note[:200]
    if attendance == Participant.Attendance.PRESENT:
        if participant.signed_in_at is None:
            participant.signed_in_at = timezone.now()
            participant.method = Participant.Method.ORGANISER
    else:
        participant.signed_in_at = None
        participant.method = ""
    participant.save()
    record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=participant,
        changes={"attendance": [old, attendance]},
    )
    return participant


# --- Sign-in by the rotating code --------------------------------------------------------------


def current_code(activity: Activity, now: dt.datetime | None = None) -> str:
    day, window = checkin.window_of(now or timezone.now())
    return checkin.screen_code(activity.public_key, day, window)


def signin_path(activity: Activity, code: str) -> str:
    return reverse("mobile:activity_signin", kwargs={"key": activity.public_key, "code": code})


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    ALREADY = "already"
    BAD_CODE = "bad_code"
    UNKNOWN = "unknown"
    NO_PERSON = "no_person"
    CLOSED = "closed"


MESSAGES = {
    Outcome.SIGNED_IN: L("签到成功！"),
    Outcome.ALREADY: L("您已签到，无需重复签到。"),
    Outcome.BAD_CODE: L("签到码无效或已过期，请扫描活动现场屏幕上正在显示的二维码。"),
    Outcome.UNKNOWN: L("没有找到这个活动，请确认扫描的是活动签到二维码。"),
    Outcome.NO_PERSON: L("您的账号还没有关联人员档案，无法签到。请联系人大机关工作人员。"),
    Outcome.CLOSED: L("活动已取消或不在签到时间内（活动当天可签到），未签到。"),
}


@dataclass
class SignIn:
    outcome: Outcome
    activity: Activity | None = None
    participant: Participant | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.SIGNED_IN, Outcome.ALREADY)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.outcome])


def sign_in(*, actor: Actor, key: str, code: str, now: dt.datetime | None = None) -> SignIn:
    """Signs the actor's person in at the activity (ACT-1): a valid current code, on the
    activity's day(s) (Beijing dates), not cancelled. A deputy who was not invited is added as
    a walk-in (invited=False)."""
    now = now or timezone.now()
    activity = Activity.objects.filter(public_key=key).first()
    if activity is None:
        return SignIn(Outcome.UNKNOWN)
    if actor.person_id is None:
        return SignIn(Outcome.NO_PERSON, activity)
    method = checkin.match(activity.public_key, code, now)
    if method is None:
        return SignIn(Outcome.BAD_CODE, activity)
    today = beijing_date(now)
    if (
        activity.status == Activity.Status.CANCELLED
        or activity.approval != Activity.Approval.NOT_NEEDED
        or not beijing_date(activity.starts_at) <= today <= beijing_date(activity.ends_at)
    ):
        return SignIn(Outcome.CLOSED, activity)
    with transaction.atomic():
        participant, created = Participant.objects.select_for_update().get_or_create(
            activity=activity, person_id=actor.person_id, defaults={"invited": False}
        )
        if participant.attendance == Participant.Attendance.PRESENT:
            return SignIn(Outcome.ALREADY, activity, participant)
        old = participant.attendance
        participant.attendance = Participant.Attendance.PRESENT
        participant.signed_in_at = now
        participant.method = method
        participant.save()
        record(
            actor=actor,
            action=AuditEntry.Action.ACTION,
            obj=participant,
            changes={"attendance": [old, "present"], "method": method, "walk_in": created},
            note=_("活动签到"),
        )
    return SignIn(Outcome.SIGNED_IN, activity, participant)


# --- Outcomes -----------------------------------------------------------------------------------


def add_photo(*, actor: Actor, activity: Activity, upload: Any) -> ActivityPhoto:
    _require_edit(actor, activity)
    content = clean_photo(upload)
    photo = ActivityPhoto(activity=activity, uploaded_by=actor.user)
    photo.image.save(content.name or "photo.jpg", content, save=False)
    photo.save()
    record(actor=actor, action=AuditEntry.Action.CREATE, obj=photo)
    return photo


# The in-person channel a case collected at an activity of each kind arrives through.
CHANNEL_OF_KIND = {
    ActivityKind.RECEPTION: Case.Channel.RECEPTION,
    ActivityKind.MARKET_STALL: Case.Channel.STALL,
    ActivityKind.STOOL_FORUM: Case.Channel.FORUM,
    ActivityKind.ROUNDTABLE: Case.Channel.FORUM,
    ActivityKind.OFFICIAL_HEARING: Case.Channel.FORUM,
    ActivityKind.GRID_VISIT: Case.Channel.GRID,
    ActivityKind.GRID_MEETING: Case.Channel.GRID,
}


def channel_for(activity: Activity) -> str:
    return str(CHANNEL_OF_KIND.get(ActivityKind(activity.kind), Case.Channel.VISIT))


@dataclass
class Opinion:
    category: Category
    text: str
    region: Region | None = None
    place: str = ""
    name: str = ""
    phone: str = ""
    submission_key: str | None = None


def first_present_deputy(activity: Activity) -> Person | None:
    p = (
        activity.participants.filter(
            attendance=Participant.Attendance.PRESENT, role=Participant.Role.DEPUTY
        )
        .select_related("person")
        .order_by("signed_in_at", "pk")
        .first()
    )
    return p.person if p else None


def file_opinions(
    *,
    actor: Actor,
    activity: Activity,
    opinions: Sequence[Opinion],
    deputy: Person | None = None,
) -> list[Case]:
    """Files the opinions collected at the activity as cases of the closed loop (CASE-1), all
    or none, each linked to the activity (ActivityCase)."""
    _require_edit(actor, activity)
    if activity.status == Activity.Status.CANCELLED:
        raise DomainError(_("已取消的活动不能登记意见。"))
    deputy = deputy or first_present_deputy(activity)
    cases: list[Case] = []
    with transaction.atomic():
        for opinion in opinions:
            receipt = file_case(
                intake=Intake(
                    channel=channel_for(activity),
                    region=opinion.region or activity.region,
                    category=opinion.category,
                    text=opinion.text,
                    station=activity.station,
                    deputy=deputy,
                    place=opinion.place or activity.place,
                    name=opinion.name,
                    phone=opinion.phone,
                    anonymous=not opinion.name.strip(),
                    received_at=min(activity.starts_at, timezone.now()),
                    submission_key=opinion.submission_key,
                ),
                actor=actor,
            )
            ActivityCase.objects.get_or_create(activity=activity, case=receipt.case)
            cases.append(receipt.case)
        if cases:
            record(
                actor=actor,
                action=AuditEntry.Action.ACTION,
                obj=activity,
                changes={"cases": [c.number for c in cases]},
                note=_("登记活动收集的意见"),
            )
    return cases


# --- A deputy's self-report (PERF-3) -----------------------------------------------------------


def home_station(person_id: int) -> Station | None:
    m = (
        StationMembership.objects.filter(person_id=person_id, ends_on__isnull=True)
        .select_related("station", "station__region")
        .order_by("pk")
        .first()
    )
    return m.station if m else None


SELF_KINDS = [
    (k.value, k.label)
    for k in ActivityKind
    if k not in (ActivityKind.TRAINING, ActivityKind.GROUP_MEETING)
]


def self_report(
    *,
    actor: Actor,
    kind: str,
    title: str,
    day: dt.date,
    place: str,
    content: str,
) -> Activity:
    """A deputy records an activity he did; it counts once his station approves it."""
    _require(actor, Perm.RECORD_OWN_WORK)
    if actor.person_id is None:
        raise DomainError(_("您的账号还没有关联人员档案。"))
    if kind not in dict(SELF_KINDS):
        raise ValidationError({"kind": _("请选择活动类型。")})
    if day > beijing_date(timezone.now()):
        raise ValidationError({"day": _("活动日期不能晚于今天。")})
    station = home_station(actor.person_id)
    if station is None:
        raise DomainError(_("您还没有进驻联络站，无法补报活动。请联系人大机关工作人员。"))
    person = Person.objects.get(pk=actor.person_id)
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=BEIJING)
    activity = Activity(
        kind=kind,
        title=title.strip(),
        description=content.strip(),
        region=station.region,
        station=station,
        place=place.strip(),
        starts_at=start,
        ends_at=start,
        status=Activity.Status.HELD,
        approval=Activity.Approval.PENDING,
        created_by=actor.user,
    )
    activity.full_clean(exclude=["grid", "group"])
    with transaction.atomic():
        activity.save()
        Participant.objects.create(
            activity=activity,
            person=person,
            invited=False,
            attendance=Participant.Attendance.PRESENT,
            signed_in_at=start,
            method=Participant.Method.SELF,
        )
        record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=activity,
            changes={"kind": kind, "title": activity.title, "date": day.isoformat()},
            note=_("代表补报活动"),
        )
    return activity


def pending_reports(actor: Actor) -> QuerySet[Activity]:
    if not actor.has(Perm.MANAGE_ACTIVITIES):
        return Activity.objects.none()
    return scope(actor, Activity.objects.filter(approval=Activity.Approval.PENDING))


def decide(*, actor: Actor, activity: Activity, approve: bool, note: str = "") -> Activity:
    """The station approves or rejects a self-report (PERF-3); a rejection needs a note."""
    _require_edit(actor, activity)
    if activity.approval != Activity.Approval.PENDING:
        raise DomainError(_("该补报已审核。"))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("退回时请填写审核意见。")})
    activity.approval = Activity.Approval.APPROVED if approve else Activity.Approval.REJECTED
    activity.approved_by = actor.user
    activity.approved_at = timezone.now()
    activity.approval_note = note[:200]
    activity.save(
        update_fields=["approval", "approved_by", "approved_at", "approval_note", "updated_at"]
    )
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=activity,
        changes={"approval": ["pending", activity.approval]},
        note=note[:200],
    )
    return activity


# --- Group minimums (ACT-2) --------------------------------------------------------------------


@dataclass
class GroupYear:
    group: DeputyGroup
    year: int
    activities: int
    reports: int
    need_activities: int
    need_reports: int
    need_suggestions: int
    behind: list[str] = field(default_factory=list)

    @property
    def warn(self) -> bool:
        return bool(self.behind)


def _pace(need: int, year: int, today: dt.date) -> int:
    """What should be done by ``today``: nothing owed before the year, all of it after; in
    between pro rata by completed months, rounded down (4 a year: 1 by the end of March)."""
    if today.year < year:
        return 0
    if today.year > year:
        return need
    return need * (today.month - 1) // 12


def group_minimums(
    groups: Iterable[DeputyGroup], year: int, today: dt.date | None = None
) -> list[GroupYear]:
    """Per group: activities held in the calendar year (Beijing time) that count, research
    reports among them, the congress's figures, and which are behind pace.

    Behind pace: fewer than the pro-rata share of the completed months (``_pace``); from
    October on a group below its full figure is also flagged, since one quarter is left.
    """
    today = today or beijing_date(timezone.now())
    start, end = year_bounds(year)
    result = []
    for group in groups:
        held = counted_activities(
            Activity.objects.filter(group=group, starts_at__gte=start, starts_at__lt=end)
        )
        n = held.count()
        reports = held.exclude(report_title="").count()
        row = GroupYear(
            group=group,
            year=year,
            activities=n,
            reports=reports,
            need_activities=quota(group.congress_id, "group_activities"),
            need_reports=quota(group.congress_id, "group_reports"),
            need_suggestions=quota(group.congress_id, "group_suggestions"),
        )
        late = today.year > year or (today.year == year and today.month >= 10)
        for label, have, need in (
            (str(L("活动")), n, row.need_activities),
            (str(L("调研报告")), reports, row.need_reports),
        ):
            if have < _pace(need, year, today) or (late and have < need):
                row.behind.append(label)
        result.append(row)
    return result


def groups_for(actor: Actor) -> QuerySet[DeputyGroup]:
    """Groups whose minimums the actor sees: within reach for the office and leadership; the
    groups a deputy leads (组长) for a deputy."""
    from lianxin.accounts.models import Role

    if actor.role == Role.DEPUTY:
        if actor.person_id is None:
            return DeputyGroup.objects.none()
        return DeputyGroup.objects.filter(
            is_active=True,
            memberships__person_id=actor.person_id,
            memberships__position=GroupMembership.Position.LEADER,
            memberships__ends_on__isnull=True,
        ).distinct()
    return scope(actor, DeputyGroup.objects.filter(is_active=True))


# --- Training (ACT-3) --------------------------------------------------------------------------


@dataclass
class TrainingClass:
    activity: Activity
    participants: int
    present: int
    absent: int = 0
    excused: int = 0

    @property
    def rate(self) -> int | None:
        """Attendance in percent: present ÷ everybody on the class's list (invited, walk-ins,
        absent and excused alike), rounded down; None for a class with nobody on its list."""
        return self.present * 100 // self.participants if self.participants else None

    @property
    def held(self) -> bool:
        return self.activity.status == Activity.Status.HELD


@dataclass
class TrainingSummary:
    plan: TrainingPlan
    planned: int
    held: int
    classes: list[TrainingClass]
    cancelled: int = 0
    hours: Decimal = Decimal(0)

    @property
    def upcoming(self) -> int:
        """Classes published but not yet marked held (已发布)."""
        return sum(1 for c in self.classes if not c.held)

    @property
    def remaining(self) -> int:
        """Classes of the plan neither held nor published yet."""
        return max(self.planned - len(self.classes), 0)

    @property
    def behind(self) -> bool:
        return self.held < self.planned


def training_summary(plan: TrainingPlan) -> TrainingSummary:
    """A training plan's classes (activities of kind 学习培训 linked to it) held against the
    classes planned, with attendance per class (ACT-3). Held: marked 已开展, not cancelled;
    hours: the 学时 of the classes held. A class lies in its plan's year (Activity.clean)."""
    classes = []
    for activity in counted_activities(plan.classes.all()).order_by("starts_at", "pk"):
        marks = list(activity.participants.values_list("attendance", flat=True))
        classes.append(
            TrainingClass(
                activity=activity,
                participants=len(marks),
                present=marks.count(Participant.Attendance.PRESENT),
                absent=marks.count(Participant.Attendance.ABSENT),
                excused=marks.count(Participant.Attendance.EXCUSED),
            )
        )
    held = [c for c in classes if c.held]
    return TrainingSummary(
        plan=plan,
        planned=plan.planned_classes,
        held=len(held),
        classes=classes,
        cancelled=plan.classes.filter(status=Activity.Status.CANCELLED).count(),
        hours=sum((c.activity.hours or Decimal(0) for c in held), Decimal(0)),
    )


@dataclass
class TraineeRow:
    """One person's attendance at a training plan's classes held (ACT-3)."""

    person_id: int
    name: str
    listed: int
    present: int
    absent: int
    excused: int


def training_attendance(plan: TrainingPlan) -> list[TraineeRow]:
    """Who attended how many of the plan's classes held: everybody on a held class's list,
    most classes attended first, then by name."""
    rows = (
        Participant.objects.filter(
            activity__in=counted_activities(plan.classes.filter(status=Activity.Status.HELD))
        )
        .values("person_id", "person__name")
        .annotate(
            listed=Count("pk"),
            present=Count("pk", filter=Q(attendance=Participant.Attendance.PRESENT)),
            absent=Count("pk", filter=Q(attendance=Participant.Attendance.ABSENT)),
            excused=Count("pk", filter=Q(attendance=Participant.Attendance.EXCUSED)),
        )
        .order_by("-present", "person__name", "person_id")
    )
    return [
        TraineeRow(
            person_id=r["person_id"],
            name=r["person__name"],
            listed=r["listed"],
            present=r["present"],
            absent=r["absent"],
            excused=r["excused"],
        )
        for r in rows
    ]
