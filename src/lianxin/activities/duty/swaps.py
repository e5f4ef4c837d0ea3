"""换班 and 代班 (DUTY-2): a deputy hands one of his published shifts to another person of the
same station pool and role (代班), or exchanges it for one of theirs (换班); the counterpart
agrees or declines on his phone; the station's staff approve or reject.

Approval moves the assignments in one transaction under row locks, after checking again that
nobody is on leave that day or already on a shift that day, and that neither shift has begun or
been checked in. A request whose shifts changed meanwhile (another person put on them, a
check-in, the shift begun) becomes void (已失效) — at the next step, or by the sweep below.
Each step tells the other party (notifications, NOTE-1) and writes an audit entry (SEC-4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role, RoleAssignment
from lianxin.accounts.permissions import Actor, Perm, can_edit, in_reach
from lianxin.activities.models import Assignment, DutyLeave, PoolMember, Roster, SwapRequest
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.sweeps import sweep
from lianxin.directory.models import Person, Station
from lianxin.holidays.deadlines import BEIJING
from lianxin.notifications.kinds import register_kind
from lianxin.notifications.services import notify

register_kind("duty.swap", gettext_lazy("换班申请"))

OPEN = (SwapRequest.Status.PENDING, SwapRequest.Status.AGREED)
# Rosters whose shifts count when checking "one shift a day": all but drafts and failed solves.
LIVE_ROSTERS = (Roster.Status.SOLVING, Roster.Status.PROPOSED, Roster.Status.PUBLISHED)


def shift_start(assignment: Assignment) -> dt.datetime:
    shift = assignment.shift
    return dt.datetime.combine(shift.date, shift.starts_at, tzinfo=BEIJING)


def is_take(swap: SwapRequest) -> bool:
    """代班 (the counterpart takes the shift) rather than 换班 (an exchange)."""
    return swap.counterpart_assignment_id is None


def kind_label(swap: SwapRequest) -> str:
    return _("代班") if is_take(swap) else _("换班")


def _d(day: dt.date) -> str:
    return _("%(m)s月%(d)s日") % {"m": day.month, "d": day.day}


# --- What stands in the way ---------------------------------------------------------------------


def on_leave(person_id: int, day: dt.date, station_id: int) -> bool:
    return (
        DutyLeave.objects.filter(person_id=person_id, starts_on__lte=day, ends_on__gte=day)
        .filter(Q(station_id=station_id) | Q(station__isnull=True))
        .exists()
    )


def busy(person_id: int, day: dt.date, *, besides: list[int]) -> bool:
    """Already on a shift that day (at any station), apart from the assignments ``besides``."""
    return (
        Assignment.objects.filter(
            person_id=person_id, shift__date=day, shift__roster__status__in=LIVE_ROSTERS
        )
        .exclude(pk__in=besides)
        .exists()
    )


def in_pool(person_id: int, station_id: int, role: str) -> PoolMember | None:
    return PoolMember.objects.filter(
        person_id=person_id, station_id=station_id, role=role, is_active=True
    ).first()


def _changed(assignment: Assignment, person_id: int, now: dt.datetime) -> str:
    """Why a shift can no longer be swapped as asked: empty when it still can."""
    if assignment.person_id != person_id:
        return _("%(day)s的班次已安排给其他人。") % {"day": _d(assignment.shift.date)}
    if assignment.status != Assignment.Status.SCHEDULED or assignment.checked_in_at is not None:
        return _("%(day)s的班次已签到或已处理。") % {"day": _d(assignment.shift.date)}
    if assignment.shift.roster.status != Roster.Status.PUBLISHED:
        return _("%(day)s的班次所在排班表已撤回发布。") % {"day": _d(assignment.shift.date)}
    if shift_start(assignment) <= now:
        return _("%(day)s的班次已经开始或已过去。") % {"day": _d(assignment.shift.date)}
    return ""


def void_reason(swap: SwapRequest, now: dt.datetime | None = None) -> str:
    """Why an open request can no longer go through as asked (it is then void)."""
    now = now or timezone.now()
    reason = _changed(swap.assignment, swap.requester_id, now)
    theirs = swap.counterpart_assignment
    if not reason and theirs is not None:
        reason = _changed(theirs, swap.counterpart_id, now)
    return reason


def refusals(swap: SwapRequest) -> list[str]:
    """What keeps the move from being made now: the counterpart (and, for an exchange, the
    requester) on leave, on another shift that day, or out of the station's pool."""
    mine, theirs = swap.assignment, swap.counterpart_assignment
    station_id, role = mine.shift.station_id, mine.role
    besides = [mine.pk] + ([theirs.pk] if theirs is not None else [])
    problems: list[str] = []
    moves = [(swap.counterpart, mine)]
    if theirs is not None:
        moves.append((swap.requester, theirs))
    for person, target in moves:
        day = target.shift.date
        if in_pool(person.pk, station_id, role) is None:
            problems.append(
                _("%(name)s 不在本站值班人员库中（%(role)s）。")
                % {"name": person.name, "role": mine.get_role_display()}
            )
        if on_leave(person.pk, day, station_id):
            problems.append(_("%(name)s 在%(day)s请假。") % {"name": person.name, "day": _d(day)})
        if busy(person.pk, day, besides=besides):
            problems.append(
                _("%(name)s 在%(day)s已有值班。") % {"name": person.name, "day": _d(day)}
            )
    return problems


# --- Telling the parties --------------------------------------------------------------------------


def _user_of(person: Person) -> Any:
    account = person.account if person.account_id else None
    return account if account is not None and account.is_active else None


def _has_deputy_role(user: Any) -> bool:
    return RoleAssignment.objects.filter(user=user, role=Role.DEPUTY, is_active=True).exists()


def _tell_person(person: Person, swap: SwapRequest, step: str, title: str) -> None:
    user = _user_of(person)
    if user is None:
        return
    url = reverse("mobile:duty_swaps") if _has_deputy_role(user) else ""
    notify(
        recipient=user,
        kind="duty.swap",
        title=title,
        body=describe(swap),
        url=url,
        dedupe_key=f"duty:swap:{swap.pk}:{step}:{person.pk}",
    )


def station_staff_users(station: Station) -> QuerySet:  # type: ignore[type-arg]
    """Who approves: staff of the station and of the stations above it; where there are none,
    the office of the station's region and the regions above."""
    ids = [int(p) for p in station.path.strip("/").split("/") if p]
    staff = RoleAssignment.objects.filter(role=Role.STATION, station_id__in=ids, is_active=True)
    if not staff.exists():
        regions = [int(p) for p in station.region.path.strip("/").split("/") if p]
        staff = RoleAssignment.objects.filter(
            role=Role.OFFICE, region_id__in=regions, is_active=True
        )
    return get_user_model().objects.filter(pk__in=staff.values("user_id"), is_active=True)


def _tell_staff(swap: SwapRequest, title: str) -> None:
    url = reverse("duty:swap_detail", args=[swap.pk])
    for user in station_staff_users(swap.assignment.shift.station):
        notify(
            recipient=user,
            kind="duty.swap",
            title=title,
            body=describe(swap),
            url=url,
            dedupe_key=f"duty:swap:{swap.pk}:staff:{swap.status}:{user.pk}",
        )


def describe(swap: SwapRequest) -> str:
    mine = swap.assignment.shift
    text = _("%(a)s %(day)s %(t)s 在%(station)s的班次") % {
        "a": swap.requester.name,
        "day": _d(mine.date),
        "t": mine.starts_at.strftime("%H:%M"),
        "station": mine.station.name,
    }
    theirs = swap.counterpart_assignment
    if theirs is None:
        text += _("，请 %(b)s 代班") % {"b": swap.counterpart.name}
    else:
        text += _("，与 %(b)s %(day)s 的班次互换") % {
            "b": swap.counterpart.name,
            "day": _d(theirs.shift.date),
        }
    if swap.reason:
        text += _("。事由：%(r)s") % {"r": swap.reason}
    return text


# --- The steps ----------------------------------------------------------------------------------


def load_swap(pk: int) -> SwapRequest:
    return SwapRequest.objects.select_related(
        "assignment__shift__station__region",
        "assignment__shift__roster",
        "counterpart_assignment__shift__station",
        "counterpart_assignment__shift__roster",
        "requester__account",
        "counterpart__account",
    ).get(pk=pk)


def _lock(swap_id: int) -> SwapRequest:
    """The request and its assignments under row locks, in primary-key order."""
    locked = SwapRequest.objects.select_for_update().get(pk=swap_id)
    ids = sorted(filter(None, [locked.assignment_id, locked.counterpart_assignment_id]))
    list(Assignment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return load_swap(swap_id)


@transaction.atomic
def swap_request(
    *,
    actor: Actor,
    assignment: Assignment,
    counterpart: Person | None,
    counterpart_assignment: Assignment | None = None,
    reason: str = "",
) -> SwapRequest:
    """A deputy asks to hand his shift to ``counterpart`` (代班) or to exchange it for
    ``counterpart_assignment`` (换班). Only his own published, scheduled, future shift."""
    if actor.role != Role.DEPUTY or actor.person_id is None:
        raise NotAllowed
    mine = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if mine is None or mine.person_id != actor.person_id:
        raise NotAllowed
    mine = Assignment.objects.select_related("shift__roster", "shift__station", "person").get(
        pk=mine.pk
    )
    now = timezone.now()
    if changed := _changed(mine, actor.person_id, now):
        raise ValidationError({"assignment": changed})
    if counterpart_assignment is not None:
        counterpart_assignment = Assignment.objects.select_related(
            "shift__roster", "shift__station", "person"
        ).get(pk=counterpart_assignment.pk)
        counterpart = counterpart_assignment.person
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请说明换班事由。")
    elif len(reason) > 200:
        errors["reason"] = _("事由不能超过200字。")
    if counterpart is None:
        errors["counterpart"] = _("请选择代班或换班的人。")
    elif counterpart.pk == mine.person_id:
        errors["counterpart"] = _("不能和自己换班。")
    elif in_pool(counterpart.pk, mine.shift.station_id, mine.role) is None:
        errors["counterpart"] = _("%(name)s 不在本站值班人员库中（%(role)s），不能代班或换班。") % {
            "name": counterpart.name,
            "role": mine.get_role_display(),
        }
    theirs = counterpart_assignment
    if theirs is not None and "counterpart" not in errors:
        if theirs.shift.station_id != mine.shift.station_id or theirs.role != mine.role:
            errors["counterpart"] = _("只能与本站同一岗位的班次互换。")
        elif theirs.shift.date == mine.shift.date:
            errors["counterpart"] = _("两个班次在同一天，不需要换班。")
        elif changed := _changed(theirs, counterpart.pk, now):  # type: ignore[union-attr]
            errors["counterpart"] = changed
    if SwapRequest.objects.filter(assignment=mine, status__in=OPEN).exists():
        errors["assignment"] = _("这个班次已有待处理的换班申请，请等待处理或先撤回。")
    if errors:
        raise ValidationError(errors)
    assert counterpart is not None
    swap = SwapRequest(
        assignment=mine,
        requester_id=mine.person_id,
        counterpart=counterpart,
        counterpart_assignment=theirs,
        reason=reason,
    )
    problems = refusals(swap)
    if problems:
        raise ValidationError({"counterpart": problems})
    swap.save()
    swap = load_swap(swap.pk)
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=swap, note=str(_("申请换班")))
    _tell_person(
        counterpart,
        swap,
        "asked",
        _("%(name)s 请您%(kind)s：%(day)s")
        % {
            "name": swap.requester.name,
            "kind": kind_label(swap),
            "day": _d(mine.shift.date),
        },
    )
    return swap


def _void(swap: SwapRequest, reason: str, actor: Actor | None) -> SwapRequest:
    """Marks an open request void (compare-and-swap on its status) and tells both parties."""
    done = SwapRequest.objects.filter(pk=swap.pk, status__in=OPEN).update(
        status=SwapRequest.Status.VOID,
        decision_note=reason[:200],
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    swap = load_swap(swap.pk)
    if done:
        record(actor=actor, action=AuditEntry.Action.ACTION, obj=swap, note=str(_("换班申请失效")))
        title = _("换班申请已失效：%(r)s") % {"r": reason}
        for person in (swap.requester, swap.counterpart):
            _tell_person(person, swap, "void", title)
    return swap


def _void_then_refuse(swap_id: int, reason: str, actor: Actor) -> None:
    """Records the request as void (in its own transaction) and tells the caller."""
    with transaction.atomic():
        _void(load_swap(swap_id), reason, actor)
    raise Conflict(_("班次已有变动，这份换班申请已失效：%(r)s") % {"r": reason})


def _counterpart_actor(actor: Actor, swap: SwapRequest) -> None:
    if actor.role != Role.DEPUTY or actor.person_id != swap.counterpart_id:
        raise NotAllowed


def swap_answer(*, actor: Actor, swap: SwapRequest, agree: bool) -> SwapRequest:
    """The counterpart agrees (then the station decides) or declines (the request ends)."""
    void = ""
    with transaction.atomic():
        locked = _lock(swap.pk)
        _counterpart_actor(actor, locked)
        if locked.status != SwapRequest.Status.PENDING:
            raise Conflict(_("这份换班申请已经处理过了。"))
        void = void_reason(locked)
        if not void:
            if agree and (problems := refusals(locked)):
                raise ValidationError(problems)
            locked.status = SwapRequest.Status.AGREED if agree else SwapRequest.Status.DECLINED
            locked.save(update_fields=["status", "updated_at"])
            record(
                actor=actor,
                action=AuditEntry.Action.ACTION,
                obj=locked,
                note=str(_("同意换班") if agree else _("不同意换班")),
            )
            verb = _("同意") if agree else _("不同意")
            _tell_person(
                locked.requester,
                locked,
                "answer",
                _("%(name)s %(verb)s%(kind)s：%(day)s")
                % {
                    "name": locked.counterpart.name,
                    "verb": verb,
                    "kind": kind_label(locked),
                    "day": _d(locked.assignment.shift.date),
                },
            )
            if agree:
                _tell_staff(
                    locked,
                    _("换班待审批：%(a)s 与 %(b)s，%(day)s")
                    % {
                        "a": locked.requester.name,
                        "b": locked.counterpart.name,
                        "day": _d(locked.assignment.shift.date),
                    },
                )
            return locked
    _void_then_refuse(swap.pk, void, actor)
    raise AssertionError  # pragma: no cover - _void_then_refuse always raises


@transaction.atomic
def swap_cancel(*, actor: Actor, swap: SwapRequest) -> SwapRequest:
    """The requester withdraws his request while it is open."""
    locked = _lock(swap.pk)
    if actor.role != Role.DEPUTY or actor.person_id != locked.requester_id:
        raise NotAllowed
    if locked.status not in OPEN:
        raise Conflict(_("这份换班申请已经处理过了。"))
    locked.status = SwapRequest.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=locked, note=str(_("撤回换班申请")))
    _tell_person(
        locked.counterpart,
        locked,
        "cancelled",
        _("%(name)s 撤回了换班申请：%(day)s")
        % {"name": locked.requester.name, "day": _d(locked.assignment.shift.date)},
    )
    return locked


def may_decide(actor: Actor, swap: SwapRequest) -> bool:
    return (
        actor.has(Perm.MANAGE_DUTY)
        and can_edit(actor, swap)
        and in_reach(actor, swap.assignment.shift.station)
    )


def _move(assignment: Assignment, person: Person) -> None:
    """Puts ``person`` on the assignment with his pool entry's delegation or unit."""
    entry = in_pool(person.pk, assignment.shift.station_id, assignment.role)
    assignment.person = person
    assignment.delegation_id = entry.delegation_id if entry else None
    assignment.unit_id = entry.unit_id if entry else None
    assignment.source = Assignment.Source.SWAP
    assignment.reminded_at = None  # the new person gets his own reminder
    assignment.save(
        update_fields=["person", "delegation", "unit", "source", "reminded_at", "updated_at"]
    )


def _void_others(swap: SwapRequest, actor: Actor) -> None:
    """Other open requests about the two assignments cannot stand any more."""
    ids = [swap.assignment_id] + (
        [swap.counterpart_assignment_id] if swap.counterpart_assignment_id else []
    )
    others = SwapRequest.objects.filter(status__in=OPEN).filter(
        Q(assignment_id__in=ids) | Q(counterpart_assignment_id__in=ids)
    )
    for other in others.exclude(pk=swap.pk):
        _void(other, _("相关班次已经换班。"), actor)


def swap_decide(*, actor: Actor, swap: SwapRequest, approve: bool, note: str = "") -> SwapRequest:
    """The station's staff approve (the assignments move) or reject (with a note) a request
    the counterpart agreed to. Checks again under row locks; a changed shift voids it."""
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("审批意见不能超过200字。")})
    void = ""
    with transaction.atomic():
        locked = _lock(swap.pk)
        if not may_decide(actor, locked):
            raise NotAllowed
        if locked.status != SwapRequest.Status.AGREED:
            if locked.status == SwapRequest.Status.PENDING:
                raise Conflict(_("对方还没有同意，暂不能审批。"))
            raise Conflict(_("这份换班申请已经处理过了。"))
        if not approve and not note:
            raise ValidationError({"note": _("不批准时请填写审批意见，告诉代表原因。")})
        void = void_reason(locked)
        if not void:
            if approve:
                problems = refusals(locked)
                if problems:
                    raise ValidationError({"note": problems})
                mine, theirs = locked.assignment, locked.counterpart_assignment
                _move(mine, locked.counterpart)
                record(actor=actor, action=AuditEntry.Action.ACTION, obj=mine, note=str(_("换班")),
                       changes={"person": [locked.requester_id, locked.counterpart_id]})  # fmt: skip
                if theirs is not None:
                    _move(theirs, locked.requester)
                    record(actor=actor, action=AuditEntry.Action.ACTION, obj=theirs,
                           note=str(_("换班")),
                           changes={"person": [locked.counterpart_id, locked.requester_id]})  # fmt: skip
            locked.status = SwapRequest.Status.APPROVED if approve else SwapRequest.Status.REJECTED
            locked.decided_by = actor.user
            locked.decided_at = timezone.now()
            locked.decision_note = note
            locked.save(
                update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
            )
            record(
                actor=actor,
                action=AuditEntry.Action.ACTION,
                obj=locked,
                note=str(_("批准换班") if approve else _("不批准换班")),
            )
            if approve:
                _void_others(locked, actor)
            verb = _("已批准") if approve else _("未批准")
            title = _("换班申请%(verb)s：%(day)s") % {
                "verb": verb,
                "day": _d(locked.assignment.shift.date),
            }
            if note:
                title += _("（%(n)s）") % {"n": note}
            for person in (locked.requester, locked.counterpart):
                _tell_person(person, locked, "decided", title)
            return locked
    _void_then_refuse(swap.pk, void, actor)
    raise AssertionError  # pragma: no cover - _void_then_refuse always raises


@sweep("duty.swaps")
def void_stale_swaps(now: dt.datetime | None = None) -> int:
    """Open requests whose shifts changed or began are void; both parties are told once."""
    now = now or timezone.now()
    voided = 0
    open_swaps = SwapRequest.objects.filter(status__in=OPEN).values_list("pk", flat=True)
    for pk in list(open_swaps):
        with transaction.atomic():
            swap = load_swap(pk)
            reason = void_reason(swap, now)
            if reason and swap.status in OPEN:
                _void(swap, reason, None)
                voided += 1
    return voided
