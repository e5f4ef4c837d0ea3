"""Reach of directory records (SPEC section 0, SEC-1)."""

from django.db.models import Q
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import (
    NOTHING,
    Actor,
    Perm,
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
    Unit staff: the contact persons of their unit and its sub-units."""
    if path := _office(actor):
        return (
            Q(region__path__startswith=path)
            | Q(mandates__term__congress__region__path__startswith=path)
            | Q(station_memberships__station__region__path__startswith=path)
            | Q(station_roles__station__region__path__startswith=path)
            | Q(unit_contacts__unit__region__path__startswith=path)
        )
    if path := station_path(actor):
        return (
            Q(station_memberships__station__path__startswith=path)
            & _open_membership("station_memberships__")
        ) | Q(station_roles__station__path__startswith=path)
    if path := unit_path(actor):
        return Q(unit_contacts__unit__path__startswith=path)
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
