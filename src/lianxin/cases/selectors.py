"""Reads of the closed loop's pages (STYLE: selectors): lists within reach, the labels a
congress gives, deadlines as pages show them (CASE-4, CASE-11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, scope
from lianxin.cases.models import TERMINAL_STATUSES, Case, CaseUnit, Procedure
from lianxin.cases.reach import ACTIVE_UNIT
from lianxin.cases.workflow import ACTION_LABELS, label

SOON_DAYS = 2  # a deadline this close is shown as "due soon"


def event_label(procedure: Procedure | None, action: str) -> str:
    """An event's name; intake, 附议 and a merge arriving are not rows of the table."""
    extra = {"submit": _("群众点单"), "second": _("附议"), "merge_in": _("合并进来")}
    if action in extra:
        return label(procedure, action, extra[action])
    return label(procedure, action, ACTION_LABELS.get(action, action))


def cases_for(actor: Actor, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases an actor's lists show: those within reach — which keeps a sensitive case to
    the staff named on it and a recused member of staff away from his case (CASE-11)."""
    return scope(actor, queryset if queryset is not None else Case.objects.all())


def queue_ordering() -> list[Any]:
    """The nearest deadline first (urgent cases have shorter ones, CASE-11), urgent first
    among equals, then the newest."""
    return [F("due_at").asc(nulls_last=True), F("priority").desc(), "-received_at", "-pk"]


def with_rows(qs: QuerySet[Case]) -> QuerySet[Case]:
    active = CaseUnit.objects.filter(ACTIVE_UNIT).select_related("unit").order_by("-role", "pk")
    return qs.select_related("category", "station", "deputy").prefetch_related(
        Prefetch("units", queryset=active, to_attr="active_units")
    )


def procedures(cases: Iterable[Case]) -> dict[int, Procedure]:
    """The procedures of the congresses of ``cases``, one query (defaults where none)."""
    ids = {c.congress_id for c in cases}
    found = {p.congress_id: p for p in Procedure.objects.filter(congress_id__in=ids)}
    return {i: found.get(i) or Procedure(congress_id=i) for i in ids}


@dataclass(frozen=True)
class Deadline:
    """The running deadline as a page shows it: the date, days left, and a text mark (UI.md:
    never colour alone)."""

    due_at: dt.datetime | None
    days_left: int | None
    overdue: bool
    soon: bool
    step: str

    @property
    def late_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def deadline(case: Case, now: dt.datetime | None = None) -> Deadline:
    now = now or timezone.now()
    if case.due_at is None or case.status in TERMINAL_STATUSES:
        return Deadline(None, None, False, False, "")
    days = (timezone.localtime(case.due_at).date() - timezone.localtime(now).date()).days
    overdue = now >= case.due_at
    return Deadline(
        case.due_at, days, overdue, not overdue and days <= SOON_DAYS, case.get_due_step_display()
    )


def status_label(procedure: Procedure | None, case: Case) -> str:
    return label(procedure, case.status, case.get_status_display())


def row(case: Case, procedure: Procedure | None, now: dt.datetime) -> dict[str, Any]:
    """What a list shows of one case: never the citizen's personal data (SEC-2)."""
    units = getattr(case, "active_units", [])
    lead = next((u for u in units if u.role == CaseUnit.Role.LEAD), None)
    return {
        "case": case,
        "status": status_label(procedure, case),
        "deadline": deadline(case, now),
        "lead": lead.unit if lead is not None else None,
        "units": units,
        "urgent": case.priority == Case.Priority.URGENT,
    }


def rows(cases: Iterable[Case]) -> list[dict[str, Any]]:
    cases = list(cases)
    procs = procedures(cases)
    now = timezone.now()
    return [row(c, procs.get(c.congress_id), now) for c in cases]


def waiting_for_deputy(case: Case, procedure: Procedure, person_id: int | None) -> str:
    """What a case waits for from its deputy (UI.md: his home shows it first): 定单, 督单 or
    回访; "" when nothing. The detail page's buttons come from the table itself."""
    confirms = procedure.deputy_confirms and case.deputy_id in (None, person_id)
    if case.status == Case.Status.SUBMITTED and confirms:
        return label(procedure, "confirm", ACTION_LABELS["confirm"])
    if case.status == Case.Status.REPLIED:
        by_deputy = procedure.reply_checked_by == Procedure.Checker.DEPUTY
        if by_deputy and (case.supervisor_id or case.deputy_id) == person_id:
            return _("督单")
    if (
        case.status == Case.Status.CLOSED
        and procedure.return_visit
        and case.visited_at is None
        and person_id in (case.deputy_id, case.supervisor_id)
    ):
        return label(procedure, "return_visit", ACTION_LABELS["return_visit"])
    return ""


def waiting_count(actor: Actor) -> int:
    """How many of a deputy's cases wait for him (his phone's home, UI.md)."""
    cases = list(
        cases_for(actor).filter(
            status__in=[Case.Status.SUBMITTED, Case.Status.REPLIED, Case.Status.CLOSED],
            visited_at__isnull=True,
        )[:500]
    )
    procs = procedures(cases)
    return sum(1 for c in cases if waiting_for_deputy(c, procs[c.congress_id], actor.person_id))
