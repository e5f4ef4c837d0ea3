"""The closed loop as one table (CASE-3, STYLE 3).

Each row says: from this status, this action, by these roles, leads to that status and starts
that deadline — and, for the optional steps of CASE-3, which ``Procedure`` switch it needs.
Reading ``TABLE`` tells the whole loop:

    点单 submitted ─confirm→ confirmed (代表定单, when the congress wants it)
    研处 ─resolve_on_spot→ awaiting_rating (当场解决) │ ─triage→ triaged (乡镇办理)
         ─report→ reported (县级办理) │ ─decline→ declined (不属于人大职责, explained)
         ─merge→ merged (分类合并)
    派单 triaged/reported ─dispatch→ dispatched ─accept→ handling │ ─return→ back (退单)
    办单 handling ─reply→ replied (extension asked and decided on the way; co-handlers
         ─contribute→ their part to the lead unit, status unchanged)
    督单 replied ─approve_reply→ awaiting_rating │ ─send_back→ handling
    评单 awaiting_rating ─rate→ closed, or handling again on 不满意 (reopenings allowed)
         ─expire_rating→ closed (未评价)
    closed ─return_visit→ closed (回访) ─archive→ archived (immutable)

``apply`` is the one function that changes a case's status: under a row lock, checking the
row, the role and the reach, writing one immutable event and one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, in_reach
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record as audit_record
from lianxin.cases import figures, notify
from lianxin.cases.models import Case, CaseEvent, DeadlineRule, Procedure
from lianxin.common.errors import Conflict, DomainError, NotAllowed

S = Case.Status
Step = DeadlineRule.Step


class Action(StrEnum):
    CONFIRM = "confirm"
    RESOLVE_ON_SPOT = "resolve_on_spot"
    TRIAGE = "triage"
    REPORT = "report"
    DECLINE = "decline"
    MERGE = "merge"
    CLAIM = "claim"
    DISPATCH = "dispatch"
    RETURN = "return"
    ACCEPT = "accept"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    REPLY = "reply"
    CONTRIBUTE = "contribute"
    SEND_BACK = "send_back"
    APPROVE_REPLY = "approve_reply"
    RATE = "rate"
    EXPIRE_RATING = "expire_rating"
    RETURN_VISIT = "return_visit"
    ARCHIVE = "archive"
    REASSIGN = "reassign"


# The labels shown by default; a congress may rename them (Procedure.labels).
ACTION_LABELS: dict[str, Any] = {
    Action.CONFIRM: gettext_lazy("定单"),
    Action.RESOLVE_ON_SPOT: gettext_lazy("当场解决"),
    Action.TRIAGE: gettext_lazy("乡镇办理"),
    Action.REPORT: gettext_lazy("上报县级"),
    Action.DECLINE: gettext_lazy("说明不予受理"),
    Action.MERGE: gettext_lazy("合并"),
    Action.CLAIM: gettext_lazy("委室认领"),
    Action.DISPATCH: gettext_lazy("派单"),
    Action.RETURN: gettext_lazy("退单"),
    Action.ACCEPT: gettext_lazy("签收"),
    Action.REQUEST_EXTENSION: gettext_lazy("申请延期"),
    Action.DECIDE_EXTENSION: gettext_lazy("审批延期"),
    Action.REPLY: gettext_lazy("答复"),
    Action.CONTRIBUTE: gettext_lazy("协办意见"),
    Action.SEND_BACK: gettext_lazy("退回重办"),
    Action.APPROVE_REPLY: gettext_lazy("审核通过"),
    Action.RATE: gettext_lazy("评单"),
    Action.EXPIRE_RATING: gettext_lazy("逾期未评价"),
    Action.RETURN_VISIT: gettext_lazy("回访"),
    Action.ARCHIVE: gettext_lazy("归档"),
    Action.REASSIGN: gettext_lazy("移交"),
}

# Who acts besides accounts' roles: the citizen by his tracking link, and the system's sweeps.
CITIZEN = "citizen"
SYSTEM = "system"

OFFICE, STATION, UNIT, DEPUTY = Role.OFFICE, Role.STATION, Role.UNIT, Role.DEPUTY
INTAKE = frozenset({S.SUBMITTED, S.CONFIRMED})
WAITING_DISPATCH = frozenset({S.TRIAGED, S.REPORTED})


@dataclass(frozen=True)
class Transition:
    source: Case.Status
    action: Action
    target: Case.Status | None  # None: the action decides (退单, 评单)
    roles: frozenset[str]
    deadline: DeadlineRule.Step | None = None  # the deadline that starts on arrival
    needs: str | None = None  # a Procedure switch that must be on
    unless: str | None = None  # a Procedure switch that must be off
    public: bool = True  # the step appears on the citizen's tracking page


def _rows(
    sources: frozenset[Case.Status] | set[Case.Status],
    action: Action,
    target: Case.Status | None,
    roles: set[str],
    **kw: Any,
) -> list[Transition]:
    return [Transition(s, action, target, frozenset(roles), **kw) for s in sorted(sources)]


TABLE: list[Transition] = [
    # 代表定单: the deputy takes the citizen's case up (optional per congress).
    *_rows({S.SUBMITTED}, Action.CONFIRM, S.CONFIRMED, {DEPUTY, STATION, OFFICE},
           needs="deputy_confirms"),
    # 研处 (分级分类, CASE-2): without 定单 the office triages what was submitted.
    *_rows({S.SUBMITTED}, Action.RESOLVE_ON_SPOT, S.AWAITING_RATING, {STATION, OFFICE},
           deadline=Step.RATE, unless="deputy_confirms"),
    *_rows({S.CONFIRMED}, Action.RESOLVE_ON_SPOT, S.AWAITING_RATING, {STATION, OFFICE},
           deadline=Step.RATE),
    *_rows({S.SUBMITTED}, Action.TRIAGE, S.TRIAGED, {STATION, OFFICE},
           deadline=Step.DISPATCH, unless="deputy_confirms"),
    *_rows({S.CONFIRMED}, Action.TRIAGE, S.TRIAGED, {STATION, OFFICE}, deadline=Step.DISPATCH),
    *_rows({S.SUBMITTED}, Action.REPORT, S.REPORTED, {STATION, OFFICE},
           deadline=Step.DISPATCH, unless="deputy_confirms"),
    *_rows({S.CONFIRMED}, Action.REPORT, S.REPORTED, {STATION, OFFICE}, deadline=Step.DISPATCH),
    *_rows(INTAKE | WAITING_DISPATCH, Action.DECLINE, S.DECLINED, {STATION, OFFICE}),
    *_rows(INTAKE | WAITING_DISPATCH, Action.MERGE, S.MERGED, {STATION, OFFICE}),
    # 委室认领 (郏县 提派办评): a committee claims the case by its duties.
    *_rows(WAITING_DISPATCH, Action.CLAIM, None, {OFFICE}, needs="committee_claims",
           public=False),
    # 人大派单 (交办) to a lead unit and co-handlers (CASE-5).
    *_rows(WAITING_DISPATCH, Action.DISPATCH, S.DISPATCHED, {OFFICE, STATION},
           deadline=Step.ACCEPT),
    # 办单: the unit accepts, or returns the case with a reason (退单) for re-dispatch.
    *_rows({S.DISPATCHED, S.HANDLING}, Action.RETURN, None, {UNIT}),
    *_rows({S.DISPATCHED}, Action.ACCEPT, S.HANDLING, {UNIT}, deadline=Step.REPLY),
    *_rows({S.HANDLING}, Action.REQUEST_EXTENSION, S.HANDLING, {UNIT}, public=False),
    *_rows({S.HANDLING}, Action.DECIDE_EXTENSION, S.HANDLING, {OFFICE}),
    *_rows({S.HANDLING}, Action.REPLY, S.REPLIED, {UNIT}, deadline=Step.CHECK),
    # 协办: a co-handling unit gives its part to the lead unit; the case stays where it is.
    *_rows({S.HANDLING}, Action.CONTRIBUTE, S.HANDLING, {UNIT}, public=False),
    # 代表督单: the reply is checked before the citizen sees it (CASE-5).
    *_rows({S.REPLIED}, Action.SEND_BACK, S.HANDLING, {DEPUTY, OFFICE}, deadline=Step.REPLY,
           public=False),
    *_rows({S.REPLIED}, Action.APPROVE_REPLY, S.AWAITING_RATING, {DEPUTY, OFFICE},
           deadline=Step.RATE),
    # 群众评单 (CASE-7): by the tracking link, or by phone through staff.
    *_rows({S.AWAITING_RATING}, Action.RATE, None, {CITIZEN, STATION, OFFICE}),
    *_rows({S.AWAITING_RATING}, Action.EXPIRE_RATING, S.CLOSED, {SYSTEM}),
    # 回访 and 归档.
    *_rows({S.CLOSED}, Action.RETURN_VISIT, S.CLOSED, {OFFICE, STATION, DEPUTY},
           needs="return_visit"),
    *_rows({S.CLOSED, S.DECLINED}, Action.ARCHIVE, S.ARCHIVED, {OFFICE, STATION}),
    # 移交 (CASE-12): a leaver's open case gets a new deputy or station; status unchanged.
    *_rows(
        {s for s in S if s not in (S.CLOSED, S.DECLINED, S.MERGED, S.ARCHIVED)},
        Action.REASSIGN, None, {OFFICE}, public=False,
    ),
]  # fmt: skip

_BY_KEY: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TABLE}
assert len(_BY_KEY) == len(TABLE), "one row per (status, action)"


def label(procedure: Procedure | None, key: str, default: Any) -> str:
    """The name a congress gives a status or an action, or the default one."""
    if procedure is not None and procedure.labels.get(key):
        return str(procedure.labels[key])
    return str(default)


def row_for(case: Case, action: Action | str, procedure: Procedure) -> Transition | None:
    """The row of the table for this case's status and ``action`` under ``procedure``."""
    row = _BY_KEY.get((case.status, Action(action)))
    if row is None:
        return None
    if row.needs and not getattr(procedure, row.needs):
        return None
    if row.unless and getattr(procedure, row.unless):
        return None
    return row


def procedure_for(case: Case) -> Procedure:
    """The congress's configuration, or the defaults (六单制) when it has none."""
    found = Procedure.objects.filter(congress_id=case.congress_id).first()
    return found or Procedure(congress_id=case.congress_id)


@dataclass
class Who:
    """Who acts: an account in one role (``actor``), the citizen by his link, or the system."""

    kind: str  # a Role value, CITIZEN or SYSTEM
    actor: Actor | None = None
    citizen_id: int | None = None
    label: str = ""

    @classmethod
    def staff(cls, actor: Actor) -> Who:
        return cls(kind=actor.role or "", actor=actor, label=actor.label())

    @classmethod
    def citizen(cls, citizen_id: int) -> Who:
        return cls(kind=CITIZEN, citizen_id=citizen_id, label=str(_("群众")))

    @classmethod
    def system(cls) -> Who:
        return cls(kind=SYSTEM, label=str(_("系统")))


@dataclass
class Outcome:
    """What an action's effect reports back: the status to go to when the table leaves it
    open, the notes for the event, and the event's data."""

    target: Case.Status | None = None
    note: str = ""
    public_note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    deadline: DeadlineRule.Step | None = None  # overrides the row's


Effect = Callable[[Case, Transition, Procedure], Outcome]
# Extra checks of who may act on this very case (the receiving deputy, the dispatched unit):
# registered by the permission side of the cases app (lianxin.cases.reach).
PartyCheck = Callable[[Who, Case, Transition], bool]
_PARTY_CHECKS: list[PartyCheck] = []


def party_check(fn: PartyCheck) -> PartyCheck:
    _PARTY_CHECKS.append(fn)
    return fn


def may_act(who: Who, case: Case, row: Transition) -> bool:
    """The role is in the row, the case is within reach, and the party checks agree."""
    if who.kind not in row.roles:
        return False
    if who.actor is not None:
        if not who.actor.is_authenticated or not in_reach(who.actor, case):
            return False
    elif who.kind == CITIZEN and who.citizen_id is None:
        return False
    return all(check(who, case, row) for check in _PARTY_CHECKS)


def available_actions(who: Who, case: Case, procedure: Procedure | None = None) -> list[Action]:
    """The actions ``who`` may take on ``case`` now, in table order (for pages' buttons)."""
    procedure = procedure or procedure_for(case)
    found = []
    for action in Action:
        row = row_for(case, action, procedure)
        if row is not None and may_act(who, case, row):
            found.append(action)
    return found


@transaction.atomic
def apply(who: Who, case_id: int, action: Action | str, effect: Effect | None = None) -> Case:
    """Applies ``action`` to the case under a row lock: the only way a case's status changes.

    The case is re-read locked. When its status no longer allows the action (somebody acted
    first), the answer is Conflict — "already handled"; when the actor may not act, NotAllowed.
    """
    from lianxin.cases.deadlines import start_deadline

    action = Action(action)
    case = Case.objects.select_for_update().get(pk=case_id)
    if who.actor is not None and not in_reach(who.actor, case):
        raise NotAllowed  # out of reach: not even whether somebody acted first
    if case.status == S.ARCHIVED:
        raise Conflict(_("该意见已归档，不能再更改。"))
    procedure = procedure_for(case)
    row = row_for(case, action, procedure)
    if row is None:
        if any(t.action == action for t in TABLE):
            raise Conflict(
                _("该意见已被他人处理，当前状态为“%(status)s”。")
                % {"status": label(procedure, case.status, case.get_status_display())}
            )
        raise DomainError(_("不支持的操作。"))
    if not may_act(who, case, row):
        raise NotAllowed
    before, due_before = case.status, case.due_at
    outcome = effect(case, row, procedure) if effect is not None else Outcome()
    target = outcome.target or row.target or case.status
    case.status = target
    deadline_step = outcome.deadline or row.deadline
    now = timezone.now()
    if target != before or deadline_step:
        start_deadline(case, deadline_step, now)
    case.last_event_seq += 1
    case.save()
    event = CaseEvent.objects.create(
        case=case,
        seq=case.last_event_seq,
        action=action,
        from_status=before,
        to_status=target,
        at=now,
        actor=who.actor.user if who.actor is not None else None,
        actor_label=who.label,
        note=outcome.note,
        public_note=outcome.public_note if row.public else "",
        data={
            **outcome.data,
            "public": row.public,
            "dims": figures.dims(case),
            "on_time": due_before is None or now <= due_before,
        },
    )
    figures.count_event(event)
    notify.queue(event)
    audit_record(
        actor=who.actor,
        action=AuditEntry.Action.ACTION,
        obj=case,
        changes={"status": [before, target], "action": str(action)},
        actor_name=who.label if who.actor is None else "",
        note=str(ACTION_LABELS[action]),
    )
    return case
