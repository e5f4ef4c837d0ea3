"""Reach of duty records (SPEC section 0, SEC-1, DUTY).

The office reaches the stations of its region and the congresses there; station staff their
station and the stations under it; a deputy (or a window-unit head with a deputy account) his
own pool entries, leave, shifts and swaps; unit staff the assignments of their unit's heads
(their attendance counts in the unit's evaluation, DUTY-3); leadership reads its region.
Allowances (DUTY-4) are the office's alone.
"""

from __future__ import annotations

from django.db.models import Q

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

for _label in ("dutypattern", "requirement", "poolmember", "dutyleave", "roster", "shift"):
    model_perms(f"activities.{_label}", Perm.VIEW_DUTY, Perm.MANAGE_DUTY)
model_perms("activities.assignment", Perm.VIEW_DUTY, Perm.MANAGE_DUTY)
model_perms("activities.swaprequest", Perm.VIEW_DUTY, Perm.MANAGE_DUTY)
for _label in ("allowancerate", "allowancerecipient", "allowancestatement", "allowanceline"):
    model_perms(f"activities.{_label}", Perm.MANAGE_ALLOWANCES, Perm.MANAGE_ALLOWANCES)


def _office(actor: Actor) -> str | None:
    return region_path(actor) if actor.role in (Role.OFFICE, Role.LEADERSHIP) else None


def _station_q(actor: Actor, prefix: str) -> Q | None:
    """Office and leadership: stations of their region; station staff: their subtree."""
    if path := _office(actor):
        return Q(**{f"{prefix}station__region__path__startswith": path})
    if path := station_path(actor):
        return Q(**{f"{prefix}station__path__startswith": path})
    return None


def _own(actor: Actor, field: str) -> Q:
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(**{field: actor.person_id})
    return NOTHING


@reach("activities.dutypattern")
def pattern_reach(actor: Actor) -> Q | None:
    return _station_q(actor, "") or NOTHING


@reach("activities.requirement")
def requirement_reach(actor: Actor) -> Q | None:
    return _station_q(actor, "pattern__") or NOTHING


@reach("activities.poolmember")
def pool_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "")) is not None:
        return q
    return _own(actor, "person_id")


@reach("activities.dutyleave")
def leave_reach(actor: Actor) -> Q | None:
    """Leave is the person's own; staff reach the leave of the persons in their pools."""
    if path := _office(actor):
        return Q(person__duty_pools__station__region__path__startswith=path) | Q(
            station__region__path__startswith=path
        )
    if path := station_path(actor):
        return Q(person__duty_pools__station__path__startswith=path) | Q(
            station__path__startswith=path
        )
    return _own(actor, "person_id")


@reach("activities.roster")
def roster_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "")) is not None:
        return q
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(status="published", shifts__assignments__person_id=actor.person_id)
    return NOTHING


@reach("activities.shift")
def shift_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "")) is not None:
        return q
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(roster__status="published", assignments__person_id=actor.person_id)
    return NOTHING


@reach("activities.assignment")
def assignment_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "shift__")) is not None:
        return q
    if path := unit_path(actor):
        return Q(role="unit_head", unit__path__startswith=path, shift__roster__status="published")
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(person_id=actor.person_id, shift__roster__status="published")
    return NOTHING


@reach("activities.swaprequest")
def swap_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "assignment__shift__")) is not None:
        return q
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(requester_id=actor.person_id) | Q(counterpart_id=actor.person_id)
    return NOTHING


def _congress_q(actor: Actor, prefix: str) -> Q:
    if actor.role == Role.OFFICE and (path := region_path(actor)):
        return Q(**{f"{prefix}congress__region__path__startswith": path})
    return NOTHING


@reach("activities.allowancerate")
def rate_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("activities.allowancerecipient")
def recipient_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("activities.allowancestatement")
def statement_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("activities.allowanceline")
def line_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "statement__")
