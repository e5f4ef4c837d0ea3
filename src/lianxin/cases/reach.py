"""Who sees which case, and who may act on it (SPEC section 0, CASE-3, CASE-11).

Reach of cases: the office of the case's region or congress and above; the station staff of
its station and the stations above it; the handling unit it is dispatched to (and that unit's
parents) while it holds it; the deputy who received or supervises it; leadership reads its
region. Beyond reach, the table's roles and these party checks decide who acts.
"""

from __future__ import annotations

from django.db.models import Q

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import (
    NOTHING,
    Actor,
    Perm,
    edit_reach,
    model_perms,
    reach,
    region_path,
    scope,
    station_path,
    unit_path,
)
from lianxin.cases.models import Case, CaseAccess, CaseUnit, Procedure
from lianxin.cases.workflow import CITIZEN, Action, Transition, Who, party_check
from lianxin.regions.models import Region

model_perms("cases.case", Perm.VIEW_CASES, Perm.HANDLE_CASES)
model_perms("cases.category", Perm.VIEW_CASES, Perm.CONFIGURE_CASES)
# Reply templates (CASE-5): read with the categories they serve, kept by the office.
model_perms("cases.replytemplate", Perm.VIEW_CASES, Perm.CONFIGURE_CASES)
model_perms("cases.procedure", Perm.VIEW_CASES, Perm.CONFIGURE_CASES)
model_perms("cases.deadlinerule", Perm.VIEW_CASES, Perm.CONFIGURE_CASES)
# Photos come with the case (CASE-1) and are seen by whoever reaches the case; nobody edits one.
model_perms("cases.casephoto", Perm.VIEW_CASES, Perm.HANDLE_CASES)
# The citizens behind a case: seen (masked) with the case; changed only by the services.
model_perms("cases.casecitizen", Perm.VIEW_CASES, Perm.CONFIGURE_CASES)

ACTIVE_UNIT = ~Q(status__in=[CaseUnit.Status.RETURNED, CaseUnit.Status.WITHDRAWN])


def _unit_cases(path: str) -> Q:
    held = CaseUnit.objects.filter(ACTIVE_UNIT, unit__path__startswith=path).values("case_id")
    return Q(pk__in=held)


@reach("cases.case")
def case_reach(actor: Actor) -> Q | None:
    base = _case_base(actor)
    if base is NOTHING:
        return NOTHING
    return base & _access(actor)


def _case_base(actor: Actor) -> Q:
    if path := region_path(actor):
        return Q(region__path__startswith=path) | Q(congress__region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    if path := unit_path(actor):
        return _unit_cases(path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(deputy_id=actor.person_id) | Q(supervisor_id=actor.person_id)
    return NOTHING


@reach("cases.casephoto")
def case_photo_reach(actor: Actor) -> Q | None:
    cases = case_reach(actor)
    if cases is None:
        return None
    return Q(case__in=Case.objects.filter(cases).values("pk"))


@edit_reach("cases.casephoto")
def case_photo_edit_reach(actor: Actor) -> Q | None:
    return NOTHING


def _access(actor: Actor) -> Q:
    """CASE-11: a sensitive case only for the staff named on it; nobody who stands aside
    (回避) from a case sees it."""
    mine = CaseAccess.objects.filter(user_id=actor.user.pk)
    granted = mine.filter(kind=CaseAccess.Kind.GRANT).values("case_id")
    recused = mine.filter(kind=CaseAccess.Kind.RECUSAL).values("case_id")
    return (Q(sensitive=False) | Q(pk__in=granted)) & ~Q(pk__in=recused)


def _categories(actor: Actor) -> Q | None:
    """Categories of the actor's region, of the regions above it and below it."""
    path = region_path(actor)
    if path is None and actor.assignment is not None and actor.assignment.station_id:
        path = actor.assignment.station.region.path  # type: ignore[union-attr]
    if path is None and actor.assignment is not None and actor.assignment.unit_id:
        path = actor.assignment.unit.region.path  # type: ignore[union-attr]
    if path is None and actor.role == Role.DEPUTY and actor.person_id:
        return _deputy_categories(actor.person_id)
    if path is None:
        return NOTHING
    ancestors = [int(p) for p in path.strip("/").split("/") if p]
    return Q(region__path__startswith=path) | Q(region_id__in=ancestors)


def _deputy_categories(person_id: int) -> Q:
    """A deputy's categories: those of the regions of his stations, above and below."""
    from lianxin.directory.models import StationMembership

    paths = StationMembership.objects.filter(person_id=person_id, ends_on__isnull=True).values_list(
        "station__region__path", flat=True
    )
    q = NOTHING
    for path in set(paths):
        ancestors = [int(p) for p in path.strip("/").split("/") if p]
        q |= Q(region__path__startswith=path) | Q(region_id__in=ancestors)
    return q


@reach("cases.category")
def category_reach(actor: Actor) -> Q | None:
    return _categories(actor)


@edit_reach("cases.category")
def category_edit_reach(actor: Actor) -> Q | None:
    """An office reads the categories of the regions above it but edits only its own."""
    if path := region_path(actor):
        return Q(region__path__startswith=path)
    return NOTHING


@reach("cases.replytemplate")
def reply_template_reach(actor: Actor) -> Q | None:
    """Read where the categories are: the regions of the actor's work, above and below."""
    return _categories(actor)


@edit_reach("cases.replytemplate")
def reply_template_edit_reach(actor: Actor) -> Q | None:
    """An office keeps the templates of its region and the regions under it."""
    if path := region_path(actor):
        return Q(region__path__startswith=path)
    return NOTHING


@reach("cases.casecitizen")
def citizen_reach(actor: Actor) -> Q | None:
    """A citizen behind a case is within reach with his case (SEC-2: shown masked; only roles
    with REVEAL_PERSONAL see him in clear, each time audited)."""
    return Q(case__in=scope(actor, Case.objects.all()).values("pk"))


@reach("cases.procedure")
def procedure_reach(actor: Actor) -> Q | None:
    if path := region_path(actor):
        return Q(congress__region__path__startswith=path)
    return NOTHING


@reach("cases.deadlinerule")
def deadline_rule_reach(actor: Actor) -> Q | None:
    if path := region_path(actor):
        return Q(congress__region__path__startswith=path)
    return NOTHING


CHECKS = {Action.SEND_BACK, Action.APPROVE_REPLY}


@party_check
def deputy_acts_on_his_own_cases(who: Who, case: Case, row: Transition) -> bool:
    """A deputy confirms the cases addressed to him and checks the replies of the cases he
    supervises — and only when his congress has the deputy perform that check (CASE-3)."""
    if who.kind != Role.DEPUTY or who.actor is None:
        return True
    me = who.actor.person_id
    if row.action == Action.CONFIRM:
        return case.deputy_id in (None, me)
    if row.action in CHECKS:
        procedure = Procedure.objects.filter(congress_id=case.congress_id).first()
        by_deputy = procedure is None or procedure.reply_checked_by == Procedure.Checker.DEPUTY
        return by_deputy and (case.supervisor_id or case.deputy_id) == me
    return (me is not None) and me in (case.deputy_id, case.supervisor_id)


@party_check
def office_checks_replies_when_configured(who: Who, case: Case, row: Transition) -> bool:
    """The office checks a reply when its congress says so, or when no deputy supervises."""
    if who.kind != Role.OFFICE or row.action not in CHECKS:
        return True
    procedure = Procedure.objects.filter(congress_id=case.congress_id).first()
    by_office = procedure is not None and procedure.reply_checked_by == Procedure.Checker.OFFICE
    return by_office or not (case.supervisor_id or case.deputy_id)


@party_check
def units_act_through_the_lead(who: Who, case: Case, row: Transition) -> bool:
    """A unit's status-changing steps are the lead unit's (主办); co-handlers (协办) contribute
    their part to it (CASE-5)."""
    if who.kind != Role.UNIT or who.actor is None:
        return True
    path = unit_path(who.actor)
    if not path:
        return False
    if row.action == Action.CONTRIBUTE:
        return contributing_unit(who.actor, case) is not None
    lead = case.units.filter(ACTIVE_UNIT, role=CaseUnit.Role.LEAD).select_related("unit").first()
    return lead is not None and lead.unit.path.startswith(path)


def contributing_unit(actor: Actor, case: Case) -> CaseUnit | None:
    """The co-handling row (协办) of the case that ``actor``'s unit speaks for, if any: the
    co-handler itself or a unit above it (CASE-5)."""
    path = unit_path(actor)
    if not path:
        return None
    return (
        case.units.filter(ACTIVE_UNIT, role=CaseUnit.Role.CO, unit__path__startswith=path)
        .select_related("unit")
        .order_by("unit__path", "pk")
        .first()
    )


@party_check
def the_citizen_rates_his_own_case(who: Who, case: Case, row: Transition) -> bool:
    if who.kind != CITIZEN:
        return True
    return who.citizen_id is not None and case.citizens.filter(pk=who.citizen_id).exists()


def may_receive_in(actor: Actor, region: Region) -> bool:
    """Where staff may log an opinion they received (CASE-1): within the region their work
    covers — an office's region, a station's, a unit's; a deputy, in the townships of his
    stations."""
    a = actor.assignment
    if a is None:
        return False
    if a.role == Role.DEPUTY:
        return _near_his_stations(actor, region)
    covered = region_path(actor)
    if covered is None and a.station_id:
        covered = a.station.region.path  # type: ignore[union-attr]
    if covered is None and a.unit_id:
        covered = a.unit.region.path  # type: ignore[union-attr]
    return covered is not None and region.path.startswith(covered)


def _near_his_stations(actor: Actor, region: Region) -> bool:
    from lianxin.directory.models import StationMembership

    if not actor.person_id:
        return False
    for path in StationMembership.objects.filter(
        person_id=actor.person_id, ends_on__isnull=True
    ).values_list("station__region__path", flat=True):
        parts = path.strip("/").split("/")
        township = "/" + "/".join(parts[:4]) + "/" if len(parts) >= 4 else path
        if region.path.startswith(township):
            return True
    return False
