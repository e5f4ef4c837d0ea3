"""Reach of directory records (SPEC section 0, SEC-1)."""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import (
    NOTHING,
    Actor,
    Perm,
    edit_reach,
    model_perms,
    reach,
    region_path,
    station_path,
    unit_path,
)

for _label in ("congress", "term", "session", "body", "bodymembership", "workplan", "delegation"):
    model_perms(f"directory.{_label}", Perm.VIEW_DIRECTORY, Perm.EDIT_DIRECTORY)
for _label in ("person", "mandate", "handlingunit", "unitcontact"):
    model_perms(f"directory.{_label}", Perm.VIEW_DIRECTORY, Perm.EDIT_DIRECTORY)
for _label in ("station", "stationstaff", "stationmembership"):
    model_perms(f"directory.{_label}", Perm.VIEW_DIRECTORY, Perm.EDIT_STATION)
# Groups, standing committee links, the expert pool, standards and inspections are the
# office's (ORG-6, ORG-8, ORG-10, ORG-12); grids and what experts do at a station are also the
# station's (ORG-9, ORG-12).
for _label in (
    "deputygroup",
    "groupmembership",
    "committeelink",
    "expert",
    "checklist",
    "checklistitem",
    "inspection",
    "inspectionscore",
):
    model_perms(f"directory.{_label}", Perm.VIEW_DIRECTORY, Perm.EDIT_DIRECTORY)
for _label in ("grid", "gridmember", "expertassignment", "expertcontribution"):
    model_perms(f"directory.{_label}", Perm.VIEW_DIRECTORY, Perm.EDIT_STATION)


def _office(actor: Actor) -> str | None:
    return region_path(actor) if actor.role in (Role.OFFICE, Role.LEADERSHIP) else None


def _congress_q(actor: Actor, prefix: str) -> Q:
    path = _office(actor)
    if path:
        return Q(**{f"{prefix}region__path__startswith": path})
    return NOTHING


@reach("directory.congress")
def congress_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("directory.term")
def term_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "congress__")


@reach("directory.session")
def session_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "term__congress__")


@reach("directory.body")
def body_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "congress__")


@reach("directory.workplan")
def workplan_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "congress__")


@reach("directory.delegation")
def delegation_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "term__congress__")


def _open_membership(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


@reach("directory.station")
def station_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if path := station_path(actor):
        return Q(path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(memberships__person_id=actor.person_id) & _open_membership("memberships__")
    return NOTHING


@reach("directory.stationstaff")
def station_staff_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(station__region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(person_id=actor.person_id)
    return NOTHING


@reach("directory.stationmembership")
def station_membership_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(station__region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(person_id=actor.person_id)
    return NOTHING


@reach("directory.person")
def person_reach(actor: Actor) -> Q | None:
    """Office: persons of its region or serving in its congresses or stations. Station staff:
    the deputies sitting in their stations (of any level) and their staff. A deputy: himself.
    Unit staff: the contact persons of their unit and its sub-units.

    Each role a person holds is asked as ``EXISTS`` of one related row, never as a join: joins
    over five multi-valued relations repeated every person once per row and needed a
    ``DISTINCT`` over the whole list (p95 1.7–4.3 s for a province's 177,000 persons, issue 7).
    One row must satisfy all the conditions on it, as it did within one join."""
    from lianxin.directory.models import (
        ExpertAssignment,
        GridMember,
        Mandate,
        StationMembership,
        StationStaff,
        UnitContact,
    )

    def held(model: Any, condition: Q, person: str = "person") -> Q:
        rows = model._default_manager.filter(condition, **{person: OuterRef("pk")})
        return Q(Exists(rows))

    if path := _office(actor):
        return (
            Q(region__path__startswith=path)
            | held(Mandate, Q(term__congress__region__path__startswith=path))
            | held(StationMembership, Q(station__region__path__startswith=path))
            | held(StationStaff, Q(station__region__path__startswith=path))
            | held(UnitContact, Q(unit__region__path__startswith=path))
        )
    if path := station_path(actor):
        return (
            held(StationMembership, Q(station__path__startswith=path) & _open_membership())
            | held(StationStaff, Q(station__path__startswith=path))
            | held(GridMember, Q(grid__station__path__startswith=path))
            | held(ExpertAssignment, Q(station__path__startswith=path), "expert__person")
        )
    if path := unit_path(actor):
        return held(UnitContact, Q(unit__path__startswith=path))
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(pk=actor.person_id)
    if actor.role == Role.SYSTEM_ADMIN:
        return None  # links accounts to persons; never reveals personal data
    return NOTHING


@reach("directory.mandate")
def mandate_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(term__congress__region__path__startswith=path)
    if path := station_path(actor):
        return Q(person__station_memberships__station__path__startswith=path) & _open_membership(
            "person__station_memberships__"
        )
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(person_id=actor.person_id)
    return NOTHING


@reach("directory.bodymembership")
def body_membership_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "body__congress__")


@reach("directory.handlingunit")
def unit_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if path := unit_path(actor):
        return Q(path__startswith=path)
    return NOTHING


@reach("directory.unitcontact")
def unit_contact_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(unit__region__path__startswith=path)
    if path := unit_path(actor):
        return Q(unit__path__startswith=path)
    return NOTHING


# --- Groups, grids, links, experts, standards (ORG-6, ORG-8, ORG-9, ORG-10, ORG-12) -----------


@reach("directory.deputygroup")
def group_reach(actor: Actor) -> Q | None:
    """Office: the groups of its region. Station staff: the groups meeting at their stations.
    A deputy: his own groups."""
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(pk__in=_group_ids_of(actor.person_id))
    return NOTHING


def _group_ids_of(person_id: int) -> object:
    from lianxin.directory.models import GroupMembership

    return (
        GroupMembership.objects.filter(person_id=person_id)
        .filter(_open_membership())
        .values("group_id")
    )


@reach("directory.groupmembership")
def group_membership_reach(actor: Actor) -> Q | None:
    """As the group's reach: a deputy sees the members of his groups (a leader leads them)."""
    if path := _office(actor):
        return Q(group__region__path__startswith=path)
    if path := station_path(actor):
        return Q(group__station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(group_id__in=_group_ids_of(actor.person_id))
    return NOTHING


def _grid_ids_of(person_id: int) -> object:
    from lianxin.directory.models import GridMember

    return (
        GridMember.objects.filter(person_id=person_id).filter(_open_membership()).values("grid_id")
    )


@reach("directory.grid")
def grid_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(pk__in=_grid_ids_of(actor.person_id))
    return NOTHING


@reach("directory.gridmember")
def grid_member_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(grid__region__path__startswith=path)
    if path := station_path(actor):
        return Q(grid__station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(grid_id__in=_grid_ids_of(actor.person_id))
    return NOTHING


@reach("directory.committeelink")
def committee_link_reach(actor: Actor) -> Q | None:
    """Office and leadership: the links of their congresses. A deputy: the links he is in,
    as member or as linked deputy."""
    if path := _office(actor):
        return Q(congress__region__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(member_id=actor.person_id) | Q(deputy_id=actor.person_id)
    return NOTHING


def _expert_ids_at(path: str) -> object:
    from lianxin.directory.models import ExpertAssignment

    return ExpertAssignment.objects.filter(station__path__startswith=path).values("expert_id")


@reach("directory.expert")
def expert_reach(actor: Actor) -> Q | None:
    """Office: its region's pool. Station staff: the experts assigned to their stations."""
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if path := station_path(actor):
        return Q(pk__in=_expert_ids_at(path))
    return NOTHING


@reach("directory.expertassignment")
def expert_assignment_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(expert__region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    return NOTHING


@reach("directory.expertcontribution")
def expert_contribution_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(expert__region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    return NOTHING


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _checklists_read(actor: Actor, prefix: str) -> Q | None:
    """A checklist applies to its region and everything under it: an office reads those of its
    region, of the regions above it and below it; station staff those of their station's
    region and above (ORG-6)."""
    if path := _office(actor):
        return Q(**{f"{prefix}region__path__startswith": path}) | Q(
            **{f"{prefix}region_id__in": _ancestor_ids(path)}
        )
    if station_path(actor) and actor.assignment is not None:
        region_path_ = actor.assignment.station.region.path  # type: ignore[union-attr]
        return Q(**{f"{prefix}region_id__in": _ancestor_ids(region_path_)})
    return NOTHING


def _checklists_edit(actor: Actor, prefix: str) -> Q | None:
    if path := _office(actor):
        return Q(**{f"{prefix}region__path__startswith": path})
    return NOTHING


@reach("directory.checklist")
def checklist_reach(actor: Actor) -> Q | None:
    return _checklists_read(actor, "")


@edit_reach("directory.checklist")
def checklist_edit_reach(actor: Actor) -> Q | None:
    return _checklists_edit(actor, "")


@reach("directory.checklistitem")
def checklist_item_reach(actor: Actor) -> Q | None:
    return _checklists_read(actor, "checklist__")


@edit_reach("directory.checklistitem")
def checklist_item_edit_reach(actor: Actor) -> Q | None:
    return _checklists_edit(actor, "checklist__")


@reach("directory.inspection")
def inspection_reach(actor: Actor) -> Q | None:
    """Office: inspections of the stations of its region; station staff read their own."""
    if path := _office(actor):
        return Q(station__region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    return NOTHING


@reach("directory.inspectionscore")
def inspection_score_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(inspection__station__region__path__startswith=path)
    if path := station_path(actor):
        return Q(inspection__station__path__startswith=path)
    return NOTHING
