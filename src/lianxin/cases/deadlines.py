"""Which deadline a case runs against, and when it is due (CASE-4).

The counting itself is the one calculator's (``lianxin.holidays.deadlines``): Civil Code
§201–203 on the official calendar. Here are only the rules: per congress, step, scope and
priority, from ``DeadlineRule`` rows or, where a congress has none, from ``DEFAULT_RULES`` —
西峡's practice: a township case dispatched within 7 days; a county case reported up within 3
days and dispatched as a 交办函 within 7 days; the unit replies within 1 month; urgent cases
shorter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lianxin.cases.models import Case, DeadlineRule
from lianxin.holidays.deadlines import Deadline, Unit, add_days
from lianxin.holidays.hooks import calendar_listener

Step = DeadlineRule.Step


@dataclass(frozen=True)
class Rule:
    amount: int
    unit: Unit


# (step, scope, priority) → rule; "" matches any. The most specific match wins.
DEFAULT_RULES: dict[tuple[str, str, str], Rule] = {
    (Step.REPORT, "", ""): Rule(3, Unit.CALENDAR_DAYS),
    (Step.REPORT, "", "urgent"): Rule(1, Unit.CALENDAR_DAYS),
    (Step.DISPATCH, "", ""): Rule(7, Unit.CALENDAR_DAYS),
    (Step.DISPATCH, "township", ""): Rule(7, Unit.CALENDAR_DAYS),
    (Step.DISPATCH, "county", ""): Rule(7, Unit.CALENDAR_DAYS),
    (Step.DISPATCH, "", "urgent"): Rule(2, Unit.CALENDAR_DAYS),
    (Step.ACCEPT, "", ""): Rule(3, Unit.WORKING_DAYS),
    (Step.ACCEPT, "", "urgent"): Rule(1, Unit.WORKING_DAYS),
    (Step.REPLY, "", ""): Rule(1, Unit.MONTHS),
    (Step.REPLY, "", "urgent"): Rule(7, Unit.CALENDAR_DAYS),
    (Step.CHECK, "", ""): Rule(3, Unit.WORKING_DAYS),
    (Step.CHECK, "", "urgent"): Rule(1, Unit.WORKING_DAYS),
}


def _scope_key(case: Case) -> str:
    if case.scope in (Case.Scope.TOWNSHIP, Case.Scope.COUNTY):
        return str(case.scope)
    return ""


def rule_for(case: Case, step: str) -> Rule:
    """The congress's own rule for this step, scope and priority, else the default one."""
    scope, priority = _scope_key(case), str(case.priority)
    candidates = [(scope, priority), (scope, ""), ("", priority), ("", "")]
    if step == Step.RATE:
        from lianxin.cases.workflow import procedure_for

        return Rule(procedure_for(case).rating_window_days, Unit.CALENDAR_DAYS)
    own = {
        (r.scope, r.priority): Rule(r.amount, Unit(r.unit))
        for r in DeadlineRule.objects.filter(congress_id=case.congress_id, step=step)
    }
    for key in candidates:
        if key in own:
            return own[key]
    for key in candidates:
        if (step, *key) in DEFAULT_RULES:
            return DEFAULT_RULES[(step, *key)]
    return DEFAULT_RULES[(step, "", "")]


def start_of(case: Case, step: str, now: dt.datetime) -> dt.datetime:
    """When the period of ``step`` starts: a township case's dispatch deadline runs from
    receipt; the reply deadline from dispatch; every other from now (arrival at the step)."""
    if step == Step.DISPATCH and case.scope == Case.Scope.TOWNSHIP:
        return case.received_at
    if step == Step.REPORT:
        return case.received_at
    if step == Step.REPLY and case.dispatched_at is not None:
        return case.dispatched_at
    return now


def count(case: Case, step: str, start: dt.datetime) -> Deadline:
    rule = rule_for(case, step)
    return add_days(start, rule.amount, rule.unit)


def start_deadline(case: Case, step: str | None, now: dt.datetime) -> None:
    """Sets the running deadline of ``case`` for ``step`` (or clears it); not saved here."""
    if not step:
        case.due_step, case.due_from, case.due_at = "", None, None
        case.escalation = 0
        return
    start = start_of(case, step, now)
    due = count(case, step, start).ends_at
    if step == Step.REPLY:
        if case.reply_due_at is None:
            case.reply_due_at = due
        due = case.reply_due_at
    case.due_step, case.due_from, case.due_at = step, start, due
    case.escalation = 0


@transaction.atomic
def recompute_deadlines(year: int) -> int:
    """Recounts the running deadlines whose period touches ``year`` after its calendar changed
    (CASE-4). Idempotent. Returns the number of cases whose deadline moved."""
    first = dt.datetime(year - 1, 1, 1, tzinfo=dt.UTC)
    moved = 0
    running = Case.objects.select_for_update().filter(
        due_at__isnull=False, due_from__isnull=False, due_from__gte=first
    )
    for case in running.exclude(due_step=""):
        if case.due_from is None or case.due_from.year > year:
            continue
        due = count(case, case.due_step, case.due_from).ends_at
        if case.due_step == Step.REPLY and case.extension_days:
            due = add_days(due, case.extension_days).ends_at
        if due != case.due_at:
            case.due_at = due
            if case.due_step == Step.REPLY:
                case.reply_due_at = due
            case.save(update_fields=["due_at", "reply_due_at", "updated_at"])
            moved += 1
    return moved


@calendar_listener("cases.recompute_deadlines")
def _on_calendar_changed(year: int) -> None:
    from lianxin.cases.tasks import recompute_deadlines_task

    transaction.on_commit(lambda: recompute_deadlines_task.delay(year))


def is_overdue(case: Case, now: dt.datetime | None = None) -> bool:
    return case.due_at is not None and (now or timezone.now()) >= case.due_at
